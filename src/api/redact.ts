const REDACTED = '[redacted]';

/** Shapes of credentials a server may echo back: headers, URLs with a password, key=value pairs, DigitalOcean tokens. */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',;]+/gi, `$1$2${REDACTED}`],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\b(do[opr]_v1_)[A-Za-z0-9]+/g, `$1${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):\S*@/gi, `$1:${REDACTED}@`],
  [
    /\b([\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key)[\w-]*)(["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // A long opaque run; not across `/`, so that an API path of UUIDs stays readable.
  [/\b[A-Za-z0-9_+=-]{40,}/g, REDACTED],
];

/** Shorter known secrets are not redacted by value: they would take ordinary words with them. */
const SHORTEST_SECRET = 4;

/**
 * Server-supplied text with the given secrets (the client's token, the passwords it sent) wherever
 * they appear, since a server may echo a request back, and anything token- or password-shaped
 * replaced.
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  // Longest first: a secret that contains another is redacted whole.
  const known = [...secrets].filter((s) => s.length >= SHORTEST_SECRET).sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Key names whose string values a request body sends as secrets. */
const SECRET_KEY = /password|secret|token/i;

/** The secrets one client knows: its token and every password it has sent. */
export class KnownSecrets {
  private readonly values = new Set<string>();

  constructor(initial: Iterable<string>) {
    for (const value of initial) this.values.add(value);
  }

  /** Remember the secrets a request body carries (such as `source.password`). */
  addFrom(body: unknown, key = ''): void {
    if (typeof body === 'string' && SECRET_KEY.test(key)) this.values.add(body);
    else if (typeof body === 'object' && body !== null) for (const [k, v] of Object.entries(body)) this.addFrom(v, k);
  }

  redact(text: string): string {
    return redactSecrets(text, this.values);
  }

  /** A log line's fields with every string redacted. */
  redactFields(fields: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? this.redact(v) : v]));
  }
}
