/**
 * Values read from a file get the normalisation the CRM field mappings give the same attribute
 * (PRODUCT.md §3), so a file scores like the CRM records it was exported from: `country` becomes
 * an ISO 3166-1 alpha-2 code ("France", "FRA", "Belgique" → FR, BE); an unknown country is missing,
 * never guessed.
 */
import { toCountryCode } from '../mappings/country.ts';

/** Distinct country spellings remembered; a file rarely has more than a few hundred. */
const CACHE_LIMIT = 10_000;

export type AttributePrep = (attrs: Record<string, unknown>) => void;

/** The preparation a model's attributes need, or `undefined` when none of them does. */
export function attributePrep(attributes: readonly string[]): AttributePrep | undefined {
  if (!attributes.includes('country')) return undefined;
  const cache = new Map<string, string | undefined>();
  const code = (text: string): string | undefined => {
    let hit = cache.get(text);
    if (hit === undefined && !cache.has(text)) {
      hit = text.trim() === '' ? undefined : toCountryCode(text);
      if (cache.size < CACHE_LIMIT) cache.set(text, hit);
    }
    return hit;
  };
  return (attrs) => {
    const v = attrs['country'];
    if (typeof v === 'string') attrs['country'] = code(v);
    else if (Array.isArray(v)) {
      attrs['country'] = v.map((item) => (typeof item === 'string' ? code(item) : item)).filter((item) => item !== undefined);
    }
  };
}
