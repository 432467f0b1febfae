/** Nanoseconds per unit, as Go's time.ParseDuration knows them (µs in both spellings). */
const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
// µ and μ escaped: esbuild copies a regular expression as written, and one non-ASCII character in the
// provider bundle makes V8 hold all of its text as two-byte characters, at every start.
const SYNTAX = /^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/;
const PART = /(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g;
const NS_PER_MS = 1_000_000n;

/**
 * A Go duration string (`30m`, `1h30m`, `.5s`, `+5m`, `-1s`, `0`) in milliseconds, or undefined if
 * Go would not parse it. Computed exactly in nanoseconds, so `1.1s` is 1100, not 1100.0000000000002.
 */
export function parseDuration(text: string): number | undefined {
  const ns = durationNs(text);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}

/** True when the duration is a whole number of milliseconds (`1.5ms` is not). */
export function isWholeMilliseconds(text: string): boolean {
  const ns = durationNs(text);
  return ns !== undefined && ns % NS_PER_MS === 0n;
}

function durationNs(text: string): bigint | undefined {
  if (/^[-+]?0$/.test(text)) return 0n;
  if (!SYNTAX.test(text)) return undefined;
  let total = 0n;
  for (const [, whole, fraction = '', unit] of text.matchAll(PART)) {
    const scale = UNIT_NS[unit!]!;
    // The fraction in nanoseconds, truncated as Go does: digits beyond a nanosecond are dropped.
    const digits = fraction.slice(0, 18).padEnd(18, '0');
    total += BigInt(whole || '0') * scale + (BigInt(digits) * scale) / 10n ** 18n;
  }
  return text.startsWith('-') ? -total : total;
}
