/** `score` never reads mojibake: Windows-1252 and UTF-16 inputs are decoded, or refused clearly. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

let dir: string;
let model: string;
const text = 'id,industry\na,Software\nb,Édition de logiciels\nc,Agroalimentaire\n';

/** Windows-1252 bytes of a Latin-1 text (what Excel writes in France). */
const cp1252 = (s: string) => Buffer.from(s, 'latin1');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-cli-encoding-'));
  model = join(dir, 'model.yaml');
  await writeFile(
    model,
    `version: "enc-1"
tiers:
  - { name: A, min: 50 }
  - { name: B, min: 0 }
criteria:
  - id: industry
    label: Secteur
    attribute: industry
    weight: 100
    match: { kind: category, values: { software: 1, "édition de logiciels": 1 } }
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function score(name: string, bytes: Buffer, extra: string[] = []) {
  const input = join(dir, name);
  await writeFile(input, bytes);
  return runCli(['score', '--model', model, '--input', input, '--format', 'json', ...extra]);
}

const scores = (stdout: string) => stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string; score: number }).score);

describe('score input encodings', () => {
  it('a Windows-1252 export is detected, decoded, and said so', async () => {
    const r = await score('w1252.csv', cp1252(text));
    expect(r.code).toBe(0);
    expect(scores(r.stdout)).toEqual([100, 100, 0]);
    expect(r.stderr).toContain('note: the input is not UTF-8: read as Windows-1252');
  });

  it('--encoding latin1 and windows-1252 decode it without a note', async () => {
    for (const enc of ['latin1', 'windows-1252']) {
      const r = await score('w1252.csv', cp1252(text), ['--encoding', enc]);
      expect(r.code).toBe(0);
      expect(scores(r.stdout)).toEqual([100, 100, 0]);
      expect(r.stderr).not.toContain('note: the input is not UTF-8');
    }
  });

  it('--encoding utf8 refuses a file that is not UTF-8', async () => {
    const r = await score('w1252.csv', cp1252(text), ['--encoding', 'utf8']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('icp-sync: the input is not valid UTF-8 (byte 25): convert it to UTF-8, or give --encoding latin1, windows-1252 or utf16le\n');
  });

  it('UTF-16 with a byte order mark (LE or BE) is decoded', async () => {
    const le = await score('u16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(le.code).toBe(0);
    expect(scores(le.stdout)).toEqual([100, 100, 0]);
    const be = Buffer.from(text, 'utf16le').swap16();
    const rb = await score('u16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    expect(rb.code).toBe(0);
    expect(scores(rb.stdout)).toEqual([100, 100, 0]);
  });

  it('UTF-16 without a mark needs --encoding utf16le', async () => {
    const r = await score('u16.csv', Buffer.from(text, 'utf16le'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('icp-sync: the input looks like UTF-16 without a byte order mark: give --encoding utf16le\n');
    const ok = await score('u16.csv', Buffer.from(text, 'utf16le'), ['--encoding', 'utf16le']);
    expect(scores(ok.stdout)).toEqual([100, 100, 0]);
  });

  it('a file mixing UTF-8 and Windows-1252 is refused, not scored as mojibake', async () => {
    const r = await score('mixed.csv', Buffer.concat([Buffer.from(text, 'utf8'), cp1252('d,Café\n')]));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^icp-sync: the input is not valid UTF-8 \(byte \d+, after valid UTF-8 text: the file mixes encodings\)/);
  });

  it('UTF-8, with or without a mark, is read as before', async () => {
    for (const bytes of [Buffer.from(text, 'utf8'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])]) {
      const r = await score('u8.csv', bytes);
      expect(r.code).toBe(0);
      expect(scores(r.stdout)).toEqual([100, 100, 0]);
      expect(r.stderr).toBe('');
    }
  });
});
