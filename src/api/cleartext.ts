import { isLoopbackHost } from '../vocabulary/formats';

/**
 * Defence in depth behind the `https-origin` rule that the provider and the CLI check first: the
 * client itself never sends the token in clear to another machine, whoever constructs it.
 */
export function refuseCleartextToken(endpoint: string): void {
  const url = new URL(endpoint);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new Error(
      `refusing to send the API token over plain http:// to ${url.host}: use https://, or http:// only for a ` +
        'loopback address (127.0.0.0/8, [::1] or localhost)',
    );
  }
}
