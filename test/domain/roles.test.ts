import { describe, expect, it } from 'vitest';
import { parseModel } from '../../src/domain/model-schema.ts';
import { compileRoles, DEFAULT_PRIORITY_TIERS, normalizeTitle, titleMatches, type CompiledRoles } from '../../src/domain/roles.ts';
import { model } from './model-fixture.ts';

const CRITERIA = [{ id: 'c', attribute: 'v', weight: 1, match: { kind: 'boolean' } }];

/** The role set of PRODUCT.md §2, as written there. */
export const PRODUCT_ROLES = {
  ignoreTitles: ['assistant', 'assistante', 'stagiaire', 'intern', 'alternant'],
  list: [
    {
      id: 'decision_maker',
      label: 'Décideur',
      points: 1,
      required: true,
      titles: ['ceo', 'directeur general', 'dg', 'president', 'fondateur', 'founder', 'chief executive'],
      hubspot: ['DECISION_MAKER', 'EXECUTIVE_SPONSOR'],
      salesforce: ['Decision Maker', 'Economic Buyer'],
    },
    { id: 'buyer', label: 'Acheteur', points: 0.8, required: true, titles: ['achats', 'procurement', 'cfo', 'daf'], hubspot: ['BUDGET_HOLDER'] },
    { id: 'user', label: 'Utilisateur', points: 0.5, titles: ['developpeur', 'developer', 'engineer', 'ingenieur'], hubspot: ['END_USER'] },
    { id: 'influencer', label: 'Influenceur', points: 0.4, titles: ['cto', 'dsi', 'architecte', 'head of'], hubspot: ['INFLUENCER', 'CHAMPION'] },
  ],
};

function compiled(doc: Record<string, unknown> = {}): CompiledRoles {
  const r = compileRoles(model({ criteria: CRITERIA, roles: PRODUCT_ROLES, ...doc }));
  if (r === null) throw new Error('no roles');
  return r;
}

describe('title text', () => {
  it.each([
    ['Directeur Général', 'directeur general'],
    ['  DG / Co-Fondateur ', 'dg co fondateur'],
    ['Head of R&D', 'head of r d'],
    ['DAF (Directrice Administrative & Financière)', 'daf directrice administrative financiere'],
    ['Ingénieur·e logiciel', 'ingenieur e logiciel'],
    ['ＣＥＯ', 'ceo'],
    ['Président-Directeur général', 'president directeur general'],
    ['', ''],
    ['---', ''],
    ['Développeur\u00a0Senior', 'developpeur senior'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeTitle(input)).toBe(expected);
  });

  it('matches whole words only', () => {
    expect(titleMatches('dg adjoint', 'dg')).toBe(true);
    expect(titleMatches('dgx', 'dg')).toBe(false);
    expect(titleMatches('vp head of sales', 'head of')).toBe(true);
    expect(titleMatches('head office', 'head of')).toBe(false);
    expect(titleMatches('directeur general', 'directeur general')).toBe(true);
    expect(titleMatches('anything', '')).toBe(false);
  });
});

