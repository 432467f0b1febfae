import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import http2wrapper from '../../src/api/without-http2-wrapper';
import { DODB, PROVIDER } from '../helpers/built-provider';

test("got's http2 option fails plainly in the bundles, which leave out http2-wrapper", (t) => {
  for (const member of ['auto', 'globalAgent'] as const) {
    t.throws(() => http2wrapper[member], { message: /got's http2 option is not available/ }, member);
  }
});

test('the built bundles hold this module, not http2-wrapper and its TLS socket made at load', (t) => {
  for (const bundle of [join(dirname(PROVIDER), 'provider.js'), DODB]) {
    const text = readFileSync(bundle, 'utf8');
    t.true(text.includes("got's http2 option is not available"), bundle);
    // http2-wrapper's js-stream-socket.js reads this property of the TLS socket it creates.
    t.false(text.includes('_parentWrap'), bundle);
  }
});
