/**
 * Defensive reads of a raw model document, for the checks that report alongside the shape errors
 * (the document may be anything at that point).
 */
import { formatPath, type PathSegment, problem } from './model-problems.ts';

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

export function checkUniqueIds(
  file: string,
  items: readonly unknown[],
  list: readonly PathSegment[],
  key: string,
  what: string,
  out: string[],
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const id = asRecord(item)?.[key];
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else out.push(problem(file, [...list, i, key], `${what} ${JSON.stringify(id)} is already used by ${formatPath([...list, first])}`));
  });
}