describe('role resolution', () => {
  const r = compiled();
  const by = (title: string | null, explicit: string[] = [], crm: 'hubspot' | 'salesforce' = 'hubspot') => r.resolve({ title, explicit }, crm);

  it('infers the role from the title, accents and case aside', () => {
    expect(by('Directeur Général')).toMatchObject({ role: 'decision_maker', label: 'Décideur', points: 1, source: 'title' });
    expect(by('DG adjoint')).toMatchObject({ role: 'decision_maker' });
    expect(by('Développeur Full-Stack')).toMatchObject({ role: 'user', points: 0.5 });
    expect(by('Responsable Achats')).toMatchObject({ role: 'buyer', points: 0.8 });
  });

  it('gives the role with the most points when several match, ties to the earlier role', () => {
    // cto → influencer 0.4, engineer → user 0.5: user wins.
    const res = by('CTO & lead engineer');
    expect(res.role).toBe('user');
    expect(res.matched).toEqual([
      { role: 'user', pattern: 'engineer' },
      { role: 'influencer', pattern: 'cto' },
    ]);
    const tie = compiled({
      roles: { list: [{ id: 'a', points: 0.5, titles: ['x'] }, { id: 'b', points: 0.5, titles: ['y'] }] },
    });
    expect(tie.resolve({ title: 'y x', explicit: [] }, 'hubspot').role).toBe('a');
    expect(tie.resolve({ title: 'y', explicit: [] }, 'hubspot').role).toBe('b');
  });

  it('puts an explicit CRM role first, every value counting, compared exactly', () => {
    expect(by('Développeur', ['DECISION_MAKER'])).toMatchObject({ role: 'decision_maker', source: 'crm', explicit: ['DECISION_MAKER'] });
    expect(by('CEO', ['END_USER', 'INFLUENCER'])).toMatchObject({ role: 'user', source: 'crm', explicit: ['END_USER', 'INFLUENCER'] });
    // Not listed by any role: the title decides.
    expect(by('CEO', ['LEGAL_AND_COMPLIANCE'])).toMatchObject({ role: 'decision_maker', source: 'title', explicit: [] });
    expect(by('CEO', ['decision_maker'])).toMatchObject({ source: 'title' });
    // Each CRM has its own values.
    expect(by(null, ['Decision Maker'], 'salesforce')).toMatchObject({ role: 'decision_maker', source: 'crm' });
    expect(by(null, ['Decision Maker'], 'hubspot')).toMatchObject({ role: 'none', source: 'none' });
  });

  it('ignores titles matching ignoreTitles, unless the CRM says otherwise', () => {
    const res = by('Assistante de direction du DG');
    expect(res).toMatchObject({ role: 'none', points: 0, source: 'none', ignoredBy: 'assistante' });
    expect(by('Stagiaire DAF', ['BUDGET_HOLDER'])).toMatchObject({ role: 'buyer', source: 'crm' });
  });

  it('gives no role and defaultPoints when nothing matches', () => {
    expect(by('Office manager')).toMatchObject({ role: 'none', label: 'none', points: 0, source: 'none', matched: [] });
    expect(by(null)).toMatchObject({ role: 'none' });
    expect(by('')).toMatchObject({ role: 'none' });
    const withDefault = compiled({ roles: { ...PRODUCT_ROLES, defaultPoints: 0.2 } });
    expect(withDefault.resolve({ title: 'Office manager', explicit: [] }, 'hubspot').points).toBe(0.2);
  });

  it('matches multi-word patterns across the title', () => {
    expect(by('Chief Executive Officer')).toMatchObject({ role: 'decision_maker' });
    expect(by('VP, Head of Data')).toMatchObject({ role: 'influencer' });
    expect(by('Chief Financial Executive')).toMatchObject({ role: 'none' });
  });

  it('explains why in one sentence', () => {
    expect(by('CTO').why).toBe('the title matches "cto" (Influenceur)');
    expect(by('x', ['BUDGET_HOLDER']).why).toBe('the CRM role "BUDGET_HOLDER" means Acheteur');
    expect(by('Stagiaire').why).toContain('"stagiaire"');
  });
});

