import test from 'ava';
import { decodePrivate } from '../../../src/tfplugin/framework/private-state';
import { isMigrationPrivate } from '../../../src/provider/online-migration/state';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

test('private state of the declared shape is read; any other shape, or no JSON object, reads as none', (t) => {
  t.deepEqual(decodePrivate(bytes({ adopt: true }), isMigrationPrivate), { adopt: true });
  t.deepEqual(decodePrivate(bytes({ adopt: true, resumeWait: true }), isMigrationPrivate), {
    adopt: true,
    resumeWait: true,
  });
  t.deepEqual(decodePrivate(bytes({ adopt: true, origin: '0123456789abcdef' }), isMigrationPrivate), {
    adopt: true,
    origin: '0123456789abcdef',
  });
  t.deepEqual(decodePrivate(bytes({}), isMigrationPrivate), {});
  const others = [
    { adopt: 'yes' },
    { adopt: true, schema_version: 2 },
    { resumeWait: 1 },
    { origin: true },
    [true],
    'adopt',
    null,
  ];
  for (const other of others) t.is(decodePrivate(bytes(other), isMigrationPrivate), null, JSON.stringify(other));
  t.is(decodePrivate(Buffer.from('not json'), isMigrationPrivate), null);
  t.is(decodePrivate(undefined, isMigrationPrivate), null);
  t.deepEqual(
    decodePrivate(bytes({ any: 1 }), undefined),
    { any: 1 },
    'a type that declares no shape reads any object',
  );
});

test('private state that is a slice of a larger message is read from its own bytes only', (t) => {
  const message = Buffer.from(`xx${JSON.stringify({ adopt: true })}yy`);
  const slice = new Uint8Array(message.buffer, message.byteOffset + 2, message.length - 4);
  t.deepEqual(decodePrivate(slice, isMigrationPrivate), { adopt: true });
});
