import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LazyListFormat } from '../../src/api/lazy-list-format';
import { DODB, PROVIDER } from '../helpers/built-provider';

test('formats a list as Intl.ListFormat does, with the same locale and options', (t) => {
  const list = ['string', 'number', 'undefined'];
  for (const type of ['conjunction', 'disjunction'] as const) {
    const options = { style: 'long', type } as const;
    t.is(new LazyListFormat('en', options).format(list), new Intl.ListFormat('en', options).format(list));
  }
  const twice = new LazyListFormat('en', { type: 'disjunction' });
  t.is(twice.format(['a', 'b']), 'a or b');
  t.is(twice.format(['a', 'b', 'c']), 'a, b, or c');
});

test('the built bundles make no Intl.ListFormat at load: every one is this class', (t) => {
  for (const bundle of [join(dirname(PROVIDER), 'provider.js'), DODB]) {
    t.false(readFileSync(bundle, 'utf8').includes('Intl.ListFormat'), bundle);
  }
});
