/**
 * The keys of a record keyed by a generated union type, and a guard for them. Keying the record by
 * the type is what makes a member the schema adds or drops fail to compile until it is placed.
 */
export function closedSet<K extends string>(
  record: Record<K, unknown>,
): { values: readonly K[]; has: (value: unknown) => value is K } {
  const values = Object.keys(record) as K[];
  return { values, has: (value: unknown): value is K => values.includes(value as K) };
}
