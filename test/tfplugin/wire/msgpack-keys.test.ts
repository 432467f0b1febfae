import test from 'ava';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

test('a decoded request is not kept alive by the decoder once another value has been decoded', async (t) => {
  const gc = (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();
  // A value with a key not seen before, in a buffer of its own (as a large request arrives).
  const input = (() => {
    const request = Buffer.alloc(1024 * 1024);
    const header = Buffer.from([0x81, 0xa4, ...Buffer.from('rvwc'), 0xc6]);
    header.copy(request);
    request.writeUInt32BE(request.length - header.length - 4, header.length);
    t.deepEqual(decodeValue(request, { attributes: {} }), {});
    t.deepEqual(decodeValue(Buffer.from([0x80]), { attributes: {} }), {});
    return new WeakRef(request.buffer);
  })();
  // A WeakRef's target lives to the end of the job that made it.
  await new Promise(setImmediate);
  gc();
  t.is(input.deref(), undefined, 'the 1 MiB request is still reachable');
});
