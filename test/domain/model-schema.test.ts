import { describe, expect, it } from 'vitest';
import { parseModel, parseModelText } from '../../src/domain/model-schema.ts';

const valid = () => ({
  version: '2026.11',
  tiers: [
    { name: 'A', min: 80 },
    { name: 'B', min: 0 },
  ],
  criteria: [{ id: 'industry', attribute: 'industry', weight: 30, match: { kind: 'category', values: { software: 1 } } }],
});

function problemsOf(doc: unknown): string[] {
  const res = parseModel(doc, 'icp.yaml');
  if (res.ok) throw new Error('expected problems');
  return res.problems;
}

describe('parseModel', () => {
  it('applies the defaults', () => {
    const res = parseModel(valid(), 'icp.yaml');
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.model.excludedTier).toBe('X');
    expect(res.model.exclusions).toEqual([]);
    expect(res.model.criteria[0]).toMatchObject({ label: 'industry', tagAt: 1 });
    expect(res.model.criteria[0]?.tag).toBeUndefined();
  });

  it.each<[string, (d: ReturnType<typeof valid> & Record<string, unknown>) => void, string]>([
    ['zero weight', (d) => Object.assign(d.criteria[0] as object, { weight: 0 }), 'icp.yaml: criteria[0].weight: must be > 0'],
    ['typo in a key', (d) => {
      const c = d.criteria[0] as Record<string, unknown>;
      c['wieght'] = c['weight'];
      delete c['weight'];
    }, 'icp.yaml: criteria[0]: unknown key "wieght" (did you mean "weight"?)'],
    ['points above 1', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'category', values: { software: 2 } } }), 'icp.yaml: criteria[0].match.values.software: must be between 0 and 1'],
    ['unknown matcher kind', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'regex', values: {} } }), 'icp.yaml: criteria[0].match.kind: must be one of "category", "prefix", "range", "boolean", not the text "regex"'],
    ['matcher kind with a typo', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'categroy', values: { a: 1 } } }), 'icp.yaml: criteria[0].match.kind: must be one of "category", "prefix", "range", "boolean", not the text "categroy" (did you mean "category"?)'],
    ['matcher without kind', (d) => Object.assign(d.criteria[0] as object, { match: { values: { a: 1 } } }), 'icp.yaml: criteria[0].match.kind: is required (one of "category", "prefix", "range", "boolean")'],
    ['values written as a list', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'category', values: ['software'] } }), 'icp.yaml: criteria[0].match.values: must be a mapping (key: value), not a list'],
    ['version written as a number', (d) => Object.assign(d, { version: 2026.11 }), 'icp.yaml: version: must be a text: quote it, e.g. version: "2026.11"'],
    ['version too long', (d) => Object.assign(d, { version: 'v'.repeat(65) }), 'icp.yaml: version: must be 1 to 64 characters'],
    ['no tier at 0', (d) => Object.assign(d, { tiers: [{ name: 'A', min: 80 }] }), 'icp.yaml: tiers: one tier must have min 0, so that every score gets a tier'],
    ['duplicate tier min', (d) => d.tiers.push({ name: 'C', min: 80 }), 'icp.yaml: tiers[2].min: min 80 is already used by tiers[0]'],
    ['excluded tier named like a tier', (d) => Object.assign(d, { excludedTier: 'A' }), 'icp.yaml: excludedTier: excluded tier "A" is also a tier name; rename one of them'],
    ['bad criterion id', (d) => Object.assign(d.criteria[0] as object, { id: 'Industry-Fit' }), 'icp.yaml: criteria[0].id: must be snake_case: a lower-case letter, then lower-case letters, digits or _'],
    ['bad attribute name', (d) => Object.assign(d.criteria[0] as object, { attribute: 'numberOfEmployees' }), 'icp.yaml: criteria[0].attribute: must be snake_case: a lower-case letter, then lower-case letters, digits or _'],
    ['missing weight', (d) => delete (d.criteria[0] as Record<string, unknown>)['weight'], 'icp.yaml: criteria[0].weight: is required'],
    ['no criteria', (d) => Object.assign(d, { criteria: [] }), 'icp.yaml: criteria: must list at least one criterion'],
    ['tag with a semicolon', (d) => Object.assign(d.criteria[0] as object, { tag: 'a;b' }), 'icp.yaml: criteria[0].tag: must not contain ";" (the CRMs separate multiple values with it)'],
    ['tagAt of 0', (d) => Object.assign(d.criteria[0] as object, { tagAt: 0 }), 'icp.yaml: criteria[0].tagAt: must be > 0 and ≤ 1'],
    ['keys equal once normalised', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'category', values: { Software: 1, ' software ': 0.5 } } }), 'icp.yaml: criteria[0].match.values[" software "]: same as "Software" once normalised ("software")'],
    // JavaScript lists integer-like keys ("6201") first, so "62.01" is the one reported.
    ['prefixes equal once normalised', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'prefix', values: { '62.01': 1, '6201': 0.5 } } }), 'icp.yaml: criteria[0].match.values["62.01"]: same as "6201" once normalised ("6201")'],
    ['band min above max', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'range', bands: [{ min: 500, max: 50, points: 1 }] } }), 'icp.yaml: criteria[0].match.bands[0]: min (500) must be ≤ max (50)'],
    ['band without bounds', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'range', bands: [{ points: 1 }] } }), 'icp.yaml: criteria[0].match.bands[0]: needs min or max (or both); use default for values in no band'],
    ['no bands', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'range', bands: [] } }), 'icp.yaml: criteria[0].match.bands: must list at least one band'],
    ['boolean points out of range', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'boolean', ifFalse: -0.5 } }), 'icp.yaml: criteria[0].match.ifFalse: must be between 0 and 1'],
    ['default out of range', (d) => Object.assign(d.criteria[0] as object, { match: { kind: 'prefix', values: { '62': 1 }, default: 1.5 } }), 'icp.yaml: criteria[0].match.default: must be between 0 and 1'],
    ['exclusion without reason', (d) => Object.assign(d, { exclusions: [{ id: 'x', attribute: 'is_competitor', match: { kind: 'boolean' } }] }), 'icp.yaml: exclusions[0].reason: is required'],
    ['tier min not an integer', (d) => Object.assign(d.tiers[0] as object, { min: 79.5 }), 'icp.yaml: tiers[0].min: must be a whole number'],
    ['tier min above 100', (d) => Object.assign(d.tiers[0] as object, { min: 101 }), 'icp.yaml: tiers[0].min: must be between 0 and 100'],
  ])('%s', (_name, edit, expected) => {
    const doc = valid() as ReturnType<typeof valid> & Record<string, unknown>;
    edit(doc);
    expect(problemsOf(doc)).toContain(expected);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      version: '',
      tiers: [
        { name: 'A', min: 50 },
        { name: 'A', min: 50 },
      ],
      criteria: [
        { id: 'a', attribute: 'a', weight: -1, match: { kind: 'category', values: { x: 1 } } },
        { id: 'a', attribute: 'b', weight: 1, match: { kind: 'boolean', ifTrue: 3 } },
      ],
      exclusions: [
        { id: 'e', attribute: 'e', match: { kind: 'boolean' }, reason: 'r' },
        { id: 'e', attribute: 'e', match: { kind: 'boolean' }, reason: ' ' },
      ],
      extra: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'icp.yaml: version: must be 1 to 64 characters',
        'icp.yaml: criteria[0].weight: must be > 0',
        'icp.yaml: criteria[1].match.ifTrue: must be between 0 and 1',
        'icp.yaml: exclusions[1].reason: must not be empty',
        'icp.yaml: unknown key "extra"',
        'icp.yaml: tiers[1].name: tier name "A" is already used by tiers[0]',
        'icp.yaml: tiers[1].min: min 50 is already used by tiers[0]',
        'icp.yaml: tiers: one tier must have min 0, so that every score gets a tier',
        'icp.yaml: criteria[1].id: criterion id "a" is already used by criteria[0]',
        'icp.yaml: exclusions[1].id: exclusion id "e" is already used by exclusions[0]',
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('refuses a document that is not a mapping', () => {
    expect(problemsOf(null)).toEqual(['icp.yaml: must be a mapping (key: value), not null']);
    expect(problemsOf([1])).toEqual(['icp.yaml: must be a mapping (key: value), not a list']);
  });
});

