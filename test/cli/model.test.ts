import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { hashTagPrefix } from '../../src/pipeline/keys.ts';
import { deleteKeys } from '../../src/redis/delete-keys.ts';
import { MODEL_YAML } from '../pipeline/helpers.ts';
import { runCli } from './run-cli.ts';

const prefix = `icp-test-model-${randomUUID().slice(0, 8)}`;
const dir = mkdtempSync(join(tmpdir(), 'icp-model-cli-'));
writeFileSync(join(dir, 'icp.yaml'), MODEL_YAML);
writeFileSync(join(dir, 'v2.yaml'), MODEL_YAML.replace('"t-1"', '"t-2"').replace('weight: 20', 'weight: 80'));
const env = {
  HUBSPOT_ACCESS_TOKEN: '',
  SALESFORCE_CLIENT_ID: '',
  SALESFORCE_CLIENT_SECRET: '',
  SALESFORCE_USERNAME: '',
  REDIS_PREFIX: prefix,
  ICP_MODEL_PATH: join(dir, 'icp.yaml'),
  LOG_LEVEL: undefined,
};

afterAll(async () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  await deleteKeys(redis, `${hashTagPrefix(prefix)}*`);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('icp-sync model', () => {
  it('lists, publishes, diffs, refuses a taken version, rolls back and exports', async () => {
    const h1 = await runCli(['model', 'history'], { env });
    expect(h1.stderr).toBe('');
    expect(h1.stdout).toMatch(/^\* 1\tt-1\t\S+\tfile\tfile .*icp\.yaml\n$/);

    const pub = await runCli(['model', 'publish', join(dir, 'v2.yaml'), '--author', 'ana@example.com', '--note', 'country first'], { env });
    expect(pub.stdout).toBe('published revision 2 (version t-2): every process uses it within seconds\n');
    expect(pub.code).toBe(0);

    const again = await runCli(['model', 'publish', join(dir, 'v2.yaml'), '--author', 'bo'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('icp-sync: version "t-2" is already in the model history (revision 2): change `version`, e.g. to "t-2.1"\n');

    const diff = await runCli(['model', 'diff', '1'], { env });
    expect(diff.stdout).toContain('revision 1 (t-1) → 2 (t-2)\n');
    expect(diff.stdout).toContain('  ~ country: weight 20 % → 50 % of the score\n');

    const back = await runCli(['model', 'rollback', '1', '--author', 'bo', '--note', 'too strict'], { env });
    expect(back.stdout).toBe('revision 3: version t-1 (from revision 1) is active again\n');
    const missing = await runCli(['model', 'rollback', '9', '--author', 'bo'], { env });
    expect(missing.code).toBe(3);

    const h2 = await runCli(['model', 'history'], { env });
    expect(h2.stdout.split('\n').map((l) => l.split('\t').slice(0, 2).join(' '))).toEqual(['* 3 t-1', '  2 t-2', '  1 t-1', '']);
    expect((await runCli(['model', 'show', '2'], { env })).stdout).toBe(readFileSync(join(dir, 'v2.yaml'), 'utf8'));

    const out = join(dir, 'export');
    const exp = await runCli(['model', 'export', out], { env });
    expect(exp.stdout).toBe(`3 model files written to ${out}\n`);
    expect(readdirSync(out).sort()).toEqual(['0001-t-1.yaml', '0002-t-2.yaml', '0003-t-1.yaml']);
    expect(readFileSync(join(out, '0003-t-1.yaml'), 'utf8')).toContain('by bo (rollback of revision 1)');
    // Ten command processes one after the other: slow on a busy machine.
  }, 180_000);
});
