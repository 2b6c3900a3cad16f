/**
 * What a production deploy of the DX project needs (issue 14 item 23): flows with a fault path and without the
 * deprecated `nameSegment`, an Apex test that launches every flow, and no placeholder endpoint or user that
 * can be deployed as it is.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { deployProblems, endpointProblems, userProblems } from '../../../src/connectors/salesforce/dx-deploy-check.ts';
import { FAILURE_OBJECT, FLOW_TEST_CLASS } from '../../../src/connectors/salesforce/dx-flows.ts';
import { PERSON_TRIGGER_FIELDS, TRIGGER_FIELDS } from '../../../src/connectors/salesforce/dx-source.ts';

const ROOT = 'integrations/salesforce';
const DEFAULT = `${ROOT}/force-app/main/default`;

function readTree(root: string, dir = root, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) readTree(root, path, out);
    else out.set(relative(root, path), readFileSync(path, 'utf8'));
  }
  return out;
}

const parser = new XMLParser({ ignoreAttributes: true, isArray: (name) => ['actionCalls', 'recordCreates', 'inputAssignments'].includes(name) });
type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v === undefined ? [] : [v as Node]);

const node = process.execPath;
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});
function generate(args: string[], env: Record<string, string> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'icp-dx-'));
  scratch.push(out);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['PUBLIC_BASE_URL', 'SALESFORCE_WEBHOOK_TOKEN', 'SALESFORCE_USERNAME'].includes(k)));
  // An empty working directory: no .env is picked up.
  const run = spawnSync(node, [join(process.cwd(), ROOT, 'generate.ts'), '--model', join(process.cwd(), 'config/icp.example.yaml'), '--out', out, ...args], {
    cwd: out,
    env: { ...clean, ...env },
    encoding: 'utf8',
  });
  return { ...run, out };
}

describe('flows of the DX project', () => {
  const flows = readdirSync(`${DEFAULT}/flows`).map((f) => [f, parser.parse(readFileSync(`${DEFAULT}/flows/${f}`, 'utf8')).Flow as Node] as const);
  const failureFields = new Set(readdirSync(`${DEFAULT}/objects/${FAILURE_OBJECT}/fields`).map((f) => f.replace('.field-meta.xml', '')));

  it('name the outbound message with actionName only (nameSegment is deprecated from API 62.0)', () => {
    expect(flows).toHaveLength(6);
    for (const [file, flow] of flows) {
      expect(readFileSync(`${DEFAULT}/flows/${file}`, 'utf8'), file).not.toMatch(/nameSegment|versionSegment/);
      for (const call of list(flow.actionCalls)) expect(call.actionName, file).toMatch(/^(Account|Lead|Contact)\.ICP_Sync_\1$/);
    }
  });

  it('give every outbound message action a fault path that records the failure in fields that exist', () => {
    for (const [file, flow] of flows) {
      const creates = new Map(list(flow.recordCreates).map((r) => [String(r.name), r]));
      for (const call of list(flow.actionCalls)) {
        const target = String((call.faultConnector as Node | undefined)?.targetReference ?? '');
        const create = creates.get(target);
        expect(create, `${file}: fault connector of ${String(call.name)}`).toBeDefined();
        expect(create?.object).toBe(FAILURE_OBJECT);
        const assigned = list(create?.inputAssignments).map((a) => String(a.field));
        expect(assigned.every((f) => failureFields.has(f)), `${file}: ${assigned.join(', ')}`).toBe(true);
        expect(list(create?.inputAssignments).map((a) => (a.value as Node).elementReference).filter(Boolean)).toEqual(['$Flow.FaultMessage', '$Record.Id']);
      }
    }
    expect(readFileSync(`${DEFAULT}/objects/${FAILURE_OBJECT}/${FAILURE_OBJECT}.object-meta.xml`, 'utf8')).toContain('<deploymentStatus>Deployed</deploymentStatus>');
  });
});

describe(`Apex test ${FLOW_TEST_CLASS}`, () => {
  const cls = readFileSync(`${DEFAULT}/classes/${FLOW_TEST_CLASS}.cls`, 'utf8');

  it('launches both flows of every object: a create, then a change of a watched scoring input', () => {
    expect(cls).toMatch(new RegExp(`@IsTest\\s+private class ${FLOW_TEST_CLASS} \\{`));
    for (const objectType of ['Account', 'Lead', 'Contact']) {
      const v = objectType.toLowerCase();
      expect(cls).toContain(`insert ${v};`);
      const changed = new RegExp(`${v}\\.(\\w+) = [^;]+;\\s+update ${v};`).exec(cls)?.[1] ?? '';
      expect([...(TRIGGER_FIELDS[objectType] ?? []), ...(PERSON_TRIGGER_FIELDS[objectType] ?? [])]).toContain(changed);
      expect(cls).toContain(`FROM ${FAILURE_OBJECT} WHERE Record_Id__c = :${v}.Id`);
    }
    expect(readFileSync(`${DEFAULT}/classes/${FLOW_TEST_CLASS}.cls-meta.xml`, 'utf8')).toContain('<apiVersion>65.0</apiVersion>');
  });

  it('is the test docs/salesforce.md deploys with RunSpecifiedTests', () => {
    const docs = readFileSync('docs/salesforce.md', 'utf8');
    expect(docs).toContain(`sf project deploy start --source-dir force-app --test-level RunSpecifiedTests --tests ${FLOW_TEST_CLASS} --target-org`);
  });
});

describe('placeholders that must not be deployed', () => {
  it('the committed project is refused, naming each placeholder', () => {
    const problems = deployProblems(readTree(ROOT, join(ROOT, 'force-app')));
    expect(problems.some((p) => p.includes('Account.workflow-meta.xml') && p.includes('token "CHANGE_ME"'))).toBe(true);
    expect(problems.some((p) => p.includes('integration user integration-user@icp-sync.invalid is a placeholder'))).toBe(true);
  });

  it('the placeholders of the previous committed copy are refused too', () => {
    expect(endpointProblems('https://icp-sync.example.com/webhooks/salesforce?token=CHANGE_ME')).toHaveLength(2);
    expect(userProblems('integration-user@example.com')).toHaveLength(1);
    expect(endpointProblems('http://icp.acme.io:3000/webhooks/salesforce')).toEqual([
      'the endpoint must use https (got http)',
      'the endpoint port 3000 is refused by Salesforce (80, 443 or 7000–10000)',
      'the endpoint has no ?token= (SALESFORCE_WEBHOOK_TOKEN)',
    ]);
    expect(endpointProblems('https://icp.acme.io/webhooks/salesforce?token=s3cr3t-long-random')).toEqual([]);
  });

  it('generate.ts writes nothing without an endpoint and a user, or with placeholder ones', () => {
    const none = generate([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no endpoint: pass --endpoint URL');
    expect(readdirSync(none.out)).toEqual([]);
    const fake = generate(['--endpoint', 'https://icp-sync.example.com/webhooks/salesforce?token=CHANGE_ME', '--user', 'integration-user@example.com']);
    expect(fake.status).toBe(2);
    expect(readdirSync(fake.out)).toEqual([]);
  });

  it('generate.ts with real values (arguments or environment) renders a deployable project', () => {
    const run = generate([], { PUBLIC_BASE_URL: 'https://icp.acme.io/', SALESFORCE_WEBHOOK_TOKEN: 'k9f2-long-random', SALESFORCE_USERNAME: 'icp@acme.io' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const files = readTree(run.out, join(run.out, 'force-app'));
    expect(deployProblems(files)).toEqual([]);
    expect(files.get('force-app/main/default/workflows/Account.workflow-meta.xml')).toContain('<endpointUrl>https://icp.acme.io/webhooks/salesforce?token=k9f2-long-random</endpointUrl>');
  });
});
