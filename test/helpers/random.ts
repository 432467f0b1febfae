/** mulberry32: a repeatable sequence in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A repeatable source of random test data: a number in [0, 1), an integer below a bound, an item of a list. */
export function randomSource(seed: number) {
  const next = seeded(seed);
  const int = (below: number) => Math.floor(next() * below);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}
export type RandomSource = ReturnType<typeof randomSource>;
