import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/domain/model-schema.ts';
import { compileRoles, normalizeTitle, titleMatches, type CompiledRoles } from '../../src/domain/roles.ts';
import type { RoleDef } from '../../src/domain/types.ts';

const WORDS = ['dg', 'directeur', 'général', 'Head', 'of', 'CTO', 'achats', 'DAF', 'ingénieur', 'stagiaire', 'data', 'vp'];
const SEPARATORS = [' ', '  ', '-', ' / ', ', ', ' & ', '(', ')', '.'];
const HUBSPOT = ['DECISION_MAKER', 'BUDGET_HOLDER', 'END_USER', 'INFLUENCER', 'CHAMPION'];

const phrase = (min: number, max: number) =>
  fc
    .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { minLength: min, maxLength: max })
    .map((parts) => parts.map(([w, s]) => w + s).join(''));

const pointsArb = fc.oneof(fc.constantFrom(0, 0.4, 0.5, 0.8, 1), fc.double({ min: 0, max: 1, noNaN: true }));

const roleSetArb = fc.record({
  ignoreTitles: fc.array(fc.constantFrom('stagiaire', 'data vp', 'of'), { maxLength: 2 }),
  list: fc.array(
    fc.record({
      points: pointsArb,
      titles: fc.array(phrase(1, 2).filter((p) => normalizeTitle(p) !== ''), { minLength: 1, maxLength: 4 }),
      hubspot: fc.array(fc.constantFrom(...HUBSPOT), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 5 },
  ),
});

type RoleSetInput = { ignoreTitles: string[]; list: Array<{ points: number; titles: string[]; hubspot: string[] }> };

function compile(set: RoleSetInput): CompiledRoles | null {
  const roles = {
    ignoreTitles: set.ignoreTitles,
    list: set.list.map((r, i) => ({ id: `r${i}`, points: r.points, titles: r.titles, hubspot: [...new Set(r.hubspot)] })),
  };
  const res = parseModel(
    { version: 'p', tiers: [{ name: 'A', min: 0 }], criteria: [{ id: 'c', attribute: 'v', weight: 1, match: { kind: 'boolean' } }], roles },
    'icp.yaml',
  );
  // Generated sets can hold duplicate or silenced patterns, which validation refuses: skip those.
  return res.ok ? compileRoles(res.model) : null;
}

/** The rules read literally: scan every pattern of every role. */
function reference(roles: readonly RoleDef[], ignore: readonly string[], title: string, explicit: readonly string[]): string {
  const pick = (cands: RoleDef[]) =>
    cands.reduce<RoleDef | undefined>((best, r) => (best === undefined || r.points > best.points ? r : best), undefined)?.id ?? 'none';
  const fromCrm = roles.filter((r) => r.hubspot.some((v) => explicit.includes(v)));
  if (fromCrm.length > 0) return pick(fromCrm);
  const t = normalizeTitle(title);
  if (ignore.some((p) => titleMatches(t, normalizeTitle(p)))) return 'none';
  return pick(roles.filter((r) => r.titles.some((p) => titleMatches(t, normalizeTitle(p)))));
}

describe('role resolution properties', () => {
  it('agrees with a literal reading of the rules', () => {
    fc.assert(
      fc.property(roleSetArb, phrase(0, 6), fc.array(fc.constantFrom(...HUBSPOT, 'OTHER'), { maxLength: 2 }), (set, title, explicit) => {
        const r = compile(set);
        fc.pre(r !== null);
        if (r === null) return;
        expect(r.resolve({ title, explicit }, 'hubspot').role).toBe(reference(r.roles, set.ignoreTitles, title, explicit));
      }),
      { numRuns: 600 },
    );
  });

  it('never gives a role whose patterns do not match the title, unless the CRM says so', () => {
    fc.assert(
      fc.property(roleSetArb, phrase(0, 6), fc.array(fc.constantFrom(...HUBSPOT), { maxLength: 2 }), (set, title, explicit) => {
        const r = compile(set);
        fc.pre(r !== null);
        if (r === null) return;
        const res = r.resolve({ title, explicit }, 'hubspot');
        const role = r.roles.find((x) => x.id === res.role);
        if (role === undefined) {
          expect(res.role).toBe('none');
          return;
        }
        const byTitle = role.titles.some((p) => titleMatches(normalizeTitle(title), normalizeTitle(p)));
        const byCrm = role.hubspot.some((v) => explicit.includes(v));
        expect(byTitle || byCrm).toBe(true);
        if (res.source === 'title') expect(byTitle).toBe(true);
      }),
      { numRuns: 600 },
    );
  });
});

describe('priority properties', () => {
  const r = compile({ ignoreTitles: [], list: [{ points: 1, titles: ['x'], hubspot: [] }] });
  const score = fc.integer({ min: 0, max: 100 });

  it('is a whole number in 0–100 with a tier', () => {
    fc.assert(
      fc.property(score, pointsArb, (s, p) => {
        const { priority, tier } = r?.priority(s, p, false) ?? { priority: -1, tier: null };
        expect(Number.isInteger(priority)).toBe(true);
        expect(priority).toBeGreaterThanOrEqual(0);
        expect(priority).toBeLessThanOrEqual(100);
        expect(tier).not.toBeNull();
      }),
    );
  });

  it('is monotone in the account score and in the points', () => {
    fc.assert(
      fc.property(score, score, pointsArb, pointsArb, (s1, s2, p1, p2) => {
        if (r === null) return;
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [plo, phi] = p1 <= p2 ? [p1, p2] : [p2, p1];
        expect(r.priority(lo, p1, false).priority ?? 0).toBeLessThanOrEqual(r.priority(hi, p1, false).priority ?? 0);
        expect(r.priority(s1, plo, false).priority ?? 0).toBeLessThanOrEqual(r.priority(s1, phi, false).priority ?? 0);
      }),
    );
  });
});
