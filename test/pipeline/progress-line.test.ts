import { describe, expect, it } from 'vitest';
import type { BackfillState } from '../../src/pipeline/backfill.ts';
import { progressLine } from '../../src/pipeline/progress-line.ts';

const base: BackfillState = {
  crm: 'hubspot',
  objectType: 'companies',
  run: 'r1',
  status: 'running',
  trigger: 'backfill',
  listed: 4000,
  processed: 2500,
  written: 2000,
  unchanged: 500,
  failed: 0,
  missing: 0,
  pages: 40,
  listingDone: false,
  startedAt: '2026-11-26T10:00:00.000Z',
};

describe('backfill progress line', () => {
  it('shows counts and rate, and no ETA while the total is unknown', () => {
    expect(progressLine(base, 10_000)).toBe(
      'hubspot companies: 2,500 processed of 4,000 listed so far · 250/s · ETA ? · written 2,000 · unchanged 500 · failed 0',
    );
  });

  it('shows a bar and an ETA once the total is known, counting only this session’s rate', () => {
    const line = progressLine({ ...base, total: 10_000 }, 10_000, 500);
    expect(line).toBe(
      'hubspot companies: [######------------------] 2,500/10,000 · 200/s · ETA 38s · written 2,000 · unchanged 500 · failed 0',
    );
    expect(progressLine({ ...base, listed: 2500, listingDone: true, status: 'done' }, 5000)).toMatch(/\[#{24}\] 2,500\/2,500 .* · done$/);
  });

  it('shows the changes staged for a bulk write, which are not processed yet', () => {
    expect(progressLine({ ...base, crm: 'salesforce', objectType: 'Account', staged: 1500 }, 10_000)).toBe(
      'salesforce Account: 2,500 processed of 4,000 listed so far · 250/s · ETA ? · written 2,000 · unchanged 500 · failed 0 · staged for bulk 1,500',
    );
  });
});
