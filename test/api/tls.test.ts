import test from 'ava';
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../src/api/errors';
import { selfSignedCertificate } from '../../src/tfplugin/wire/certificate';
import { CLUSTER, TEST_TOKEN } from '../helpers/constants';
import { serve } from '../helpers/http-server';
import { clientFor } from '../helpers/simulator';

const MIGRATION = { id: 'm-1', status: 'running', created_at: '2026-01-01T00:00:00Z' };

test('the certificate authorities a client is given are trusted on every connection it opens, and no others', async (t) => {
  const certificate = selfSignedCertificate();
  const parallel = 4;
  const ports = new Set<number>();
  // After the first, answers are held until `parallel` requests wait at once: each on a connection of its own.
  let first = true;
  let held: ServerResponse[] = [];
  const { port } = await serve(
    t,
    (req, res) => {
      ports.add(req.socket.remotePort!);
      held.push(res);
      if (!first && held.length < parallel) return;
      first = false;
      for (const waiting of held) waiting.setHeader('content-type', 'application/json').end(JSON.stringify(MIGRATION));
      held = [];
    },
    { key: certificate.keyPem, cert: certificate.certPem },
  );
  // The certificate is for localhost.
  const api = { url: `https://localhost:${port}`, token: TEST_TOKEN };
  const client = clientFor(api, { certificateAuthorities: [certificate.certPem], retry: { limit: 0 } });

  // The first answer tells the limiter there is no rate limit to pace on; then the calls go at once.
  t.is((await client.getMigration(CLUSTER)).id, 'm-1');
  const ids = await Promise.all(Array.from({ length: parallel }, () => client.getMigration(CLUSTER)));
  t.deepEqual(
    ids.map((m) => m.id),
    Array(parallel).fill('m-1'),
  );
  t.true(ports.size >= parallel, `${ports.size} connections`);

  const other = selfSignedCertificate();
  const { port: otherPort } = await serve(t, (_req, res) => res.end(JSON.stringify(MIGRATION)), {
    key: other.keyPem,
    cert: other.certPem,
  });
  const stranger = clientFor(
    { url: `https://localhost:${otherPort}`, token: TEST_TOKEN },
    { certificateAuthorities: [certificate.certPem], retry: { limit: 0 } },
  );
  const refused = await t.throwsAsync(stranger.getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(refused!.code, 'network');
  t.regex(refused!.message, /certificate/);
});
