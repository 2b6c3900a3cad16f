/** Weights far outside any sensible range are refused with a message that helps. */
import { describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/domain/model-schema.ts';

const model = (weight: string) => `version: "1"
tiers: [{ name: A, min: 0 }]
criteria:
  - { id: a, attribute: a, weight: ${weight}, match: { kind: boolean } }
`;

describe('criterion weights', () => {
  it.each([
    ['1e308', 'm.yaml: criteria[0].weight: must be at most 1,000,000 (weights are relative: 1, 10 or 25 all work)'],
    ['5e-324', 'm.yaml: criteria[0].weight: must be at least 0.001 (weights are relative: 1, 10 or 25 all work)'],
    ['0', 'm.yaml: criteria[0].weight: must be > 0'],
    ['-3', 'm.yaml: criteria[0].weight: must be > 0'],
  ])('%s is refused with one message', (weight, message) => {
    const r = parseModelText(model(weight), 'm.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([message]);
  });

  it.each(['0.001', '1', '25', '1000000'])('%s is accepted', (weight) => {
    expect(parseModelText(model(weight), 'm.yaml').ok).toBe(true);
  });
});
