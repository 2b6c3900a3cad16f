/**
 * What `setup <crm>` and the model-change check ask a CRM to hold for a model: tier and tag options,
 * and with buying roles the person fields (role, priority tier options) and the committee fields
 * (PRODUCT.md §2).
 */
import { DEFAULT_PRIORITY_TIERS } from '../domain/roles.ts';
import type { Scorer } from '../domain/scorer.ts';
import type { IcpModel } from '../domain/types.ts';
import type { SetupSpec } from './port.ts';

/** `SetupSpec.people` of a model: absent when the model scores accounts only. */
export function peopleSpecOf(model: IcpModel): SetupSpec['people'] {
  if (!model.roles) return undefined;
  const priority = (model.priorityTiers ?? DEFAULT_PRIORITY_TIERS).map((t) => t.name);
  return {
    roles: model.roles.list.map((r) => ({ id: r.id, label: r.label })),
    // An excluded account gives its people the excluded tier as priority tier.
    priorityTiers: priority.includes(model.excludedTier) ? priority : [...priority, model.excludedTier],
    committee: model.roles.list.some((r) => r.required),
  };
}

export function setupSpecOf(scorer: Scorer): SetupSpec {
  const people = peopleSpecOf(scorer.model);
  return { tiers: scorer.tierNames, tags: scorer.tags, ...(people ? { people } : {}) };
}
