/**
 * The demo's live part: edits made "by a sales rep" in the sandbox, each delivered to icp-sync as
 * a webhook; the demo waits until the new score is back in the CRM and prints before → after with
 * the reasons icp-sync wrote.
 */
import type { CrmConnector, OutputKey } from '../connectors/port.ts';
import type { IcpModel } from '../domain/types.ts';
import { text, type DemoCrm, type DemoRecord } from './demo-crm.ts';
import { DemoError, throwIfStopped } from './demo-error.ts';
import type { DemoTerminal } from './terminal.ts';

export interface LiveEdit {
  /** What happened, in words. */
  story: string;
  id: string;
  values: Record<string, string | number>;
}

export interface LiveEditResult {
  id: string;
  before: { score: string | null; tier: string | null };
  after: { score: string | null; tier: string | null; reasons: string | null };
  seconds: number;
}

export interface LiveEditsOptions {
  crm: DemoCrm;
  connector: CrmConnector;
  model: IcpModel;
  term: DemoTerminal;
  timeoutMs: number;
  /** Fires when the user stops the demo. */
  signal: AbortSignal;
}

/** CRM field name of one output value on the demo's object type. */
export function outputName(connector: CrmConnector, objectType: string, key: OutputKey): string {
  const field = connector.outputFields(objectType).find((f) => f.key === key);
  if (!field) throw new DemoError(`the ${connector.crm} connector writes no ${key} field`);
  return field.name;
}

const FRANCOPHONE = new Set(['France', 'Belgium', 'Switzerland']);

function num(value: unknown): number | undefined {
  const t = text(value);
  if (t === null) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Three edits that move scores both ways, picked deterministically from the seeded CRM. */
export function pickEdits(crm: DemoCrm, records: readonly DemoRecord[], output: { score: string; tier: string }, topTier: string): LiveEdit[] {
  const f = crm.fields;
  const used = new Set<string>();
  const take = (pred: (r: DemoRecord) => boolean): DemoRecord | undefined => {
    const r = records.find((x) => !used.has(x.id) && pred(x));
    if (r) used.add(r.id);
    return r;
  };
  const edits: LiveEdit[] = [];
  // A French company when there is one: the registry stand-in knows it, so explain shows enriched values.
  const isSmall = (r: DemoRecord) => (num(r.fields[f.employees]) ?? 99) < 10;
  const small = take((r) => isSmall(r) && text(r.fields[f.country]) === 'France') ?? take(isSmall);
  if (small) {
    edits.push({
      story: `grows to 120 employees and moves into software (was ${text(small.fields[f.employees])} employees, ${text(small.fields[f.industry]) ?? 'no industry'})`,
      id: small.id,
      values: { [f.employees]: 120, [f.industry]: crm.softwareIndustry },
    });
  }
  const abroad = take((r) => {
    const country = text(r.fields[f.country]);
    return country !== null && !FRANCOPHONE.has(country);
  });
  if (abroad) {
    edits.push({
      story: `moves its headquarters from ${text(abroad.fields[f.country])} to France`,
      id: abroad.id,
      values: { [f.country]: 'France', [f.city]: 'Lyon', ...(f.countryCode ? { [f.countryCode]: 'FR' } : {}) },
    });
  }
  // The best-scored record with staff to lose (a seeded CRM may hold no top-tier record).
  const byScore = [...records].sort((a, b) => (num(b.fields[output.score]) ?? -1) - (num(a.fields[output.score]) ?? -1));
  const top =
    byScore.find((r) => !used.has(r.id) && r.fields[output.tier] === topTier) ??
    byScore.find((r) => !used.has(r.id) && (num(r.fields[f.employees]) ?? 0) >= 20);
  if (top) {
    used.add(top.id);
    edits.push({ story: `shrinks from ${text(top.fields[f.employees]) ?? '?'} to 4 employees`, id: top.id, values: { [f.employees]: 4 } });
  }
  return edits;
}

export async function runLiveEdits(options: LiveEditsOptions): Promise<LiveEditResult[]> {
  const { crm, connector, model, term, timeoutMs, signal } = options;
  const scoreField = outputName(connector, crm.objectType, 'score');
  const tierField = outputName(connector, crm.objectType, 'tier');
  const reasonsField = outputName(connector, crm.objectType, 'reasons');
  const topTier = [...model.tiers].sort((a, b) => b.min - a.min)[0]?.name ?? '';
  const edits = pickEdits(crm, crm.records(), { score: scoreField, tier: tierField }, topTier);
  const results: LiveEditResult[] = [];

  for (const [i, edit] of edits.entries()) {
    const current = crm.record(edit.id);
    if (!current) continue;
    const before = { score: text(current.fields[scoreField]), tier: text(current.fields[tierField]) };
    const beforeReasons = text(current.fields[reasonsField]);
    term.line(`  ${i + 1}. ${text(current.fields[crm.fields.name]) ?? edit.id} (id ${edit.id}) ${edit.story}`);
    const started = Date.now();
    crm.edit(edit.id, edit.values);
    // The reasons text carries each criterion's value, so any edit of a scored field changes it.
    let after = crm.record(edit.id);
    while (text(after?.fields[reasonsField]) === beforeReasons) {
      throwIfStopped(signal);
      if (Date.now() - started > timeoutMs) throw new DemoError(`record ${edit.id} was not rescored within ${Math.round(timeoutMs / 1000)} s of its edit`);
      await new Promise((r) => setTimeout(r, 100));
      after = crm.record(edit.id);
    }
    const seconds = (Date.now() - started) / 1000;
    const result: LiveEditResult = {
      id: edit.id,
      before,
      after: { score: text(after?.fields[scoreField]), tier: text(after?.fields[tierField]), reasons: text(after?.fields[reasonsField]) },
      seconds,
    };
    results.push(result);
    term.line(`     score ${before.score ?? '?'} (${before.tier ?? '?'}) → ${result.after.score ?? '?'} (${result.after.tier ?? '?'}), written back ${seconds.toFixed(1)} s after the edit`);
    term.line(`     reasons: ${result.after.reasons ?? ''}`);
  }
  if (results.length === 0) throw new DemoError('no record in the sandbox suits a live edit');
  return results;
}
