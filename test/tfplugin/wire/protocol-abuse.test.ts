import test from 'ava';
import { connect } from 'node:http2';
import { ExtData, encode } from '@msgpack/msgpack';
import { MAX_MESSAGE_BYTES } from '../../../src/tfplugin/wire/grpc';
import { CLUSTER } from '../../helpers/constants';
import { startProvider } from '../../helpers/provider-process';

const SOURCE = [{ host: 'db.example.com', port: 5432 }];
const config = (value: Record<string, unknown>) => ({
  msgpack: encode({ cluster_id: CLUSTER, source: SOURCE, ...value }),
});
const attributeOf = (diagnostic: any) =>
  (diagnostic.attribute?.steps ?? []).map((s: any) => s.attribute_name ?? s.element_key_int);

test('a value of the wrong type is a diagnostic naming the attribute, on every RPC that decodes one', async (t) => {
  const provider = await startProvider(t);
  const rpc = (method: string, request: object) => provider.call('tfplugin6.Provider', method, request);
  const validate = (value: Record<string, unknown>) =>
    rpc('ValidateResourceConfig', { type_name: 'dodb_online_migration', config: config(value) });

  const wrong: Array<[string, Record<string, unknown>, Array<string | number>, RegExp]> = [
    ['cluster_id as an integer', { cluster_id: 42 }, ['cluster_id'], /cluster_id must be a string; got a number/],
    ['source as a string', { source: 'db.example.com' }, ['source'], /source must be a list of blocks; got a string/],
    [
      'ignore_dbs as a map',
      { ignore_dbs: { scratch: 'hunter2' } },
      ['ignore_dbs'],
      /ignore_dbs must be a set; got an object/,
    ],
    [
      'an unknown extension type',
      { cluster_id: new ExtData(7, new Uint8Array([1, 2])) },
      ['cluster_id'],
      /got an extension value of an unknown type/,
    ],
    [
      'a port as a bool, inside the block',
      { source: [{ host: 'db.example.com', port: true }] },
      ['source', 0, 'port'],
      /source\[0\]\.port must be a number; got a bool/,
    ],
  ];
  for (const [what, value, path, detail] of wrong) {
    const response = await validate(value);
    t.is(response.diagnostics.length, 1, what);
    const [diagnostic] = response.diagnostics;
    t.is(diagnostic.severity, 1, what);
    t.regex(diagnostic.summary, /^Invalid value type for /, what);
    t.deepEqual(attributeOf(diagnostic), path, what);
    t.regex(diagnostic.detail, detail, what);
    t.false(diagnostic.detail.includes('hunter2'), `${what}: the value itself is not repeated`);
  }

  const garbage = await rpc('ValidateResourceConfig', {
    type_name: 'dodb_online_migration',
    config: { msgpack: Buffer.from([0xc1, 0xff]) },
  });
  t.regex(garbage.diagnostics[0].summary, /Invalid value type/, 'bytes that are not MessagePack');

  const bad = config({ cluster_id: 42 });
  const responses = [
    await rpc('PlanResourceChange', { type_name: 'dodb_online_migration', config: bad, proposed_new_state: bad }),
    await rpc('ApplyResourceChange', { type_name: 'dodb_online_migration', config: bad, planned_state: bad }),
    await rpc('ReadResource', { type_name: 'dodb_online_migration', current_state: bad }),
    await rpc('ValidateProviderConfig', { config: { msgpack: encode({ token: 12345 }) } }),
    await rpc('ValidateDataResourceConfig', {
      type_name: 'dodb_online_migration',
      config: { msgpack: encode({ cluster_id: [CLUSTER] }) },
    }),
  ];
  for (const response of responses) {
    t.regex(response.diagnostics[0].summary, /^Invalid value type for (cluster_id|token)$/);
    t.false(
      response.diagnostics.some((d: any) => /Internal error/.test(d.summary)),
      'not reported as a bug of the provider',
    );
  }
  const schema = await rpc('GetProviderSchema', {});
  t.truthy(schema.resource_schemas.dodb_online_migration, 'the provider still serves');
});

/** One raw HTTP/2 request over the provider's mutual TLS: the gRPC status, and how many bytes went out before it came. */
function oversized(
  provider: Awaited<ReturnType<typeof startProvider>>,
  declared: number,
  chunks: number,
): Promise<{ status: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://${provider.address}`, {
      ca: provider.serverCert.toString(),
      key: provider.client.keyPem,
      cert: provider.client.certPem,
      servername: 'localhost',
    });
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': '/tfplugin6.Provider/ValidateResourceConfig',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let sent = 0;
    let answered = false;
    const finish = (status: string) => {
      if (answered) return;
      answered = true;
      session.destroy();
      resolve({ status, sent });
    };
    stream.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) finish(String(headers['grpc-status']));
    });
    stream.on('trailers', (trailers) => finish(String(trailers['grpc-status'])));
    stream.on('error', () => finish('stream reset'));
    stream.on('close', () => finish('closed'));
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(declared, 1);
    stream.write(prefix);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const pump = (left: number): void => {
      if (answered || left === 0) return void (answered || stream.end());
      sent += chunk.length;
      if (stream.write(chunk)) setImmediate(() => pump(left - 1));
      else stream.once('drain', () => pump(left - 1));
    };
    pump(chunks);
  });
}

test('a request above the size limit is refused with RESOURCE_EXHAUSTED without being read whole', async (t) => {
  t.timeout(120_000);
  const provider = await startProvider(t);
  const declared = await oversized(provider, 512 * 1024 * 1024, 200);
  t.log(`refused after ${declared.sent} bytes`);
  t.is(declared.status, '8', 'a message declaring 512 MiB is refused');
  t.true(
    declared.sent < 200 * 1024 * 1024,
    `refused after ${declared.sent} bytes, before the client had sent everything`,
  );
  const undeclared = await oversized(provider, 1024, MAX_MESSAGE_BYTES / (1024 * 1024) + 8);
  t.is(undeclared.status, '8', 'a message that keeps coming past the limit is refused');
  const schema = await provider.call('tfplugin6.Provider', 'GetProviderSchema', {});
  t.truthy(schema.resource_schemas.dodb_online_migration, 'the provider still serves');
});
