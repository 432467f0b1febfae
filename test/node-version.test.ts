import test from 'ava';
import { MINIMUM_NODE, nodeTooOld } from '../src/node-version';

test('the minimum Node.js is the one engines names, compared part by part', (t) => {
  t.is(MINIMUM_NODE, '20.19');
  for (const old of ['18.20.8', '20.18.3', '19.99.0', '20.9.0']) t.truthy(nodeTooOld('x', old), old);
  for (const recent of ['20.19.0', '20.20.2', '21.0.0', '22.19.0', '24.1.0'])
    t.is(nodeTooOld('x', recent), undefined, recent);
  t.regex(nodeTooOld('the dodb CLI', '18.20.8')!, /^the dodb CLI needs Node\.js 20\.19 or later, .* is 18\.20\.8/);
});
