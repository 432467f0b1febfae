import test from 'ava';
import { decodeMsgpack } from '../../../src/tfplugin/wire/msgpack-format';
import { decodeValue } from '../../../src/tfplugin/wire/msgpack';
import type { TerraformBlock } from '../../../src/tfplugin/wire/schema';

/** `{ <key>: <value> }` as MessagePack, the key a fixstr. */
const oneEntry = (key: string, value: number) => Buffer.from([0x81, 0xa0 | key.length, ...Buffer.from(key), value]);

test('a map key is read from the bytes given, even when the buffer of an earlier value was written over since', (t) => {
  // A caller may reuse its buffer once a value is decoded (a stream's read buffer, a pool): what was
  // decoded from it before must not change how other bytes decode.
  const reused = oneEntry('rvwa', 1);
  t.deepEqual(decodeMsgpack(reused), { rvwa: 1 });
  reused.write('rvwb', 2);
  t.deepEqual(decodeMsgpack(oneEntry('rvwb', 2)), { rvwb: 2 });
});

test('a reused buffer does not move a value to another attribute of the schema', (t) => {
  const block: TerraformBlock = {
    attributes: { host: { type: 'string', optional: true }, path: { type: 'string', optional: true } },
  };
  const reused = Buffer.from([0x81, 0xa4, ...Buffer.from('host'), 0xa1, 0x61]);
  t.deepEqual(decodeValue(reused, block), { host: 'a', path: null });
  reused.write('path', 2);
  t.deepEqual(decodeValue(Buffer.from([0x81, 0xa4, ...Buffer.from('path'), 0xa1, 0x62]), block), {
    host: null,
    path: 'b',
  });
});
