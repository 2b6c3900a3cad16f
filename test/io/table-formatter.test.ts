import { describe, expect, it } from 'vitest';
import type { IcpModel, ScoreResult } from '../../src/domain/types.ts';
import { ScoreStats } from '../../src/io/score-stats.ts';
import { TableFormatter } from '../../src/io/table-formatter.ts';

const model: IcpModel = {
  version: 'v1',
  tiers: [
    { name: 'Top', min: 50, label: 'Cœur' },
    { name: 'Low', min: 0 },
  ],
  excludedTier: 'Excluded',
  criteria: [],
  exclusions: [],
};

const result = (score: number, tier: string, tags: string[] = []): ScoreResult => ({
  score,
  tier,
  excluded: tier === 'Excluded',
  exclusions: [],
  completeness: 0.5,
  tags,
  reasons: [],
});

describe('TableFormatter', () => {
  it('sizes columns from the first 200 rows, then cuts longer ids with "…"', () => {
    const f = new TableFormatter(model);
    const stats = new ScoreStats();
    let out = f.start();
    for (let i = 0; i < 200; i++) {
      out += f.row(`id-${i}`, result(60, 'Top', ['t']));
      stats.count('Top');
    }
    out += f.row('a-much-longer-id-than-any-seen-before', result(10, 'Low'));
    stats.count('Low');
    out += f.finish(stats);
    const lines = out.split('\n');
    expect(lines[0]).toBe('id      score  tier      complete  tags  reasons');
    expect(lines[1]).toBe('id-0       60  Top            50%  t     ');
    expect(lines[201]).toBe('a-muc…     10  Low            50%        ');
  });

  it('ends with the share of each tier, the excluded tier last, and the counts', () => {
    const f = new TableFormatter(model);
    const stats = new ScoreStats();
    const rows = [result(70, 'Top'), result(20, 'Low'), result(0, 'Excluded')];
    let out = '';
    for (const [i, r] of rows.entries()) {
      out += f.row(`r${i}`, r);
      stats.count(r.tier);
    }
    stats.skipped = 4;
    out += f.finish(stats);
    expect(out.split('\n').slice(-7)).toEqual([
      '',
      'tier      rows   share',
      'Top          1   33.3%  Cœur',
      'Low          1   33.3%  score ≥ 0',
      'Excluded     1   33.3%  excluded',
      '3 row(s) scored, 4 skipped — model v1',
      '',
    ]);
  });
});

describe('TableFormatter on a terminal', () => {
  const withReasons = (): ScoreResult => ({
    ...result(70, 'Top', ['secteur-cible', 'hubspot-user', 'pme-france']),
    reasons: Array.from({ length: 6 }, (_, i) => ({ kind: 'criterion', criterionId: `c${i}`, label: `Critère numéro ${i}`, points: 10, weight: 10, contribution: 10, value: 'une valeur assez longue' })) as unknown as ScoreResult['reasons'],
  });

  it.each([60, 80, 120])('fits every row line in %i columns, cutting the reasons with "…"', (width) => {
    const f = new TableFormatter(model, { width });
    let out = f.row('an-id-of-some-length-0001', withReasons());
    out += f.finish(new ScoreStats());
    const rows = out.split('\n').slice(0, 2);
    for (const line of rows) expect([...line].length).toBeLessThanOrEqual(width);
    expect(rows[1]).toMatch(/…$/);
  });

  it('cuts nothing when the output is not a terminal', () => {
    const f = new TableFormatter(model);
    const out = f.row('x', withReasons()) + f.finish(new ScoreStats());
    expect(out.split('\n')[1]).not.toContain('…');
  });

  it('shows control characters of values as symbols, never as escape sequences', () => {
    const f = new TableFormatter(model);
    const out = f.row('\u001b]0;pwned\u0007\u001b[2J', result(70, 'Top', ['\u001b[31mred'])) + f.finish(new ScoreStats());
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('␛]0;pwned␇␛[2J');
    expect(out).toContain('␛[31mred');
  });
});
