import { isIPv4, isIPv6 } from 'node:net';
import { parseDuration } from './duration';

/** A named string format: what it accepts, in words for messages and docs, and its check. */
export interface Format {
  /** Completes "must be …" and "Accepted: …". */
  accepted: string;
  /** Undefined when the value is fine, else the specific problem ("has a port"). */
  problem(value: string): string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The schema's `uuid` format, for code that checks an ID outside an attribute (an import ID, a URL). */
export const isUuid = (value: string) => UUID.test(value);
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/i;
const ZONE = /^[a-z0-9._~-]{1,64}$/i;

export const FORMATS: Record<string, Format> = {
  uuid: {
    accepted: 'a UUID such as "123e4567-e89b-12d3-a456-426614174000"',
    problem: (v) => (isUuid(v) ? undefined : 'is not a UUID'),
  },
  'go-duration': {
    accepted: 'a Go duration such as "30m", "1h30m" or ".5s" (units h, m, s, ms, us, ns; an optional sign)',
    problem: (v) => (parseDuration(v) === undefined ? 'is not a Go duration' : undefined),
  },
  'https-origin': {
    accepted:
      'an https:// origin such as "https://api.example.com", or an http:// one on a loopback address ' +
      '(127.0.0.0/8, [::1] or localhost) such as "http://127.0.0.1:8080", with no path, query or credentials',
    problem: originProblem,
  },
  host: {
    accepted:
      'a DNS name (labels of 1 to 63 letters, digits, "-" or "_", 253 characters in all), an IPv4 address, ' +
      'or an IPv6 address (a "%zone" allowed, in balanced brackets or none), with no scheme, port, credentials or path',
    problem: hostProblem,
  },
  name: {
    accepted: 'printable text without leading or trailing blanks',
    problem: (v) =>
      CONTROL.test(v) ? 'contains a control character' : v.trim() !== v ? 'starts or ends with a blank' : undefined,
  },
  token: {
    accepted: 'one word of printable characters, with no blanks or line breaks',
    problem: (v) =>
      /\s/.test(v) || CONTROL.test(v) ? 'contains a blank, a line break or a control character' : undefined,
  },
};

function hostProblem(v: string): string | undefined {
  if (SCHEME.test(v))
    return `is a URL, not a host (for ${v.split('://')[0]}://user@db.example.com:5432/app the host is "db.example.com")`;
  if (v.includes('@')) return 'contains credentials (user:password@)';
  if (/\s/.test(v) || CONTROL.test(v)) return 'contains a blank or a control character';
  if (v.includes('/')) return 'contains a path';
  if (v.includes('[') || v.includes(']')) {
    const bracketed = /^\[([^[\]]*)\](.*)$/.exec(v);
    if (!bracketed) return 'has unbalanced brackets';
    if (bracketed[2]) return /^:\d*$/.test(bracketed[2]) ? 'has a port' : 'has text after the closing bracket';
    return isIpv6WithZone(bracketed[1]!) ? undefined : 'holds something other than an IPv6 address in brackets';
  }
  // Only an address with a colon can be IPv6: a DNS name or IPv4 address (the usual host) never
  // reaches Node's IPv6 check, a large regular expression compiled on first use and slow on a name.
  if (v.includes(':')) {
    if (isIpv6WithZone(v)) return undefined;
    return /^[^:]+:\d*$/.test(v) ? 'has a port' : 'is not a valid IPv6 address';
  }
  if (isIPv4(v)) return undefined;
  const name = v.endsWith('.') ? v.slice(0, -1) : v;
  if (name.length === 0 || name.length > 253) return `is ${name.length} characters long`;
  const labels = name.split('.');
  if (labels.some((label) => label.length === 0)) return 'has an empty label (two dots in a row, or a leading dot)';
  if (labels.some((label) => label.length > 63)) return 'has a label longer than 63 characters';
  if (!labels.every((label) => LABEL.test(label)))
    return 'has a character other than letters, digits, "-" or "_", or a label starting or ending with "-"';
  if (/^\d+$/.test(labels[labels.length - 1]!)) return 'is not a valid IPv4 address';
  return undefined;
}

function isIpv6WithZone(v: string): boolean {
  const [address, zone, extra] = v.split('%');
  return extra === undefined && (zone === undefined || ZONE.test(zone)) && address!.length <= 45 && isIPv6(address!);
}

function originProblem(v: string): string | undefined {
  if (/\s/.test(v) || CONTROL.test(v)) return 'contains a blank or a control character';
  if (!/^https?:\/\//i.test(v)) return 'does not start with http:// or https://';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'is not a valid URL';
  }
  // Credentials in a URL always stand before an "@": refusing every "@" refuses them all.
  if (v.includes('@')) return 'contains credentials';
  if (v.includes('?') || v.includes('#')) return 'has a query or a fragment';
  if (url.pathname !== '/') return `has the path "${url.pathname}" (an API client adds its own paths)`;
  // Whatever is sent to the origin (a token, say) would cross the network in clear.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    return `is plain http:// to "${url.hostname}", which is not a loopback address`;
  return undefined;
}

/**
 * A URL's hostname (as `new URL` normalizes it: `127.1` is `127.0.0.1`, IPv6 in brackets) that
 * names this machine: `localhost`, 127.0.0.0/8 or [::1]. Traffic to it never leaves the host.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '[::1]' || (isIPv4(host) && host.startsWith('127.'));
}
