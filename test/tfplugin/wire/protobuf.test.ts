import test from 'ava';
import { Writer } from 'protobufjs/light';
import { TFPLUGIN6 } from '../../../src/tfplugin/wire/proto';
import { type MessageSpec, type Spec, messageOf } from '../../../src/tfplugin/wire/protobuf';
import { reference } from '../../helpers/protobufjs';
import { type RandomSource, randomSource } from '../../helpers/random';

/** The plain objects the provider's handlers were given when protobufjs decoded their requests. */
const TO_OBJECT = { longs: Number, enums: Number, defaults: false, arrays: true, objects: false };

type Scopes = Readonly<Record<string, Spec>>[];

/** Every message of the table: its full name, its spec and the scopes its type names resolve in. */
function messages(
  scope: Readonly<Record<string, Spec>>,
  outer: Scopes = [],
  prefix = '',
): [string, MessageSpec, Scopes][] {
  const scopes = [scope, ...outer];
  return Object.entries(scope).flatMap(([name, spec]) => {
    const own: [string, MessageSpec, Scopes][] = 'fields' in spec ? [[`${prefix}${name}`, spec, scopes]] : [];
    const inner = 'nested' in spec && spec.nested ? messages(spec.nested, scopes, `${prefix}${name}.`) : [];
    return [...own, ...inner];
  });
}
const ALL = messages(TFPLUGIN6);

const STRINGS = ['', 'a', 'dodb_online_migration', 'é ∑ 😀', 'x'.repeat(200), 'line\nbreak'];
const INTS = [
  0,
  1,
  -1,
  127,
  128,
  300,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 32,
  2 ** 32 + 5,
  -(2 ** 40) - 3,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];

function scalar(type: string, r: RandomSource, scopes: Scopes, depth: number): unknown {
  if (type === 'string') return r.pick(STRINGS);
  if (type === 'bytes') return Buffer.from(Array.from({ length: r.pick([0, 1, 5, 200]) }, () => r.int(256)));
  if (type === 'int64') return r.pick(INTS);
  if (type === 'bool') return r.next() < 0.5;
  const found = scopes.findIndex((scope) => type in scope);
  const spec = scopes[found]![type]!;
  if ('values' in spec) return r.pick([...Object.values(spec.values), 7, -2]);
  return generate(spec as MessageSpec, scopes.slice(found), r, depth + 1);
}

/** A random message of `spec`: some fields absent, one member of a oneof at most, nesting bounded. */
function generate(spec: MessageSpec, scopes: Scopes, r: RandomSource, depth = 0): Record<string, unknown> {
  const oneof = Object.values(spec.oneofs ?? {}).flatMap((o) => o.oneof);
  const chosen = oneof.length ? r.pick(oneof) : undefined;
  const inner = spec.nested ? [spec.nested, ...scopes] : scopes;
  const message: Record<string, unknown> = {};
  for (const [name, [, type, rule]] of Object.entries(spec.fields)) {
    if (r.next() < (depth > 2 ? 0.8 : 0.3) || (oneof.includes(name) && name !== chosen)) continue;
    const count = depth > 3 ? 0 : r.int(4);
    if (rule === 'repeated') message[name] = Array.from({ length: count }, () => scalar(type, r, inner, depth));
    else if (rule)
      message[name] = Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`${r.pick(STRINGS)}${i}`, scalar(type, r, inner, depth)]),
      );
    else message[name] = scalar(type, r, inner, depth);
  }
  return message;
}

const ours = (name: string, scopes: Scopes) => messageOf<Record<string, unknown>>(name.split('.').at(-1)!, scopes);

test('every message of the table codes as protobufjs does: the same bytes, the same decoded objects', (t) => {
  const r = randomSource(19);
  let compared = 0;
  for (const [name, spec, scopes] of ALL) {
    const codec = ours(name, scopes);
    const theirs = reference().lookupType(`tfplugin6.${name}`);
    for (let i = 0; i < 60; i++) {
      const message = generate(spec, scopes, r);
      const bytes = codec.encode(message);
      t.deepEqual(Buffer.from(bytes), Buffer.from(theirs.encode(message).finish()), `${name}: encoded bytes`);
      t.deepEqual(codec.decode(bytes), theirs.toObject(theirs.decode(bytes), TO_OBJECT), `${name}: decoded`);
      compared++;
    }
  }
  t.log(`${compared} messages of ${ALL.length} types`);
});