describe('parseModelText', () => {
  it('reads YAML', () => {
    const res = parseModelText(
      'version: "1"\ntiers: [{ name: A, min: 0 }]\ncriteria:\n  - { id: a, attribute: a, weight: 1, match: { kind: boolean } }\n',
      'icp.yaml',
    );
    expect(res.ok).toBe(true);
  });

  it('keeps unquoted number-like keys as written (62.10 stays "62.10", not 62.1)', () => {
    const res = parseModelText(
      'version: "1"\ntiers: [{ name: A, min: 0 }]\ncriteria:\n  - id: naf\n    attribute: naf\n    weight: 1\n    match: { kind: prefix, values: { 62.10: 1, 70: 0.5, true: 0.2 } }\n',
      'icp.yaml',
    );
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const match = res.model.criteria[0]?.match;
    expect(match?.kind === 'prefix' && Object.keys(match.values).sort()).toEqual(['62.10', '70', 'true']);
  });

  it('reads JSON', () => {
    const res = parseModelText(JSON.stringify(valid()), 'icp.json');
    expect(res.ok && res.model.criteria[0]?.id).toBe('industry');
  });

  it('reports syntax errors with line and column', () => {
    const res = parseModelText('version: "1"\ntiers: [\n  { name: A, min: 0 }\ncriteria: x\n', 'icp.yaml');
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problems[0]).toMatch(/^icp\.yaml: \(line \d+, col \d+\): /);
  });

  it('refuses duplicate keys, which YAML would otherwise let the last one win', () => {
    const res = parseModelText('version: "1"\nversion: "2"\n', 'icp.yaml');
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problems[0]).toMatch(/^icp\.yaml: \(line 2, col 1\): .*unique/);
  });

  it('validates after parsing, with the file name given', () => {
    const res = parseModelText('version: "1"\n', 'my-model.yaml');
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problems).toEqual(['my-model.yaml: tiers: is required', 'my-model.yaml: criteria: is required']);
  });
});

