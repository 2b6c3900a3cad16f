import { parseModel } from '../../src/domain/model-schema.ts';
import { compileModel, type Scorer } from '../../src/domain/scorer.ts';
import type { IcpModel } from '../../src/domain/types.ts';

/** Validates a model document written in a test; a problem fails the test loudly. */
export function model(doc: Record<string, unknown>): IcpModel {
  const res = parseModel({ version: 'test', tiers: [{ name: 'A', min: 50 }, { name: 'B', min: 0 }], ...doc }, 'icp.yaml');
  if (!res.ok) throw new Error(`invalid test model:\n${res.problems.join('\n')}`);
  return res.model;
}

export function scorer(doc: Record<string, unknown>): Scorer {
  return compileModel(model(doc));
}

/** A scorer with one criterion of weight 1 reading attribute `v`, to test one matcher alone. */
export function single(match: Record<string, unknown>): Scorer {
  return scorer({ criteria: [{ id: 'c', attribute: 'v', weight: 1, match }] });
}

/** Points given by a one-criterion scorer, or `'missing'`. */
export function pointsFor(s: Scorer, v: unknown): number | 'missing' {
  const r = s.score({ v });
  const reason = r.reasons[0];
  if (reason === undefined) throw new Error('no reason');
  return reason.status === 'missing' ? 'missing' : reason.points;
}
