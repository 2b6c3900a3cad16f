/**
 * The Model editor's structured forms through app.inject, as a browser without JavaScript would
 * use them: read the fields from the page, change some, send them back, read the draft text the
 * page shows. Every matcher kind, exclusions and roles go round trip; invalid values show the
 * `icp-sync validate` message and stay in their field.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { MODEL_V1 } from './fake-console-runtime.ts';
import { draftText, formFields } from './form-fields.ts';
import { EDITOR_SECRET, buildConsoleApp, form, signIn, type Signed } from './helper.ts';

const RICH = `# every matcher kind
version: "r1"
tiers:
  - { name: A, min: 70 }
  - { name: C, min: 0 }
criteria:
  - id: country
    label: Pays
    attribute: country
    weight: 30
    tag: pays-cible
    match: { kind: category, values: { FR: 1, BE: 0.5 }, default: 0 }
  - id: naf
    attribute: naf
    weight: 20
    match:
      kind: prefix
      values:
        "62": 0.8
        "6201": 1
  - id: size
    attribute: employees
    weight: 40
    match: { kind: range, bands: [{ min: 50, max: 499, points: 1 }, { min: 500, points: 0.6 }], default: 0 }
  - id: saas
    attribute: is_saas
    weight: 10
    match: { kind: boolean, ifTrue: 1, ifFalse: 0.2 }
exclusions:
  - id: competitor
    attribute: is_competitor
    match: { kind: boolean }
    reason: Concurrent direct
roles:
  ignoreTitles: [stagiaire]
  list:
    - id: decision_maker
      label: Décideur
      points: 1
      required: true
      titles: [ceo, directeur general]
      hubspot: [DECISION_MAKER]
    - { id: user, label: Utilisateur, points: 0.5, titles: [developer] }
`;

interface Editor {
  app: FastifyInstance;
  signed: Signed;
  /** Sends fields as the form would; returns the status, the page, its draft text and fields. */
  send: (fields: Record<string, string>) => Promise<{ status: number; body: string; yaml: string; fields: Record<string, string> }>;
}

async function editor(): Promise<Editor> {
  const { app } = await buildConsoleApp();
  const signed = await signIn(app, EDITOR_SECRET);
  const send: Editor['send'] = async (all) => {
    // The publish section proposes a new version; these tests look at the other fields.
    const { 'version.model': _v, 'version0.model': _v0, ...fields } = all;
    const res = await app.inject({ method: 'POST', url: '/console/model/preview', cookies: signed.cookies, ...form({ ...fields, _csrf: signed.csrf }) });
    return { status: res.statusCode, body: res.body, yaml: draftText(res.body), fields: formFields(res.body) };
  };
  return { app, signed, send };
}

/** The page for a draft text, as if typed in the text area. */
async function open(e: Editor, yaml: string) {
  return e.send({ yaml, target: 'hubspot:companies' });
}

const model = (yaml: string) => {
  const parsed = parseModelText(yaml, 'icp.yaml');
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.model;
};

