/**
 * The pipeline's CLI commands against the HubSpot sandbox and real Redis, through `main()` as the
 * `icp-sync` binary runs it.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { parseEnv } from '../../src/config/env.ts';
import { startHubSpotSandbox, type HubSpotSandbox } from '../../src/sandbox/hubspot/server.ts';
import { cleanRedis } from '../pipeline/helpers.ts';
import { e2eEnv, writeModel, wrongCompanies } from './harness.ts';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (b: Buffer) => (text += b.toString()));
  return { stream, text: () => text };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await main(args, { stdout: out.stream, stderr: err.stream });
  return { code, out: out.text(), err: err.text() };
}

describe('pipeline commands', () => {
  let sandbox: HubSpotSandbox;
  let vars: Record<string, string>;
  const saved = { ...process.env };

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox({ seed: 300, limits: { per10s: 100_000, searchPerSecond: 1000 } });
    vars = e2eEnv(sandbox, await writeModel(), { AUTO_BACKFILL_ON_MODEL_CHANGE: 'false' });
    Object.assign(process.env, vars);
    const setup = await run(['setup', 'hubspot']);
    expect(setup.code).toBe(0);
  }, 30_000);

  afterAll(async () => {
    process.env = saved;
    await sandbox?.close();
    if (vars) await cleanRedis(parseEnv(vars));
  });

  it('backfill --wait rescores every company and prints the counts', async () => {
    const r = await run(['backfill', 'hubspot', '--wait']);
    // Not a terminal: progress comes as plain lines on stderr, the last one saying done.
    expect(r.err.trim().split('\n').at(-1)).toMatch(/^hubspot companies: \[#+\] 300\/300 · \d+\/s · ETA .* · written 300 · unchanged 0 · failed 0 · done$/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/started \(or resumed\)/);
    expect(r.out).toContain('hubspot companies: 300 processed, 300 written, 0 unchanged, 0 failed, 0 gone');
    expect(wrongCompanies(sandbox)).toEqual([]);
  }, 60_000);

  it('explain prints the table, or JSON, and writes nothing', async () => {
    const id = sandbox.store.list()[7]?.id ?? '';
    sandbox.store.resetStats();
    const table = await run(['explain', 'hubspot', id]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^hubspot companies \d+ — model e2e-1/);
    expect(table.out).toContain('Write: nothing — the CRM already holds these values.');
    const json = await run(['explain', 'hubspot', id, '--json']);
    const e = JSON.parse(json.out) as { id: string; wouldWrite: boolean; criteria: unknown[] };
    expect(e).toMatchObject({ id, wouldWrite: false });
    expect(e.criteria).toHaveLength(3);
    expect(sandbox.store.stats().byRoute['companies.batchUpdate'] ?? 0).toBe(0);
    const missing = await run(['explain', 'hubspot', '999999999']);
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('not found');
  });

  it('rescore queues, failed list shows nothing to replay, and usage errors exit 2', async () => {
    const id = sandbox.store.list()[3]?.id ?? '';
    expect((await run(['rescore', 'hubspot', id])).out).toBe('queued 1 record(s) for rescoring on hubspot\n');
    const list = await run(['failed', 'list', '--json']);
    expect(JSON.parse(list.out)).toEqual({ total: 0, entries: [] });
    expect((await run(['failed', 'retry'])).code).toBe(2);
    expect((await run(['backfill', 'pipedrive'])).code).toBe(2);
  });
});
