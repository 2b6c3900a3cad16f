import { describe, expect, it } from 'vitest';
import { parseModelText } from '../../src/domain/model-schema.ts';
import { diffModelVersions } from '../../src/domain/model-version-diff.ts';
import { diffLines } from '../../src/domain/text-diff.ts';
import type { IcpModel } from '../../src/domain/types.ts';
import { MODEL_YAML } from '../pipeline/helpers.ts';

function model(yaml: string): IcpModel {
  const p = parseModelText(yaml, 'icp.yaml');
  if (!p.ok) throw new Error(p.problems.join('\n'));
  return p.model;
}

const ROLES = `roles:
  list:
    - { id: decision_maker, label: Décideur, points: 1, required: true, titles: [ceo] }
    - { id: user, points: 0.4, titles: [developer] }
`;
const EXCLUSION = `exclusions:
  - { id: competitor, attribute: is_competitor, match: { kind: boolean }, reason: "Concurrent direct" }
`;

describe('diffModelVersions', () => {
  it('says what a hand edit changes beyond weights: labels, tags, exclusions, roles', () => {
    const before = model(`${MODEL_YAML}${EXCLUSION}${ROLES}`);
    const after = model(
      `${MODEL_YAML.replace('"t-1"', '"t-2"').replace('- { name: A, min: 80 }', '- { name: A, min: 80, label: Cœur }').replace('label: Pays', 'label: Pays (siège)').replace('tag: france', 'tag: fr')}${EXCLUSION.replace('Concurrent direct', 'Concurrent')}${ROLES.replace('points: 0.4', 'points: 0.5').replace('    - { id: decision_maker', '    - { id: buyer, points: 0.8, titles: [cfo] }\n    - { id: decision_maker')}`,
    );
    expect(diffModelVersions(before, after).map((c) => c.text)).toEqual([
      'version t-1 → t-2',
      'tier A label "" → "Cœur"',
      '~ country: label "Pays" → "Pays (siège)"; tag france → fr',
      '~ exclusion competitor: reason "Concurrent direct" → "Concurrent"',
      '+ role buyer "buyer": 0.8 points; titles cfo',
      '~ role user: 0.4 points; titles developer → 0.5 points; titles developer',
    ]);
    expect(diffModelVersions(before, before)).toEqual([]);
  });

  it('tells when roles or exclusions come or go', () => {
    const plain = model(MODEL_YAML);
    const rich = model(`${MODEL_YAML}${EXCLUSION}${ROLES}`);
    expect(diffModelVersions(plain, rich).map((c) => [c.subject, c.change])).toEqual([
      ['exclusions.competitor', 'added'],
      ['roles', 'added'],
    ]);
    expect(diffModelVersions(rich, plain).map((c) => [c.subject, c.change])).toEqual([
      ['exclusions.competitor', 'removed'],
      ['roles', 'removed'],
    ]);
  });
});

describe('diffLines', () => {
  it('keeps common lines and shows removals before additions', () => {
    expect(diffLines('a\nb\nc\n', 'a\nx\nc\nd\n')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'd' },
    ]);
    expect(diffLines('', 'a')).toEqual([{ op: '+', text: 'a' }]);
    // Over the table budget, the middle is shown as removed then added.
    expect(diffLines('h\n1\n2\nt', 'h\n3\n4\nt', 1).map((l) => l.op).join('')).toBe(' --++ ');
  });
});
