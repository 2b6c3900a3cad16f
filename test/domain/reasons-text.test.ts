import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reasonsText } from '../../src/domain/reasons-text.ts';
import { scorer } from './model-fixture.ts';

const s = scorer({
  criteria: [
    { id: 'industry', label: 'Secteur', attribute: 'industry', weight: 30, match: { kind: 'category', values: { software: 1 } } },
    { id: 'size', label: 'Effectif', attribute: 'employees', weight: 30, match: { kind: 'range', bands: [{ min: 50, max: 500, points: 0.5 }] } },
    { id: 'country', label: 'Pays', attribute: 'country', weight: 20, match: { kind: 'category', values: { fr: 1 } } },
    { id: 'stack', label: 'Stack', attribute: 'tech_stack', weight: 10, match: { kind: 'category', values: { hubspot: 1 } } },
    { id: 'b2b', label: 'B2B', attribute: 'is_b2b', weight: 10, match: { kind: 'boolean', ifFalse: 0.2 } },
  ],
  exclusions: [{ id: 'competitor', attribute: 'is_competitor', match: { kind: 'boolean' }, reason: 'Concurrent direct' }],
});

describe('reasonsText', () => {
  it('writes contribution, label and value of every criterion, best first', () => {
    const r = s.score({ industry: 'Software', employees: '320', country: 'US', is_b2b: false });
    expect(reasonsText(r)).toBe('+30 Secteur: Software · +15 Effectif: 320 · +2 B2B: non · 0 Pays: US · ? Stack: inconnu');
  });

  it('puts fired exclusions first', () => {
    const r = s.score({ industry: 'Software', is_competitor: true });
    expect(reasonsText(r)).toBe(
      '✖ Concurrent direct · +30 Secteur: Software · ? Effectif: inconnu · ? Pays: inconnu · ? Stack: inconnu · ? B2B: inconnu',
    );
  });

  it('joins lists, tidies spaces and cuts long values', () => {
    const r = s.score({ tech_stack: ['HubSpot', ' Segment  CDP '], industry: 'x'.repeat(60) });
    const text = reasonsText(r, { unknownWord: 'unknown', yesWord: 'yes', noWord: 'no' });
    expect(text).toContain('+10 Stack: HubSpot, Segment CDP');
    expect(text).toContain(`0 Secteur: ${'x'.repeat(39)}…`);
    expect(text).toContain('? Pays: unknown');
  });

  it('shows the display label of a CRM option value while scoring matched the value', () => {
    const labels: Record<string, Record<string, string>> = {
      industry: { software: 'Computer Software' },
      stack: { HubSpot: 'HubSpot CRM', SEGMENT: 'Segment' },
    };
    const valueLabel = (criterion: string, value: string) => labels[criterion]?.[value];
    const r = s.score({ industry: 'software', tech_stack: ['HubSpot', 'SEGMENT', 'other'], country: 'software' });
    // The value matched the model's `software`; the text shows the CRM's label, list items one by one,
    // and only for the criterion whose field has the option (country holds the same text, unlabelled).
    expect(r.reasons.find((x) => x.criterion === 'industry')?.value).toBe('software');
    expect(reasonsText(r, { valueLabel })).toBe(
      '+30 Secteur: Computer Software · +10 Stack: HubSpot CRM, Segment, other · ? Effectif: inconnu · 0 Pays: software · ? B2B: inconnu',
    );
    expect(reasonsText(r, { valueLabel, maxLength: 40 })).toBe('+30 Secteur: Computer Software · …');
    expect(reasonsText(r)).toContain('+30 Secteur: software');
  });

  it('truncates on an item boundary with …', () => {
    const r = s.score({ industry: 'Software', employees: '320', country: 'US' });
    const full = reasonsText(r);
    const text = reasonsText(r, { maxLength: 50 });
    expect(text).toBe('+30 Secteur: Software · +15 Effectif: 320 · …');
    expect(text.length).toBeLessThanOrEqual(50);
    expect(reasonsText(r, { maxLength: full.length })).toBe(full);
    for (let max = 1; max <= full.length; max++) expect(reasonsText(r, { maxLength: max }).length).toBeLessThanOrEqual(max);
  });

  it('cuts the first item itself when nothing else fits', () => {
    const r = s.score({ industry: 'Software' });
    expect(reasonsText(r, { maxLength: 10 })).toBe('+30 Secte…');
  });
});

describe('reasonsText value folding', () => {
  // The text form folds white space exactly like `trim().replace(/\s+/g, ' ')`, whatever the input.
  const folded = (v: string) => v.trim().replace(/\s+/g, ' ');
  const spacey = fc.string({
    unit: fc.constantFrom('a', 'É', ' ', '  ', '\t', '\n', '\u00a0', '\u202f', '\u2009', '\u3000', '\ufeff', 'x', '\u0301', '1'),
    maxLength: 12,
  });

  it('folds every kind of white space as \\s+ does, in scalars and lists', () => {
    fc.assert(
      fc.property(spacey, fc.array(spacey, { maxLength: 3 }), (industry, stack) => {
        const result = s.score({ industry, employees: 100, country: 'FR', tech_stack: stack, is_b2b: true });
        const text = reasonsText(result);
        const clip = (v: string) => (v.length <= 40 ? v : `${v.slice(0, 39).trimEnd()}…`);
        for (const r of result.reasons) {
          if (r.status === 'missing' || (r.criterion !== 'industry' && r.criterion !== 'stack')) continue;
          const value = Array.isArray(r.value)
            ? r.value.map((v: string) => folded(v)).filter((v: string) => v !== '').join(', ')
            : folded(String(r.value));
          expect(text).toContain(`${r.label}: ${clip(value)}`);
        }
      }),
    );
  });
});