describe('roles and priorityTiers', () => {
  const base = () => ({
    ...valid(),
    roles: {
      ignoreTitles: ['assistant'],
      list: [
        { id: 'decision_maker', label: 'Décideur', points: 1, required: true, titles: ['ceo', 'dg'], hubspot: ['DECISION_MAKER'], salesforce: ['Decision Maker'] },
        { id: 'user', points: 0.5, titles: ['developer'] },
      ] as Array<Record<string, unknown>>,
    },
  });

  it('applies the role defaults and keeps a model without roles free of them', () => {
    const res = parseModel(base(), 'icp.yaml');
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.model.roles).toEqual({
      ignoreTitles: ['assistant'],
      defaultPoints: 0,
      list: [
        { id: 'decision_maker', label: 'Décideur', points: 1, required: true, titles: ['ceo', 'dg'], hubspot: ['DECISION_MAKER'], salesforce: ['Decision Maker'] },
        { id: 'user', label: 'user', points: 0.5, required: false, titles: ['developer'], hubspot: [], salesforce: [] },
      ],
    });
    expect(res.model.priorityTiers).toBeUndefined();
  });

  it('reports every problem of the roles at once, with precise paths', () => {
    const doc = base();
    Object.assign(doc.roles, { defaultPoints: 2 });
    doc.roles.list.push(
      { id: 'decision_maker', points: 0.5, titles: ['CEO!', '  '] },
      { id: 'none', points: 1, titles: ['x'] },
      { id: 'buyer', points: 1.5, titels: ['daf'] },
      { id: 'helper', points: 0.3, titles: ['Assistant manager', '***'], hubspot: ['DECISION_MAKR'], salesforce: ['Economic buyer'] },
    );
    expect(problemsOf(doc)).toEqual([
      'icp.yaml: roles.defaultPoints: must be between 0 and 1',
      'icp.yaml: roles.list[2].titles[1]: must not be empty',
      'icp.yaml: roles.list[3].id: "none" is reserved for people with no role',
      'icp.yaml: roles.list[4].points: must be between 0 and 1',
      'icp.yaml: roles.list[4]: unknown key "titels" (did you mean "titles"?)',
      'icp.yaml: roles.list[2].id: role id "decision_maker" is already used by roles.list[0]',
      'icp.yaml: roles.list[4]: nobody can hold this role: list titles, hubspot or salesforce values',
      'icp.yaml: roles.list[5].titles[1]: has no letter or digit: it can never match a title',
      'icp.yaml: roles.list[5].titles[0]: never matches: every title containing it also contains the ignored pattern "assistant"',
      'icp.yaml: roles.list[5].hubspot[0]: "DECISION_MAKR" is compared exactly and is not a standard value (did you mean "DECISION_MAKER"?)',
      'icp.yaml: roles.list[5].salesforce[0]: "Economic buyer" is compared exactly and is not a standard value (did you mean "Economic Buyer"?)',
    ]);
  });

  it('refuses repeated patterns and values once normalised', () => {
    const doc = base();
    doc.roles.list[0] = { ...doc.roles.list[0], titles: ['Directeur Général', 'directeur general'], hubspot: ['DECISION_MAKER', 'DECISION_MAKER'] };
    expect(problemsOf(doc)).toEqual([
      'icp.yaml: roles.list[0].titles[1]: same as titles[0] once normalised ("directeur general")',
      'icp.yaml: roles.list[0].hubspot[1]: "DECISION_MAKER" is listed twice',
    ]);
  });

  it('accepts custom CRM values far from any standard one', () => {
    const doc = base();
    doc.roles.list[1] = { ...doc.roles.list[1], hubspot: ['SPONSOR_TECHNIQUE'], salesforce: ['Sponsor technique'] };
    expect(parseModel(doc, 'icp.yaml').ok).toBe(true);
  });

  it('checks priority tiers like tiers', () => {
    expect(problemsOf({ ...base(), priorityTiers: [{ name: 'P1', min: 50 }, { name: 'P1', min: 50 }, { name: 'X', min: 10 }] })).toEqual([
      'icp.yaml: priorityTiers[1].name: tier name "P1" is already used by priorityTiers[0]',
      'icp.yaml: priorityTiers[1].min: min 50 is already used by priorityTiers[0]',
      'icp.yaml: priorityTiers: one tier must have min 0, so that every priority gets a tier',
      'icp.yaml: priorityTiers: excluded tier "X" is also a priority tier name (excluded accounts give that priority tier); rename one of them',
    ]);
    expect(problemsOf({ ...valid(), priorityTiers: [{ name: 'P1', min: 0 }] })).toEqual([
      'icp.yaml: priorityTiers: has no effect without roles: add roles or remove priorityTiers',
    ]);
    expect(problemsOf({ ...base(), roles: { list: [] } })).toEqual(['icp.yaml: roles.list: must list at least one role']);
  });
});
