import test from 'ava';
import { UNKNOWN, valuesEqual } from '../../../src/tfplugin/wire/values';

test('objects are equal key by key, an absent key counting as null, on either side', (t) => {
  t.true(valuesEqual({ a: 1, b: 'x' }, { b: 'x', a: 1 }));
  t.true(valuesEqual({ a: 1, b: null }, { a: 1 }));
  t.true(valuesEqual({ a: 1 }, { a: 1, b: null }));
  t.false(valuesEqual({ a: 1 }, { a: 1, b: 2 }), 'a key only the second side sets');
  t.false(valuesEqual({ a: 1, b: 2 }, { a: 1 }), 'a key only the first side sets');
  t.false(valuesEqual({ a: 1, b: 2 }, { a: 1, b: 3 }));
  t.true(valuesEqual({ s: [{ h: 'x', p: null }] }, { s: [{ h: 'x' }] }), 'at every depth');
  t.false(valuesEqual({ s: [{ h: 'x' }] }, { s: [{ h: 'y' }] }));
});

test('lists compare in order, sets without; an unknown equals nothing, not even itself', (t) => {
  t.true(valuesEqual(['a', 'b'], ['a', 'b']));
  t.false(valuesEqual(['a', 'b'], ['b', 'a']));
  t.true(valuesEqual(['a', 'b'], ['b', 'a'], true));
  t.false(valuesEqual(['a'], ['a', 'b'], true));
  t.false(valuesEqual(UNKNOWN, UNKNOWN));
  t.false(valuesEqual({ a: UNKNOWN }, { a: UNKNOWN }));
  t.false(valuesEqual(null, {}));
  t.true(valuesEqual(null, null));
});