describe('model editor forms', () => {
  it('a points edit in a form changes exactly that value in the draft text', async () => {
    const e = await editor();
    const page = await e.app.inject({ method: 'GET', url: '/console/model', cookies: e.signed.cookies });
    const fields = formFields(page.body);
    expect(fields['c.country.m.k.0']).toBe('FR');
    expect(fields['c.country.m.p.0']).toBe('1');
    const res = await e.send({ ...fields, 'c.country.m.p.0': '0,5' });
    expect(res.status).toBe(200);
    expect(res.yaml).toBe(MODEL_V1.replace('values: { FR: 1 }', 'values: { FR: 0.5 }'));
    expect(res.fields['c.country.m.p.0']).toBe('0.5');
    // The preview ran on the edited draft.
    expect(res.body).toContain('5 records change tier, 10 change score');
  });

  it('sends the page back unchanged: the text is untouched, for every matcher kind, exclusions and roles', async () => {
    const e = await editor();
    const first = await open(e, RICH);
    expect(first.status).toBe(200);
    const again = await e.send(first.fields);
    expect(again.yaml).toBe(RICH);
    const { _csrf: _a, ...before } = first.fields;
    const { _csrf: _b, ...after } = again.fields;
    expect(after).toEqual(before);
  });

  it('round trips an edit of each matcher kind', async () => {
    const e = await editor();
    const { fields } = await open(e, RICH);
    expect(fields).toMatchObject({ 'c.naf.m.kind': 'prefix', 'c.naf.m.k.0': '62', 'c.naf.m.k.1': '6201', 'c.size.m.min.1': '500', 'c.size.m.max.1': '', 'c.saas.m.ifFalse': '0.2' });
    const res = await e.send({
      ...fields,
      'c.country.m.k.1': 'Belgique',
      'c.country.m.default': '0.1',
      'c.naf.m.p.0': '0.7',
      'c.naf.m.k.1': '62.01',
      'c.size.m.max.1': '4999',
      'c.size.m.min.0': '',
      'c.saas.m.ifTrue': '',
      'c.saas.m.ifFalse': '0',
    });
    expect(res.status).toBe(200);
    const m = model(res.yaml);
    expect(m.criteria.map((c) => c.match)).toEqual([
      { kind: 'category', values: { FR: 1, Belgique: 0.5 }, default: 0.1 },
      { kind: 'prefix', values: { '62': 0.7, '62.01': 1 } },
      { kind: 'range', bands: [{ max: 499, points: 1 }, { min: 500, max: 4999, points: 0.6 }], default: 0 },
      { kind: 'boolean', ifFalse: 0 },
    ]);
    expect(res.yaml).toContain('# every matcher kind');
    // The page shows the new values in the same fields.
    expect(res.fields).toMatchObject({ 'c.country.m.k.1': 'Belgique', 'c.naf.m.k.1': '62.01', 'c.size.m.max.1': '4999', 'c.size.m.min.0': '', 'c.saas.m.ifTrue': '' });
    expect((await e.send(res.fields)).yaml).toBe(res.yaml);
  });

  it('shows the validate message for an invalid value and keeps it in its field', async () => {
    const e = await editor();
    const { fields } = await open(e, RICH);
    const res = await e.send({ ...fields, 'c.country.m.p.0': '1.5', 'c.size.m.p.1': 'lots', 'x.0.attribute': 'Is Competitor' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<li><code>icp.yaml: criteria[0].match.values.FR: must be between 0 and 1</code></li>');
    expect(res.body).toContain('<li><code>icp.yaml: criteria[2].match.bands[1].points: must be a number, not the text &quot;lots&quot;</code></li>');
    expect(res.body).toContain('<li><code>icp.yaml: exclusions[0].attribute: must be snake_case: a lower-case letter, then lower-case letters, digits or _</code></li>');
    expect(res.fields).toMatchObject({ 'c.country.m.p.0': '1.5', 'c.size.m.p.1': 'lots', 'x.0.attribute': 'Is Competitor' });
  });

  it('adds and removes rows with submit buttons', async () => {
    const e = await editor();
    const { fields } = await open(e, RICH);
    const added = await e.send({ ...fields, op: 'add:c.country.m' });
    expect(added.yaml).toBe(RICH);
    expect(added.fields['c.country.m.k.2']).toBe('');
    expect(added.body).toMatch(/<details id="crit-country" class="item" open>/);
    const filled = await e.send({ ...added.fields, 'c.country.m.k.2': 'Suisse', 'c.country.m.p.2': '0.4' });
    expect(filled.yaml).toContain('values: { FR: 1, BE: 0.5, Suisse: 0.4 }');
    const removed = await e.send({ ...filled.fields, op: 'del:c.country.m.0' });
    expect(model(removed.yaml).criteria[0]?.match).toEqual({ kind: 'category', values: { BE: 0.5, Suisse: 0.4 }, default: 0 });
    const noBand = await e.send({ ...removed.fields, op: 'del:c.size.m.0' });
    const noBand2 = await e.send({ ...noBand.fields, op: 'del:c.size.m.0' });
    expect(noBand2.status).toBe(400);
    expect(noBand2.body).toContain('icp.yaml: criteria[2].match.bands: must list at least one band');
  });

  it('changes a matcher kind, adds and removes a criterion', async () => {
    const e = await editor();
    const { fields } = await open(e, RICH);
    const toBoolean = await e.send({ ...fields, 'c.country.m.kind': 'boolean' });
    expect(model(toBoolean.yaml).criteria[0]?.match).toEqual({ kind: 'boolean' });
    const toRange = await e.send({ ...toBoolean.fields, 'c.country.m.kind': 'range' });
    expect(toRange.status).toBe(400);
    expect(toRange.fields['c.country.m.p.0']).toBe('');
    const band = await e.send({ ...toRange.fields, 'c.country.m.min.0': '1', 'c.country.m.p.0': '1' });
    expect(model(band.yaml).criteria[0]?.match).toEqual({ kind: 'range', bands: [{ min: 1, points: 1 }] });
    const withNew = await e.send({ ...band.fields, 'cnew.id': 'industry', 'cnew.attribute': 'industry', 'cnew.weight': '15', 'cnew.kind': 'category' });
    expect(withNew.status).toBe(400);
    expect(withNew.body).toContain('icp.yaml: criteria[4].match.values: must list at least one value');
    const valued = await e.send({ ...withNew.fields, 'c.industry.m.k.0': 'Software', 'c.industry.m.p.0': '1' });
    expect(valued.status).toBe(200);
    expect(model(valued.yaml).criteria[4]).toMatchObject({ id: 'industry', attribute: 'industry', weight: 15, match: { kind: 'category', values: { Software: 1 } } });
    const without = await e.send({ ...valued.fields, op: 'del:c.naf' });
    expect(model(without.yaml).criteria.map((c) => c.id)).toEqual(['country', 'size', 'saas', 'industry']);
  });

  it('edits, adds and removes exclusions', async () => {
    const e = await editor();
    const { fields } = await open(e, RICH);
    const added = await e.send({ ...fields, op: 'add:x' });
    expect(added.fields['x.1.id']).toBe('');
    const filled = await e.send({ ...added.fields, 'x.1.id': 'student', 'x.1.attribute': 'industry', 'x.1.m.kind': 'category', 'x.0.reason': 'Concurrent' });
    // The new exclusion chose category: its value rows come next.
    const valued = await e.send({ ...filled.fields, 'x.1.m.k.0': 'Education', 'x.1.m.p.0': '1', 'x.1.reason': 'Écoles' });
    expect(valued.status).toBe(200);
    expect(model(valued.yaml).exclusions).toEqual([
      { id: 'competitor', attribute: 'is_competitor', match: { kind: 'boolean' }, reason: 'Concurrent' },
      { id: 'student', attribute: 'industry', match: { kind: 'category', values: { Education: 1 } }, reason: 'Écoles' },
    ]);
    const none = await e.send({ ...(await e.send({ ...valued.fields, op: 'del:x.0' })).fields, op: 'del:x.0' });
    expect(model(none.yaml).exclusions).toEqual([]);
    expect(none.yaml).not.toContain('exclusions');
  });

  it('edits, adds and removes buying roles', async () => {
    const e = await editor();
    const { fields } = await open(e, RICH);
    expect(fields).toMatchObject({ 'r.0.required': 'true', 'r.0.titles': 'ceo\ndirecteur general', 'r.ignoreTitles': 'stagiaire' });
    expect(fields['r.1.required']).toBeUndefined();
    const added = await e.send({ ...fields, op: 'add:r' });
    const { 'r.0.required': _dropped, ...unchecked } = added.fields;
    const res = await e.send({ ...unchecked, 'r.1.required': 'true', 'r.2.id': 'buyer', 'r.2.label': 'Acheteur', 'r.2.points': '0.8', 'r.2.titles': 'achats\r\n cfo \n\ndaf', 'r.2.hubspot': 'BUDGET_HOLDER', 'r.2.salesforce': 'Economic Buyer', 'r.defaultPoints': '0.1' });
    expect(res.status).toBe(200);
    const roles = model(res.yaml).roles;
    expect(roles?.defaultPoints).toBe(0.1);
    expect(roles?.list.map((r) => [r.id, r.required, r.titles, r.hubspot, r.salesforce])).toEqual([
      ['decision_maker', false, ['ceo', 'directeur general'], ['DECISION_MAKER'], []],
      ['user', true, ['developer'], [], []],
      ['buyer', false, ['achats', 'cfo', 'daf'], ['BUDGET_HOLDER'], ['Economic Buyer']],
    ]);
    const bad = await e.send({ ...res.fields, 'r.2.id': 'none', 'r.2.points': '2' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('icp.yaml: roles.list[2].id: &quot;none&quot; is reserved for people with no role');
    expect(bad.body).toContain('icp.yaml: roles.list[2].points: must be between 0 and 1');
    let all = res;
    for (let i = 0; i < 3; i++) all = await e.send({ ...all.fields, 'r.ignoreTitles': '', 'r.defaultPoints': '', op: 'del:r.0' });
    expect(model(all.yaml).roles).toBeUndefined();
  });

  it('edits priority tiers (none left: the defaults) and the excluded tier', async () => {
    const e = await editor();
    const { fields, body } = await open(e, RICH);
    expect(body).toContain('None listed: P1 ≥ 60, P2 ≥ 40, P3 ≥ 20, P4 ≥ 0.');
    const one = await e.send({ ...(await e.send({ ...fields, op: 'add:pt' })).fields, 'pt.0.name': 'Hot', 'pt.0.min': '70', 'pt.0.label': 'Chaud' });
    const two = await e.send({ ...(await e.send({ ...one.fields, op: 'add:pt' })).fields, 'pt.1.name': 'Cold', 'pt.1.min': '0', 'excludedTier.model': 'Hors-cible' });
    expect(two.status).toBe(200);
    const m = model(two.yaml);
    expect(m.priorityTiers).toEqual([{ name: 'Hot', min: 70, label: 'Chaud' }, { name: 'Cold', min: 0 }]);
    expect(m.excludedTier).toBe('Hors-cible');
    const bad = await e.send({ ...two.fields, 'pt.1.min': '150' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('icp.yaml: priorityTiers[1].min: must be between 0 and 100');
    const none = await e.send({ ...(await e.send({ ...two.fields, op: 'del:pt.0' })).fields, op: 'del:pt.0' });
    expect(model(none.yaml).priorityTiers).toBeUndefined();
    expect(none.yaml).not.toContain('priorityTiers');
  });

  it('keeps an edit made in the text when the forms are sent as shown', async () => {
    const e = await editor();
    const { fields } = await open(e, RICH);
    const edited = RICH.replace('BE: 0.5', 'BE: 0.6').replace('reason: Concurrent direct', 'reason: Rival');
    const res = await e.send({ ...fields, yaml: edited, 'c.size.m.p.1': '0.7' });
    expect(res.yaml).toBe(edited.replace('points: 0.6 }], default', 'points: 0.7 }], default'));
  });

  it('escapes values in the forms', async () => {
    const e = await editor();
    const res = await open(e, RICH.replace('FR: 1,', '"<img src=x onerror=alert(1)>": 1,'));
    expect(res.body).not.toContain('<img src=x');
    expect(res.fields['c.country.m.k.0']).toBe('<img src=x onerror=alert(1)>');
  });
});
