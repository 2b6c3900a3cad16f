import { describe, expect, it } from 'vitest';
import { rateRules, registryRule } from '../../src/enrichment/index.ts';
import { testEnv } from './helpers.ts';

describe('the registry pace', () => {
  it('lets calls leave one at a time, never a burst of the whole per-second allowance', () => {
    const rule = rateRules(testEnv())['recherche-entreprises'];
    expect(rule).toEqual({ limit: 1, windowMs: 169 });
  });

  it('keeps a margin under the documented rate: fewer calls than the rate start within any second', () => {
    for (const rate of [1, 2, 3, 4, 5, 6, 7]) {
      const { limit, windowMs } = registryRule(rate);
      // Calls that can start within 1000 ms when each waits windowMs after the previous one.
      const inOneSecond = limit * (Math.floor(999 / windowMs) + 1);
      expect(inOneSecond).toBeLessThanOrEqual(rate);
      expect(windowMs).toBeGreaterThan(1000 / rate);
    }
  });
});
