/**
 * A model as the file format writes it (PRODUCT.md §2): defaults left out (`label` equal to the
 * id, `tagAt: 1`, `excludedTier: X`, no exclusions), keys in the documented order.
 */
import type { IcpModel, Matcher } from '../types.ts';

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

export function modelDocument(model: IcpModel): Record<string, unknown> {
  return {
    version: model.version,
    ...(model.name === undefined ? {} : { name: model.name }),
    tiers: model.tiers.map((t) => ({ name: t.name, min: t.min, ...(t.label === undefined ? {} : { label: t.label }) })),
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
  };
}