describe('priority', () => {
  const r = compiled();

  it('is ⌊accountScore × points + 0.5 + 1e-9⌋ with the default tiers', () => {
    expect(r.priority(80, 1, false)).toEqual({ priority: 80, tier: 'P1' });
    expect(r.priority(75, 0.8, false)).toEqual({ priority: 60, tier: 'P1' });
    // 0.8 × 61 = 48.800000000000004
    expect(r.priority(61, 0.8, false)).toEqual({ priority: 49, tier: 'P2' });
    // 0.5 × 79 = 39.5 → 40 (half up)
    expect(r.priority(79, 0.5, false)).toEqual({ priority: 40, tier: 'P2' });
    expect(r.priority(30, 0.35, false)).toEqual({ priority: 11, tier: 'P4' });
    // 0.29 × 50 is 14.499999999999998 in binary: the 1e-9 lifts it to the 14.5 RevOps wrote, so 15
    expect(r.priority(50, 0.29, false)).toEqual({ priority: 15, tier: 'P4' });
    expect(r.priority(50, 0.57, false)).toEqual({ priority: 29, tier: 'P3' });
    expect(r.priority(39, 0.5, false)).toEqual({ priority: 20, tier: 'P3' });
    expect(r.priority(0, 1, false)).toEqual({ priority: 0, tier: 'P4' });
    expect(r.priority(100, 0, false)).toEqual({ priority: 0, tier: 'P4' });
  });

  it('gives 0 and the excluded tier for an excluded account, nothing without an account', () => {
    expect(r.priority(0, 1, true)).toEqual({ priority: 0, tier: 'X' });
    expect(r.priority(null, 1, false)).toEqual({ priority: null, tier: null });
    expect(r.priority(null, 1, true)).toEqual({ priority: null, tier: null });
  });

  it('uses the model priority tiers and excluded tier', () => {
    const custom = compiled({
      excludedTier: 'Hors cible',
      priorityTiers: [
        { name: 'Chaud', min: 70 },
        { name: 'Tiède', min: 30 },
        { name: 'Froid', min: 0 },
      ],
    });
    expect(custom.priority(70, 1, false).tier).toBe('Chaud');
    expect(custom.priority(69, 1, false).tier).toBe('Tiède');
    expect(custom.priority(29, 1, false).tier).toBe('Froid');
    expect(custom.priority(90, 1, true)).toEqual({ priority: 0, tier: 'Hors cible' });
    expect(custom.priorityTierNames).toEqual(['Chaud', 'Tiède', 'Froid', 'Hors cible']);
    expect(r.priorityTierNames).toEqual([...DEFAULT_PRIORITY_TIERS.map((t) => t.name), 'X']);
  });
});

describe('committee coverage', () => {
  const r = compiled();

  it('is ⌊100 × covered / required + 0.5⌋ with the missing labels in list order', () => {
    expect(r.requiredRoles).toEqual(['decision_maker', 'buyer']);
    expect(r.coverage([])).toEqual({ coverage: 0, missing: 'Décideur; Acheteur' });
    expect(r.coverage(['buyer', 'user', 'none'])).toEqual({ coverage: 50, missing: 'Décideur' });
    expect(r.coverage(['buyer', 'decision_maker', 'buyer'])).toEqual({ coverage: 100, missing: '' });
  });

  it('rounds thirds half up', () => {
    const three = compiled({
      roles: { list: ['a', 'b', 'c'].map((id) => ({ id, points: 1, required: true, titles: [id] })) },
    });
    expect(three.coverage(['a'])?.coverage).toBe(33);
    expect(three.coverage(['a', 'b'])).toEqual({ coverage: 67, missing: 'c' });
  });

  it('is absent when no role is required', () => {
    const none = compiled({ roles: { list: [{ id: 'user', points: 1, titles: ['dev'] }] } });
    expect(none.coverage(['user'])).toBeNull();
    expect(none.requiredRoles).toEqual([]);
  });
});

describe('the CRM value of a role', () => {
  it('is the first value that resolves back to the role', () => {
    const r = compiled();
    expect(r.crmValueOf('decision_maker', 'hubspot')).toBe('DECISION_MAKER');
    expect(r.crmValueOf('decision_maker', 'salesforce')).toBe('Decision Maker');
    expect(r.crmValueOf('buyer', 'salesforce')).toBeUndefined();
    expect(r.crmValueOf('none', 'hubspot')).toBeUndefined();
    // A value a role with more points also lists would read back as that role.
    const shared = compiled({
      roles: { list: [{ id: 'big', points: 1, hubspot: ['CHAMPION'] }, { id: 'small', points: 0.5, titles: ['x'], hubspot: ['CHAMPION', 'END_USER'] }] },
    });
    expect(shared.crmValueOf('small', 'hubspot')).toBe('END_USER');
  });
});

describe('a model without roles', () => {
  it('compiles to no roles at all', () => {
    const res = parseModel({ version: 'v', tiers: [{ name: 'A', min: 0 }], criteria: CRITERIA }, 'icp.yaml');
    expect(res.ok && compileRoles(res.model)).toBeNull();
    expect(res.ok && 'roles' in res.model).toBe(false);
    expect(res.ok && 'priorityTiers' in res.model).toBe(false);
  });
});
