import { describe, expect, it } from 'vitest';
import { applyDraftForm } from '../../src/console/model-draft.ts';

const TEXT = `# our ICP
version: "v1"
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 40 }
criteria:
  - id: size # headcount
    attribute: employees
    weight: 30
    match: { kind: range, bands: [{ min: 50, points: 1 }] }
  - id: country
    attribute: country
    weight: 20
    match: { kind: category, values: { FR: 1 } }
`;

describe('applyDraftForm', () => {
  it('applies the fields that changed and keeps comments', () => {
    const d = applyDraftForm({ yaml: TEXT, fields: { 'weight.size': '45', 'weight0.size': '30', 'weight.country': '20', 'weight0.country': '20', 'tier.A': '75', 'tier0.A': '70', 'version.model': 'v2', 'version0.model': 'v1' } });
    expect(d.applied).toEqual(['criteria.size.weight', 'tiers.A.min', 'version']);
    expect(d.yaml).toContain('# our ICP');
    expect(d.yaml).toContain('# headcount');
    expect(d.yaml).toMatch(/id: size # headcount\n\s+attribute: employees\n\s+weight: 45/);
    expect(d.yaml).toMatch(/name: A, min: 75/);
    expect(d.yaml).toMatch(/version: "?v2"?/);
    expect(d.yaml).toMatch(/weight: 20/);
  });

  it('leaves an edit made in the text alone when the field kept its shown value', () => {
    const edited = TEXT.replace('weight: 30', 'weight: 33');
    const d = applyDraftForm({ yaml: edited, fields: { 'weight.size': '30', 'weight0.size': '30' } });
    expect(d).toMatchObject({ yaml: edited, applied: [] });
  });

  it('returns a text that does not parse unchanged', () => {
    const broken = 'criteria: [\n';
    expect(applyDraftForm({ yaml: broken, fields: { 'weight.size': '1', 'weight0.size': '2' } })).toMatchObject({ yaml: broken, applied: [] });
  });
});
