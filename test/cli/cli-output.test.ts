/** The command line reads like the best CLIs: one-line errors, --version, safe terminal and CSV output. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { removeTestKeys } from '../redis-keys.ts';
import { repoRoot, runCli } from './run-cli.ts';

const MODEL = ['--model', 'test/fixtures/cli/model.yaml'];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-cli-output-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('usage errors', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it.each([
    [['score', '--input', 'x.csv', '--bogus'], "icp-sync: unknown option '--bogus' (see `icp-sync score --help`)\n"],
    [['nonsense'], "icp-sync: unknown command 'nonsense' (see `icp-sync --help`)\n"],
    [['failed', 'retry', '--bogus'], "icp-sync: unknown option '--bogus' (see `icp-sync failed retry --help`)\n"],
    [['score', '--input', 'x.csv', '--format', 'xml'], "icp-sync: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, json, csv. (see `icp-sync score --help`)\n"],
  ])('%j is one line and a pointer to the help, not the whole help', async (args, line) => {
    const r = await runCli(args);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(line);
  });

  it('demo --crm pipedrive says which sandboxes exist', async () => {
    const r = await runCli(['demo', '--crm', 'pipedrive']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('icp-sync: --crm pipedrive: the demo has sandboxes for hubspot and salesforce only (see `icp-sync demo --help`)\n');
  });

  it('a busy port is one clear line; the logs stay on stderr, stdout stays empty', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const prefix = `icp-test-port-${randomBytes(5).toString('hex')}`;
    try {
      const r = await runCli(['start'], {
        env: { REDIS_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1', HUBSPOT_ACCESS_TOKEN: 'pat-test', HUBSPOT_BASE_URL: 'http://127.0.0.1:9', INCREMENTAL_SYNC_INTERVAL_MS: '0', LOG_LEVEL: 'silent' },
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`icp-sync: port ${port} on 127.0.0.1 is already in use: stop what listens there, or choose another port (PORT, or --port for the demo)\n`);
    } finally {
      blocker.close();
      const redis = new Redis('redis://127.0.0.1:6379');
      await removeTestKeys(redis, prefix);
      await redis.quit();
    }
  });
});

describe('values echoed to a terminal', () => {
  it('the score table and skip lines show control characters as symbols', async () => {
    const input = join(dir, 'esc.csv');
    await writeFile(input, 'id,industry\n"\u001b]0;pwned\u0007\u001b[2J",Software\nok,"a\u001b[31m"\n"\u001b[1mbad",x,y\n');
    const r = await runCli(['score', ...MODEL, '--input', input]);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stdout).toContain('␛]0;pwned␇␛[2J');
  });

  it('error lines show control characters as symbols', async () => {
    const r = await runCli(['backfill', 'hub\u001b[2J\u001b]0;x\u0007spot']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stderr).toContain('␛[2J');
  });
});

describe('score --csv-safe', () => {
  it('prefixes cells that would start a formula with an apostrophe; plain --format csv keeps them verbatim', async () => {
    const input = join(dir, 'formulas.csv');
    await writeFile(input, 'id,industry\n"=HYPERLINK(""http://evil"")",Software\n@SUM(A1),Retail\n-2,Retail\n+cmd|x,Retail\nplain,Retail\n');
    const safe = await runCli(['score', ...MODEL, '--input', input, '--format', 'csv', '--csv-safe']);
    expect(safe.code).toBe(0);
    const rows = parseCsv(safe.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row['id'])).toEqual(["'=HYPERLINK(\"http://evil\")", "'@SUM(A1)", "'-2", "'+cmd|x", 'plain']);
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const plain = await runCli(['score', ...MODEL, '--input', input, '--format', 'csv']);
    expect((parseCsv(plain.stdout, { columns: true }) as Record<string, string>[])[0]?.['id']).toBe('=HYPERLINK("http://evil")');
  });

  it('is refused with another format', async () => {
    const r = await runCli(['score', ...MODEL, '--input', 'test/fixtures/cli/companies.csv', '--csv-safe']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('icp-sync: --csv-safe applies to --format csv only\n');
  });
});
