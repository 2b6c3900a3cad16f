/**
 * The per-attribute transforms of the field mappings. Each takes a raw CRM value and gives the
 * attribute value, or `undefined` when nothing usable is there (the attribute is then missing).
 */
import { normalizeText, parseNumber } from '../domain/normalize.ts';
import { toCountryCode } from './country.ts';
import type { MappedValue, Transform } from './types.ts';

function asText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** `https://www.Acme.fr/about` → `acme.fr`; `acme.fr` → `acme.fr`; garbage → undefined. */
export function hostFromUrl(v: string): string | undefined {
  const s = v.trim();
  if (s === '') return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  host = host.replace(/^www\d*\./, '').replace(/\.$/, '');
  return host.includes('.') ? host : undefined;
}

function applyOne(t: Transform, v: unknown): unknown {
  switch (t.kind) {
    case 'number':
      return parseNumber(v);
    case 'country': {
      const s = asText(v);
      return s === undefined ? undefined : toCountryCode(s);
    }
    case 'host': {
      const s = asText(v);
      return s === undefined ? undefined : hostFromUrl(s);
    }
    case 'text': {
      const s = asText(v)?.trim().replace(/\s+/g, ' ');
      return s === undefined || s === '' ? undefined : s;
    }
    case 'split': {
      const s = asText(v);
      if (s === undefined) return undefined;
      const items = s.split(t.separator).map((x) => x.trim()).filter((x) => x !== '');
      return items.length === 0 ? undefined : items;
    }
    case 'map':
      return mapValue(t.values, t.default, v);
  }
}

function mapValue(values: Readonly<Record<string, MappedValue>>, def: MappedValue | undefined, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((item) => mapValue(values, def, item));
  const s = asText(v);
  if (s === undefined) return v;
  const key = normalizeText(s);
  for (const [from, to] of Object.entries(values)) {
    if (normalizeText(from) === key) return to ?? undefined;
  }
  return def === undefined ? v : (def ?? undefined);
}

/** Applies the transforms in order; an `undefined` at any step stops the chain. */
export function applyTransforms(transforms: readonly Transform[], raw: unknown): unknown {
  let v: unknown = raw;
  for (const t of transforms) {
    if (v === undefined || v === null) return undefined;
    v = applyOne(t, v);
  }
  return v === null ? undefined : v;
}
