/** Duplicate keys are refused in large maps too, with their line (checked in one pass per map). */
import { describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/domain/model-schema.ts';

const head = `version: "1"
tiers:
  - { name: A, min: 50 }
  - { name: B, min: 0 }
criteria:
  - id: industry
    attribute: industry
    weight: 100
`;

function blockModel(values: string[]): string {
  return `${head}    match:\n      kind: category\n      values:\n${values.map((v) => `        ${v}`).join('\n')}\n`;
}

describe('duplicate keys', () => {
  it('a model with 20,000 distinct category values is valid', () => {
    const res = parseModelText(blockModel(Array.from({ length: 20_000 }, (_, i) => `"v${i}": 1`)), 'big.yaml');
    expect(res.ok).toBe(true);
  });

  it('a duplicate deep in a large block map is refused at its line', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `"v${i}": 1`);
    values.push('"v17": 0.5');
    const res = parseModelText(blockModel(values), 'big.yaml');
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.problems).toEqual([`big.yaml: (line ${12 + 20_000}, col 9): Map keys must be unique`]);
  });

  it('in a flow map, and for keys equal as values (1 and 1.0 are one number)', () => {
    const flow = parseModelText(`${head}    match: { kind: category, values: { a: 1, b: 1, a: 0 } }\n`, 'f.yaml');
    expect(flow.ok).toBe(false);
    if (!flow.ok) expect(flow.problems).toEqual(['f.yaml: (line 9, col 52): Map keys must be unique']);
    const numbers = parseModelText(`${head}    match: { kind: category, values: { 1: 1, 1.0: 0 } }\n`, 'n.yaml');
    expect(numbers.ok).toBe(false);
  });

  it('top-level keys too', () => {
    const res = parseModelText('version: "1"\nversion: "2"\n', 'icp.yaml');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.problems).toEqual(['icp.yaml: (line 2, col 1): Map keys must be unique']);
  });
});
