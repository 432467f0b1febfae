import test from 'ava';
import { ExtData, decode, encode } from '@msgpack/msgpack';
import {
  ValueTypeError,
  conformObject,
  decodeValue,
  encodeState,
  encodeValue,
  parseJsonState,
} from '../../../src/tfplugin/wire/msgpack';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';
import { Unknown, isUnknown } from '../../../src/tfplugin/wire/values';

const block: TerraformBlock = {
  attributes: {
    name: { type: 'string' },
    port: { type: 'number' },
    tags: { type: ['set', 'string'] },
    on: { type: 'bool' },
  },
  block_types: {
    items: { nesting_mode: 'list', block: { attributes: { host: { type: 'string' } } } },
    timeouts: { nesting_mode: 'single', block: { attributes: { create: { type: 'string' } } } },
  },
};

test('a plain unknown is d4 00 00, and decodes back to an unknown', (t) => {
  const bytes = encodeValue({ name: new Unknown(), port: 1, tags: null, on: null, items: [], timeouts: null }, block);
  t.true(Buffer.from(bytes).includes(Buffer.from([0xa4, 0x6e, 0x61, 0x6d, 0x65, 0xd4, 0x00, 0x00])), 'name: d4 00 00');
  t.true(isUnknown(decodeValue(bytes, block)!.name));
});

test('a refined unknown (ext 12) is passed back byte for byte', (t) => {
  const refinement = encode({ 1: true, 2: 'db.' });
  const raw = Buffer.concat([
    Buffer.from([0x81, 0xa4]),
    Buffer.from('name'),
    Buffer.from([0xc7, refinement.length, 12]),
    Buffer.from(refinement),
  ]);
  const value = decodeValue(raw, block)!;
  t.true(isUnknown(value.name));
  const again = encodeValue(value, block);
  t.true(
    Buffer.from(again).includes(Buffer.concat([Buffer.from([0xc7, refinement.length, 12]), Buffer.from(refinement)])),
  );
});

test('every attribute and block is present on the wire; missing ones are null or empty', (t) => {
  const decoded = decode(encodeValue({ name: 'x' }, block)) as Record<string, unknown>;
  t.deepEqual(Object.keys(decoded).sort(), ['items', 'name', 'on', 'port', 'tags', 'timeouts']);
  t.deepEqual(decoded.items, []);
  t.is(decoded.timeouts, null);
  t.is(decoded.port, null);
});

test('numbers that arrive as strings become numbers; unknown keys are dropped', (t) => {
  const value = decodeValue(
    encode({ name: 'a', port: '5432', extra: 1, tags: ['b', 'a'], items: [{ host: 'h', junk: 2 }] }),
    block,
  )!;
  t.is(value.port, 5432);
  t.false('extra' in value);
  t.deepEqual(value.tags, ['b', 'a']);
  t.deepEqual(value.items, [{ host: 'h' }]);
});

test('JSON state is read with the current schema', (t) => {
  const value = conformObject(
    parseJsonState(
      Buffer.from(JSON.stringify({ name: 'n', port: 1, items: [{ host: 'h' }], timeouts: { create: '1m' } })),
    ),
    block,
  );
  t.deepEqual(value, { name: 'n', port: 1, tags: null, on: null, items: [{ host: 'h' }], timeouts: { create: '1m' } });
});

test('a value of the wrong type is a ValueTypeError naming where it is and what was expected, never the value', (t) => {
  const wrong = (value: Record<string, unknown>) =>
    t.throws(() => decodeValue(encode(value), block), { instanceOf: ValueTypeError });
  const number = wrong({ name: 42 });
  t.deepEqual([number.path, number.expected, number.got], [['name'], 'a string', 'a number']);
  t.deepEqual(wrong({ items: 'db.example.com' }).path, ['items']);
  t.deepEqual(wrong({ tags: { a: 'secret-value' } }).path, ['tags']);
  t.false(wrong({ tags: { a: 'secret-value' } }).message.includes('secret-value'));
  t.deepEqual(wrong({ items: [{ host: true }] }).path, ['items', 0, 'host']);
  t.deepEqual(wrong({ timeouts: ['x'] }).path, ['timeouts']);
  t.deepEqual(wrong({ on: 'yes' }).path, ['on']);
  const text = wrong({ port: 'x' });
  t.deepEqual([text.path, text.expected, text.got], [['port'], 'a number', 'a string']);
  t.deepEqual(wrong({ port: '' }).path, ['port']);
  const extension = wrong({ name: new ExtData(5, new Uint8Array([1])) });
  t.is(extension.got, 'an extension value of an unknown type');
  t.throws(
    () => decodeValue(new Uint8Array([0xc1]), block),
    { instanceOf: ValueTypeError },
    'bytes that are not MessagePack',
  );
  t.throws(() => decodeValue(encode('a string'), block), { instanceOf: ValueTypeError });
});

