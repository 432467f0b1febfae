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
  [/\b[A-Za-z0-9_+/=-]{40,}/g, REDACTED],
];

/**
 * Server-supplied text with anything token- or password-shaped replaced, and the given secrets
 * (the client's own token) wherever they appear: a server may echo a request back.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
