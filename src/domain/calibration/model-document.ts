/**
 * A model as the file format writes it (PRODUCT.md §2): defaults left out (`label` equal to the
 * id, `tagAt: 1`, `excludedTier: X`, no exclusions; for roles no `required: false`, empty lists),
 * keys in the documented order.
 */
import type { IcpModel, Matcher, RoleSet, Tier } from '../types.ts';

function matcherDocument(m: Matcher): Record<string, unknown> {
  switch (m.kind) {
    case 'category':
    case 'prefix':
      return { kind: m.kind, values: { ...m.values }, ...(m.default === undefined ? {} : { default: m.default }) };
    case 'range':
      return {
        kind: 'range',
        bands: m.bands.map((b) => ({
          ...(b.min === undefined ? {} : { min: b.min }),
          ...(b.max === undefined ? {} : { max: b.max }),
          points: b.points,
        })),
        ...(m.default === undefined ? {} : { default: m.default }),
      };
    case 'boolean':
      return {
        kind: 'boolean',
        ...(m.ifTrue === undefined ? {} : { ifTrue: m.ifTrue }),
        ...(m.ifFalse === undefined ? {} : { ifFalse: m.ifFalse }),
      };
  }
}

function tierDocument(t: Tier): Record<string, unknown> {
  return { name: t.name, min: t.min, ...(t.label === undefined ? {} : { label: t.label }) };
}

function rolesDocument(set: RoleSet): Record<string, unknown> {
  return {
    ...(set.ignoreTitles.length === 0 ? {} : { ignoreTitles: [...set.ignoreTitles] }),
    ...(set.defaultPoints === 0 ? {} : { defaultPoints: set.defaultPoints }),
    list: set.list.map((r) => ({
      id: r.id,
      ...(r.label === r.id ? {} : { label: r.label }),
      points: r.points,
      ...(r.required ? { required: true } : {}),
      ...(r.titles.length === 0 ? {} : { titles: [...r.titles] }),
      ...(r.hubspot.length === 0 ? {} : { hubspot: [...r.hubspot] }),
      ...(r.salesforce.length === 0 ? {} : { salesforce: [...r.salesforce] }),
    })),
  };
}

export function modelDocument(model: IcpModel): Record<string, unknown> {
  return {
    version: model.version,
    ...(model.name === undefined ? {} : { name: model.name }),
    tiers: model.tiers.map(tierDocument),
    ...(model.excludedTier === 'X' ? {} : { excludedTier: model.excludedTier }),
    criteria: model.criteria.map((c) => ({
      id: c.id,
      ...(c.label === c.id ? {} : { label: c.label }),
      attribute: c.attribute,
      weight: c.weight,
      ...(c.tag === undefined ? {} : { tag: c.tag }),
      ...(c.tag === undefined || c.tagAt === 1 ? {} : { tagAt: c.tagAt }),
      match: matcherDocument(c.match),
    })),
    ...(model.exclusions.length === 0
      ? {}
      : {
          exclusions: model.exclusions.map((e) => ({
            id: e.id,
            ...(e.label === undefined ? {} : { label: e.label }),
            attribute: e.attribute,
            match: matcherDocument(e.match),
            reason: e.reason,
          })),
        }),
    ...(model.roles === undefined ? {} : { roles: rolesDocument(model.roles) }),
    ...(model.priorityTiers === undefined ? {} : { priorityTiers: model.priorityTiers.map(tierDocument) }),
  };
}
