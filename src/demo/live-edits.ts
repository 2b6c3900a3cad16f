/**
 * The demo's live part: edits made "by a sales rep" in the sandbox (changeSource CRM_UI), each
 * delivered to icp-sync as a signed webhook; the demo waits until the new score is back in the
 * CRM and prints before → after with the reasons icp-sync wrote.
 */
import type { CrmConnector, OutputKey } from '../connectors/port.ts';
import type { IcpModel } from '../domain/types.ts';
import type { HubSpotSandbox, SandboxCompany } from '../sandbox/hubspot/server.ts';
import { DemoError } from './demo-error.ts';
import type { DemoTerminal } from './terminal.ts';

export interface LiveEdit {
  /** What happened, in words. */
  story: string;
  company: SandboxCompany;
  values: Record<string, string>;
}

export interface LiveEditResult {
  id: string;
  before: { score: string | null; tier: string | null };
  after: { score: string | null; tier: string | null; reasons: string | null };
  seconds: number;
}

export interface LiveEditsOptions {
  sandbox: HubSpotSandbox;
  connector: CrmConnector;
  model: IcpModel;
  term: DemoTerminal;
  timeoutMs: number;
}

/** CRM property name of one output value on HubSpot companies. */
export function outputName(connector: CrmConnector, key: OutputKey): string {
  const field = connector.outputFields('companies').find((f) => f.key === key);
  if (!field) throw new DemoError(`the HubSpot connector writes no ${key} field`);
  return field.name;
}

const FRANCOPHONE = new Set(['France', 'Belgium', 'Switzerland']);

function num(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Three edits that move scores both ways, picked deterministically from the seeded portal. */
export function pickEdits(companies: readonly SandboxCompany[], fields: { score: string; tier: string }, topTier: string): LiveEdit[] {
  const scoreField = fields.score;
  const tierField = fields.tier;
  const used = new Set<string>();
  const take = (pred: (c: SandboxCompany) => boolean): SandboxCompany | undefined => {
    const c = companies.find((x) => !used.has(x.id) && pred(x));
    if (c) used.add(c.id);
    return c;
  };
  const edits: LiveEdit[] = [];
  const small = take((c) => (num(c.properties.numberofemployees) ?? 99) < 10);
  if (small) {
    edits.push({
      story: `grows to 120 employees and moves into software (was ${small.properties.numberofemployees} employees, ${small.properties.industry ?? 'no industry'})`,
      company: small,
      values: { numberofemployees: '120', industry: 'COMPUTER_SOFTWARE' },
    });
  }
  const abroad = take((c) => c.properties.country !== null && c.properties.country !== undefined && !FRANCOPHONE.has(c.properties.country));
  if (abroad) {
    edits.push({ story: `moves its headquarters from ${abroad.properties.country} to France`, company: abroad, values: { country: 'France', city: 'Lyon' } });
  }
  // The best-scored company that has staff to lose (a seeded portal may hold no top-tier company).
  const byScore = [...companies].sort((a, b) => (num(b.properties[scoreField]) ?? -1) - (num(a.properties[scoreField]) ?? -1));
  const top = byScore.find((c) => !used.has(c.id) && c.properties[tierField] === topTier) ?? byScore.find((c) => !used.has(c.id) && (num(c.properties.numberofemployees) ?? 0) >= 20);
  if (top) {
    used.add(top.id);
    edits.push({ story: `shrinks from ${top.properties.numberofemployees ?? '?'} to 4 employees`, company: top, values: { numberofemployees: '4' } });
  }
  return edits;
}

export async function runLiveEdits(options: LiveEditsOptions): Promise<LiveEditResult[]> {
  const { sandbox, connector, model, term, timeoutMs } = options;
  const scoreField = outputName(connector, 'score');
  const tierField = outputName(connector, 'tier');
  const reasonsField = outputName(connector, 'reasons');
  const topTier = [...model.tiers].sort((a, b) => b.min - a.min)[0]?.name ?? '';
  const edits = pickEdits(sandbox.store.list(), { score: scoreField, tier: tierField }, topTier);
  const results: LiveEditResult[] = [];

  for (const [i, edit] of edits.entries()) {
    const id = edit.company.id;
    const current = sandbox.store.get(id);
    if (!current) continue;
    const before = { score: current.properties[scoreField] ?? null, tier: current.properties[tierField] ?? null };
    const beforeReasons = current.properties[reasonsField] ?? null;
    term.line(`  ${i + 1}. ${current.properties.name ?? id} (id ${id}) ${edit.story}`);
    const started = Date.now();
    const res = sandbox.store.update(id, edit.values, { changeSource: 'CRM_UI', sourceId: 'userId:1001' });
    if (!('company' in res)) throw new DemoError(`the sandbox refused the edit on company ${id}`);
    // The reasons text carries each criterion's value, so any edit of a scored field changes it.
    const deadline = started + timeoutMs;
    let after = sandbox.store.get(id);
    while ((after?.properties[reasonsField] ?? null) === beforeReasons) {
      if (Date.now() > deadline) throw new DemoError(`company ${id} was not rescored within ${Math.round(timeoutMs / 1000)} s of its edit`);
      await new Promise((r) => setTimeout(r, 100));
      after = sandbox.store.get(id);
    }
    const seconds = (Date.now() - started) / 1000;
    const result: LiveEditResult = {
      id,
      before,
      after: { score: after?.properties[scoreField] ?? null, tier: after?.properties[tierField] ?? null, reasons: after?.properties[reasonsField] ?? null },
      seconds,
    };
    results.push(result);
    term.line(`     score ${before.score ?? '?'} (${before.tier ?? '?'}) → ${result.after.score ?? '?'} (${result.after.tier ?? '?'}), written back ${seconds.toFixed(1)} s after the edit`);
    term.line(`     reasons: ${result.after.reasons ?? ''}`);
  }
  if (results.length === 0) throw new DemoError('no company in the sandbox suits a live edit');
  return results;
}
