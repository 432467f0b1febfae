import test from 'ava';
import { Decoder, Encoder, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import { MsgpackError, OtherExtension, decodeMsgpack, encodeMsgpack } from '../../../src/tfplugin/wire/msgpack-format';
import { Unknown, isUnknown } from '../../../src/tfplugin/wire/values';
import { type RandomSource, randomSource } from '../../helpers/random';

/** @msgpack/msgpack set up as the provider used it before it had its own codec: the reference. */
const extensions = new ExtensionCodec();
for (const type of [0, 12])
  extensions.register({
    type,
    encode: (value: unknown) =>
      isUnknown(value) && (value.refinement ? type === 12 : type === 0)
        ? (value.refinement ?? new Uint8Array([0]))
        : null,
    decode: (data: Uint8Array) => new Unknown(type === 12 ? data.slice() : undefined),
  });
const reference = {
  encoder: new Encoder({ extensionCodec: extensions, ignoreUndefined: false }),
  decoder: new Decoder({ extensionCodec: extensions }),
};

const NUMBERS = [
  0,
  1,
  31,
  127,
  128,
  255,
  256,
  65535,
  65536,
  2 ** 32 - 1,
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  -1,
  -32,
  -33,
  -128,
  -129,
  -32768,
  -32769,
  -(2 ** 31),
  -(2 ** 31) - 1,
  Number.MIN_SAFE_INTEGER,
  0.5,
  -1.25,
  1e300,
  2 ** 60,
  3.14159,
];
const STRINGS = [
  '',
  'a',
  'cluster_id',
  'é',
  '∑ and 😀',
  'x'.repeat(31),
  'y'.repeat(32),
  'z'.repeat(300),
  'w'.repeat(70000),
  'ü'.repeat(20),
];

/** A random value of the kinds cty sends, nested a few levels. */
function value(r: RandomSource, depth = 0): unknown {
  const kind = r.int(depth > 1 ? 5 : 7);
  if (kind === 0) return null;
  if (kind === 1) return r.next() < 0.5;
  if (kind === 2) return r.pick(NUMBERS);
  if (kind === 3) return r.pick(STRINGS);
  if (kind === 4) return r.next() < 0.5 ? new Unknown() : new Unknown(new Uint8Array([0x81, 0x01, 0xc3]));
  const size = r.pick([0, 1, 2, 3, 15, 16]);
  if (kind === 5) return Array.from({ length: size }, () => value(r, depth + 1));
  return Object.fromEntries(Array.from({ length: size }, (_, i) => [`${STRINGS[r.int(4)]}${i}`, value(r, depth + 1)]));
}

test('values code to the same bytes as @msgpack/msgpack, and decode to the same values', (t) => {
  const r = randomSource(19);
  for (let i = 0; i < 150; i++) {
    const input = value(r);
    const bytes = Uint8Array.from(encodeMsgpack(input));
    t.deepEqual(bytes, reference.encoder.encode(input), `value ${i}`);
    t.deepEqual(decodeMsgpack(bytes), reference.decoder.decode(bytes), `value ${i}`);
  }
});

test('every length form decodes: 16- and 32-bit strings, arrays, maps, binary data and extensions', (t) => {
  const long = 'k'.repeat(70000);
  const forms: [string, number[], unknown][] = [
    ['str 32', [0xdb, 0, 0, 0, 2, 0x61, 0x62], 'ab'],
    ['str 16', [0xda, 0, 1, 0x61], 'a'],
    ['array 32', [0xdd, 0, 0, 0, 1, 0xc0], [null]],
    ['map 16', [0xde, 0, 1, 0xa1, 0x61, 0x01], { a: 1 }],
    ['map 32', [0xdf, 0, 0, 0, 1, 0xa1, 0x61, 0xc2], { a: false }],
    ['bin 8', [0xc4, 2, 7, 8], new Uint8Array([7, 8])],
    ['bin 16', [0xc5, 0, 1, 9], new Uint8Array([9])],
    ['bin 32', [0xc6, 0, 0, 0, 1, 9], new Uint8Array([9])],
    ['float 32', [0xca, 0x3f, 0xc0, 0, 0], 1.5],
    ['uint 64', [0xcf, 0, 0, 0, 1, 0, 0, 0, 2], 2 ** 32 + 2],
    ['int 64', [0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], -2],
    ['ext 16', [0xc8, 0, 1, 12, 0xc0], new Unknown(new Uint8Array([0xc0]))],
    ['ext 32', [0xc9, 0, 0, 0, 1, 0, 0], new Unknown()],
    ['fixext 4', [0xd6, 12, 1, 2, 3, 4], new Unknown(new Uint8Array([1, 2, 3, 4]))],
  ];
  for (const [what, bytes, expected] of forms) t.deepEqual(decodeMsgpack(new Uint8Array(bytes)), expected, what);
  t.is(decodeMsgpack(encodeMsgpack(long)), long);
  t.deepEqual(decodeMsgpack(encodeMsgpack(new Uint8Array(300))), new Uint8Array(300));
  t.deepEqual(
    Buffer.from(encodeMsgpack(new Uint8Array(70000))),
    Buffer.from(reference.encoder.encode(new Uint8Array(70000))),
  );
});

test('an extension other than cty`s two is kept apart, and a refinement is a copy of the input', (t) => {
  const other = decodeMsgpack(new Uint8Array([0xd4, 5, 1]));
  t.deepEqual(other, new OtherExtension(5, new Uint8Array([1])));
  t.false(isUnknown(other));
  const input = new Uint8Array([0xd5, 12, 1, 2]);
  const refined = decodeMsgpack(input) as Unknown;
  input[2] = 9;
  t.deepEqual(refined.refinement, new Uint8Array([1, 2]));
  t.deepEqual(decodeMsgpack(reference.encoder.encode(new ExtData(5, new Uint8Array([1])))), other);
});

test('a map key "__proto__" is an entry, not a prototype', (t) => {
  const decoded = decodeMsgpack(new Uint8Array([0x81, 0xa9, ...Buffer.from('__proto__'), 0x01])) as object;
  t.deepEqual(Object.keys(decoded), ['__proto__']);
  t.is(Object.getPrototypeOf(decoded), Object.prototype);
});

test('bytes that are not one MessagePack value throw a MsgpackError saying what is wrong', (t) => {
  const cases: [number[], RegExp][] = [
    [[0xc1], /0xc1 is not a MessagePack type/],
    [[0xa3, 0x61], /ends in the middle/],
    [[0xcd, 0x01], /ends in the middle/],
    [[0x92, 0xc0], /ends in the middle/],
    [[0xdd, 0xff, 0xff, 0xff, 0xff], /ends in the middle/],
    [[0xc0, 0xc0], /1 bytes after the value/],
    [[0x81, 0x01, 0xc0], /a map key that is not a string/],
    [[], /ends in the middle/],
  ];
  for (const [bytes, message] of cases)
    t.throws(() => decodeMsgpack(new Uint8Array(bytes)), { instanceOf: MsgpackError, message }, String(bytes));
  t.throws(() => encodeMsgpack(() => 1), { instanceOf: MsgpackError, message: 'a function has no MessagePack form' });
});

test('each encoding is its own copy, also after a large one', (t) => {
  const first = encodeMsgpack({ a: 'first' });
  const large = encodeMsgpack('x'.repeat(2 * 1024 * 1024));
  t.is(large.length, 2 * 1024 * 1024 + 5);
  encodeMsgpack({ a: 'again' });
  t.deepEqual(decodeMsgpack(first), { a: 'first' });
});

test('map keys read before are found by all their bytes, and keys past the remembered ones still decode', (t) => {
  const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
  for (let pass = 0; pass < 2; pass++) t.deepEqual(decodeMsgpack(encodeMsgpack(many)), many, `pass ${pass}`);
  t.deepEqual(
    decodeMsgpack(encodeMsgpack({ k01: 1, k10: 2, ü: 3, [`${'a'.repeat(31)}`]: 4, [`${'a'.repeat(32)}`]: 5 })),
    {
      k01: 1,
      k10: 2,
      ü: 3,
      [`${'a'.repeat(31)}`]: 4,
      [`${'a'.repeat(32)}`]: 5,
    },
  );
});