test('each encoded value keeps its own bytes, and a value that fails to decode leaves the next one readable', (t) => {
  const first = encodeValue({ name: 'first', port: 1 }, block);
  const copy = Buffer.from(first);
  encodeValue({ name: 'second, and longer than the first', port: 2, tags: ['a', 'b'] }, block);
  t.deepEqual(Buffer.from(first), copy, 'the second encoding did not write over the first');
  t.throws(() => decodeValue(new Uint8Array([0x82, 0xa4, 0x6e]), block), { instanceOf: ValueTypeError });
  t.is(decodeValue(first, block)!.name, 'first');
});

test('the path of a wrong value names every step: nested single block, element index, map key, encoded state', (t) => {
  const labelled: TerraformBlock = {
    attributes: { labels: { type: ['map', 'number'] }, pins: { type: ['list', ['set', 'bool']] } },
    block_types: block.block_types,
  };
  const wrong = (run: () => unknown) => t.throws(run, { instanceOf: ValueTypeError });
  t.deepEqual(wrong(() => decodeValue(encode({ timeouts: { create: 5 } }), block)).path, ['timeouts', 'create']);
  t.deepEqual(wrong(() => decodeValue(encode({ tags: ['a', false] }), block)).path, ['tags', 1]);
  const key = wrong(() => decodeValue(encode({ labels: { a: 1, 'b.c': true } }), labelled));
  t.deepEqual([key.path, key.expected, key.got], [['labels', 'b.c'], 'a number', 'a bool']);
  t.deepEqual(wrong(() => decodeValue(encode({ pins: [[true], [1]] }), labelled)).path, ['pins', 1, 0]);
  t.deepEqual(wrong(() => decodeValue(encode({ labels: ['x'] }), labelled)).expected, 'a map');
  const state = wrong(() => encodeState({ items: [{ host: 'h' }, { host: 1 }] }, block));
  t.deepEqual(state.path, ['items', 1, 'host']);
  // A path is the failing value's own, not what an earlier failure left behind.
  t.deepEqual(wrong(() => encodeValue({ on: 'no' }, block)).path, ['on']);
  t.deepEqual(wrong(() => decodeValue(encode(['x']), block)).path, []);
});

test('an encoded state has write-only attributes nulled at every depth, in the same walk that conforms it', (t) => {
  const secret: TerraformBlock = {
    attributes: { name: { type: 'string' }, password: { type: 'string', write_only: true } },
    block_types: {
      users: {
        nesting_mode: 'list',
        block: { attributes: { login: { type: 'string' }, key: { type: 'string', write_only: true } } },
      },
      admin: { nesting_mode: 'single', block: { attributes: { key: { type: 'number', write_only: true } } } },
    },
  };
  const value = {
    name: 'n',
    password: 's3cret',
    users: [{ login: 'l', key: 'k' }],
    admin: { key: 'not even a number' },
  };
  t.deepEqual(decode(encodeState(value, secret)), {
    name: 'n',
    password: null,
    users: [{ login: 'l', key: null }],
    admin: { key: null },
  });
  t.deepEqual(decode(encodeValue(value as never, { attributes: secret.attributes })), {
    name: 'n',
    password: 's3cret',
  });
});

test('a map key "__proto__" stays an entry of the conformed map, not its prototype', (t) => {
  const labelled: TerraformBlock = { attributes: { labels: { type: ['map', 'string'] } } };
  const bytes = new Uint8Array([
    0x81,
    0xa6,
    ...Buffer.from('labels'),
    0x81,
    0xa9,
    ...Buffer.from('__proto__'),
    0xa1,
    0x78,
  ]);
  const labels = decodeValue(bytes, labelled)!.labels as object;
  t.deepEqual(Object.keys(labels), ['__proto__']);
  t.is(Object.getPrototypeOf(labels), Object.prototype);
});