const scopesOf = (name: string) => ALL.find(([n]) => n === name)![2];
const step = () => ours('AttributePath.Step', scopesOf('AttributePath.Step'));

test('fields this table does not know are skipped, whatever their wire type', (t) => {
  const dynamic = ours('DynamicValue', scopesOf('DynamicValue'));
  const bytes = new Writer()
    .uint32((9 << 3) | 0)
    .int64(-5)
    .uint32((1 << 3) | 2)
    .bytes(Buffer.from([0x81, 0xa1, 0x61, 0x01]))
    .uint32((10 << 3) | 1)
    .fixed64(7)
    .uint32((11 << 3) | 2)
    .string('from a newer Terraform')
    .uint32((12 << 3) | 5)
    .fixed32(3)
    .uint32((13 << 3) | 3)
    .uint32((1 << 3) | 0)
    .uint32(1)
    .uint32((13 << 3) | 4)
    // A known field in a wire type it cannot have is skipped too.
    .uint32((2 << 3) | 0)
    .uint32(1)
    .finish();
  t.deepEqual(dynamic.decode(bytes), { msgpack: Buffer.from([0x81, 0xa1, 0x61, 0x01]) });
});

test('a map key "__proto__" is an entry, not a prototype', (t) => {
  const raw = ours('RawState', scopesOf('RawState'));
  const decoded = raw.decode(raw.encode({ flatmap: JSON.parse('{"__proto__": "x", "a": "b"}') }));
  const flatmap = decoded.flatmap as Record<string, string>;
  t.deepEqual(Object.keys(flatmap), ['__proto__', 'a']);
  t.is(Object.getPrototypeOf(flatmap), Object.prototype);
  t.is(flatmap.__proto__ as unknown, 'x');
});

test('malformed messages throw an Error saying so, never a crash or a wrong value', (t) => {
  const codec = ours('DynamicValue', scopesOf('DynamicValue'));
  const cases: [string, number[]][] = [
    ['a length past the end', [0x0a, 0x05, 1, 2]],
    ['a varint cut short', [0x08, 0x80]],
    ['a tag cut short', [0x80]],
    ['a varint of 11 bytes', [0x48, ...Array(10).fill(0xff), 0x01]],
    ['wire type 6', [0x0e]],
    ['wire type 7', [0x0f]],
    ['a group that is never closed', [0x1b, 0x08, 0x01]],
    ['a group closed by another number', [0x1b, 0x24]],
    ['fixed64 cut short', [0x09, 1, 2, 3]],
  ];
  for (const [what, bytes] of cases)
    t.throws(() => codec.decode(new Uint8Array(bytes)), { instanceOf: Error, message: /^invalid protobuf/ }, what);
  const nested = ours('AttributePath', scopesOf('AttributePath'));
  // A step declaring 3 bytes whose string inside declares 5.
  t.throws(() => nested.decode(new Uint8Array([0x0a, 0x03, 0x0a, 0x05, 0x61])), { message: /^invalid protobuf/ });
});

test('every truncation of a valid message either throws "invalid protobuf" or decodes a prefix of it', (t) => {
  const name = 'PlanResourceChange.Request';
  const codec = ours(name, scopesOf(name));
  const bytes = codec.encode(generate(ALL.find(([n]) => n === name)![1], scopesOf(name), randomSource(7)));
  for (let length = 0; length < bytes.length; length++) {
    try {
      t.is(typeof codec.decode(bytes.subarray(0, length)), 'object');
    } catch (thrown) {
      t.regex((thrown as Error).message, /^invalid protobuf/, `cut at ${length}`);
    }
  }
});

test('int64 and enums keep their sign and size across the wire', (t) => {
  const codec = step();
  for (const value of INTS) t.is(codec.decode(codec.encode({ element_key_int: value })).element_key_int, value);
  t.is(step().encode({ element_key_int: -1 }).length, 11, 'a negative int64 is ten bytes after its tag');
});

test('a message is prepared once, however many fields name it; a name that is no message is refused', (t) => {
  const scopes = scopesOf('Diagnostic');
  t.is(ours('Diagnostic', scopes), ours('Diagnostic', scopes));
  t.throws(() => messageOf('Nowhere', scopes), { message: 'unknown protobuf type Nowhere' });
  t.throws(() => messageOf('StringKind', scopes), { message: 'StringKind is not a message' });
});
