/** Shaping change sets before they are sent. */

/** One change per record id (later fields win): Salesforce refuses the same id twice in one collection call. */
export function mergeChangesById<T extends { id: string; fields: Readonly<Record<string, unknown>> }>(changes: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const c of changes) {
    const prev = byId.get(c.id);
    byId.set(c.id, prev ? { ...c, fields: { ...prev.fields, ...c.fields } } : c);
  }
  return [...byId.values()];
}
