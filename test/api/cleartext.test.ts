import test from 'ava';
import { DoClient } from '../../src/api/client';
import { CLIENT_DEFAULTS } from '../../src/provider/config';

const clientFor = (endpoint: string) =>
  new DoClient({ token: 'dop_v1_secret', endpoint, userAgent: 'dodb-test', retry: CLIENT_DEFAULTS.retry });

test('the client refuses to be made for plain http:// to another machine, whatever checked its endpoint before', (t) => {
  for (const [endpoint, host] of [
    ['http://example.com', 'example.com'],
    ['http://10.0.0.5:8080', '10.0.0.5:8080'],
    ['http://api.digitalocean.com/', 'api.digitalocean.com'],
    ['http://[::ffff:127.0.0.1]:80', '[::ffff:7f00:1]'],
  ]) {
    const refused = t.throws(() => clientFor(endpoint), undefined, endpoint);
    t.is(
      refused!.message,
      `refusing to send the API token over plain http:// to ${host}: use https://, or http:// only for a ` +
        'loopback address (127.0.0.0/8, [::1] or localhost)',
    );
    t.false(refused!.message.includes('secret'));
  }
  for (const endpoint of [
    'https://api.digitalocean.com',
    'http://127.0.0.1:8080',
    'http://127.9.9.9:1',
    'http://[::1]:8080',
    'http://localhost:8080',
  ]) {
    t.notThrows(() => clientFor(endpoint), endpoint);
  }
});
