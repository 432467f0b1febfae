import test from 'ava';
import { type ClientHttp2Session, connect } from 'node:http2';
import { ExtData, encode } from '@msgpack/msgpack';
import { MAX_MESSAGE_BYTES } from '../../../src/tfplugin/wire/grpc';
import { reference } from '../../helpers/protobufjs';
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

test('invalid JSON in UpgradeResourceState or MoveResourceState is a diagnostic saying so, never an internal error or an echo', async (t) => {
  const provider = await startProvider(t);
  const rpc = (method: string, request: object) => provider.call('tfplugin6.Provider', method, request);
  const broken = { json: Buffer.from('{"cluster_id": "9cc10173", "source": [{"password": hunter2}]') };
  const upgraded = await rpc('UpgradeResourceState', {
    type_name: 'dodb_online_migration',
    version: 0,
    raw_state: broken,
  });
  const moved = await rpc('MoveResourceState', {
    source_provider_address: 'registry.terraform.io/digitalocean/digitalocean',
    source_type_name: 'digitalocean_database_online_migration',
    source_schema_version: 0,
    source_state: broken,
    target_type_name: 'dodb_online_migration',
  });
  for (const [what, response, subject] of [
    ['upgrade', upgraded, 'The stored state of a dodb_online_migration'],
    ['move', moved, 'The digitalocean_database_online_migration state to move to dodb_online_migration'],
  ] as const) {
    t.is(response.diagnostics.length, 1, what);
    const [diagnostic] = response.diagnostics;
    t.is(diagnostic.severity, 1, what);
    t.is(diagnostic.summary, 'Stored state is not valid JSON', what);
    t.true(diagnostic.detail.startsWith(`${subject} is not valid JSON, so the provider cannot read it.`), what);
    t.notRegex(diagnostic.detail, /hunter2|bug/, what);
  }
  const truncated = await rpc('UpgradeResourceState', {
    type_name: 'dodb_online_migration',
    raw_state: { json: Buffer.from('{"cluster_id": "9cc10173"') },
  });
  t.regex(truncated.diagnostics[0].detail, /is not valid JSON \(at position 25\)/);
});

/** A request framed as gRPC frames it: the 5-byte prefix, then the protobuf message. */
function framed(method: string, request: object): Buffer {
  const type = reference().lookupType(`tfplugin6.${method}.Request`);
  const message = Buffer.from(type.encode(type.fromObject(request)).finish());
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/**
 * One raw call on `session`: `sent` resolves once the whole request has been handed to HTTP/2,
 * `answer` with the gRPC status. Without `end`, the last byte is held back until `finish()`.
 */
function rawCall(session: ClientHttp2Session, method: string, body: Buffer, end = true) {
  const stream = session.request({
    ':method': 'POST',
    ':path': `/tfplugin6.Provider/${method}`,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  const answer = new Promise<string>((resolve) => {
    stream.on('response', (headers) => headers['grpc-status'] !== undefined && resolve(String(headers['grpc-status'])));
    stream.on('trailers', (trailers) => resolve(String(trailers['grpc-status'])));
    stream.on('error', (error) => resolve(error.message));
    stream.on('close', () => resolve('closed'));
    stream.resume();
  });
  const head = end ? body : body.subarray(0, body.length - 1);
  const sent = new Promise<void>((resolve) => stream.write(head, () => resolve()));
  if (end) stream.end();
  return { answer, sent, finish: () => stream.end(body.subarray(body.length - 1)) };
}

const mutualTls = (provider: Awaited<ReturnType<typeof startProvider>>) =>
  connect(`https://${provider.address}`, {
    ca: provider.serverCert.toString(),
    key: provider.client.keyPem,
    cert: provider.client.certPem,
    servername: 'localhost',
    // The requests queued to be sent count against the client's own session memory (10 MB by default).
    maxSessionMemory: 1024,
  });

const BIG_MB = 63;
test('a request that is not protobuf is answered with INTERNAL, and the provider serves on', async (t) => {
  const provider = await startProvider(t);
  const session = mutualTls(provider);
  t.teardown(() => session.destroy());
  // ValidateResourceConfig's field 2 declaring 100 bytes where 2 follow.
  const body = Buffer.from([0, 0, 0, 0, 4, 0x12, 100, 0x0a, 0x00]);
  t.is(await rawCall(session, 'ValidateResourceConfig', body).answer, '13');
  const schema = await provider.call('tfplugin6.Provider', 'GetProviderSchema', {});
  t.truthy(schema.resource_schemas.dodb_online_migration, 'the provider still serves');
});

const bigRequest = () =>
  framed('ValidateResourceConfig', {
    type_name: 'dodb_online_migration',
    config: { msgpack: encode({ cluster_id: 'a'.repeat(BIG_MB * 1024 * 1024 - 100), source: SOURCE }) },
  });

// Serial: each keeps a provider busy with hundreds of megabytes, which the file's other tests need not share.
test.serial(`6 concurrent requests of ${BIG_MB} MB are all answered, with the provider's memory bounded`, async (t) => {
  t.timeout(180_000);
  const provider = await startProvider(t, { TF_LOG_PROVIDER: 'trace' });
  const usage = provider.child.waitFor(/"max_rss_kb":(\d+)/, { stream: 'stderr', ms: 170_000 });
  const session = mutualTls(provider);
  t.teardown(() => session.destroy());
  const body = bigRequest();
  const calls = Array.from({ length: 6 }, () => rawCall(session, 'ValidateResourceConfig', body));
  t.deepEqual(await Promise.all(calls.map((c) => c.answer)), Array(6).fill('0'));
  await provider.call(
    'plugin.GRPCController',
    'Shutdown',
    {},
    { types: { request: 'plugin.Empty', response: 'plugin.Empty' } },
  );
  const maxRssMb = Number((await usage)[1]) / 1024;
  t.log(`the provider's peak memory: ${Math.round(maxRssMb)} MB`);
  // One request of the largest size at a time, besides small ones: four of them in memory at once fail this.
  t.true(maxRssMb < 4 * BIG_MB + 200, `peak ${Math.round(maxRssMb)} MB`);
});

test.serial(`a ${BIG_MB} MB request in progress holds back a second one, not 10 small calls in parallel`, async (t) => {
  t.timeout(120_000);
  const provider = await startProvider(t);
  const session = mutualTls(provider);
  t.teardown(() => session.destroy());
  const body = bigRequest();
  const first = rawCall(session, 'ValidateResourceConfig', body, false);
  await first.sent;
  const second = rawCall(session, 'ValidateResourceConfig', body);
  const small = framed('ValidateResourceConfig', {
    type_name: 'dodb_online_migration',
    config: { msgpack: encode({ cluster_id: CLUSTER, source: SOURCE }) },
  });
  const smalls = Array.from({ length: 10 }, () => rawCall(session, 'ValidateResourceConfig', small));
  t.deepEqual(await Promise.all(smalls.map((c) => c.answer)), Array(10).fill('0'), 'the small calls are answered');
  let secondSent = false;
  void second.sent.then(() => (secondSent = true));
  // The first request still holds its reservation: the second one has not been read whole.
  t.false(secondSent, 'the second large request waits');
  first.finish();
  t.deepEqual(await Promise.all([first.answer, second.answer]), ['0', '0']);
});
