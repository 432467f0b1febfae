import { readFileSync, writeFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { ExecutionContext } from 'ava';
import { runOk } from './child';
import { serve } from './http-server';
import { scratchDir } from './project';

/** A test CA and a certificate for 127.0.0.1 it signed (openssl), as a team's internal mirror has. */
async function testCertificates(dir: string) {
  const openssl = (...args: string[]) => runOk('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=dodb test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  await openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  await openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'server.ext',
  );
  return {
    ca: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'server.key')),
    cert: readFileSync(join(dir, 'server.pem')),
  };
}

export interface HttpsMirror {
  url: string;
  /** The CA file to hand to terraform as SSL_CERT_FILE. */
  caFile: string;
  /** Paths of the requests served, in order. */
  served: string[];
}

/** Static files of `root` over HTTPS on 127.0.0.1 with a certificate from a test CA; closed after the test. */
export async function httpsMirror(t: ExecutionContext, root: string): Promise<HttpsMirror> {
  const certs = await testCertificates(scratchDir(t, 'ca'));
  const served: string[] = [];
  const { url } = await serve(
    t,
    (req, res) => {
      const path = decodeURIComponent(new URL(req.url!, 'https://127.0.0.1').pathname);
      served.push(path);
      try {
        const body = readFileSync(join(root, normalize(path).replace(/^(\.\.[/\\])+/, '')));
        res
          .writeHead(200, { 'content-type': path.endsWith('.json') ? 'application/json' : 'application/zip' })
          .end(body);
      } catch {
        res.writeHead(404).end();
      }
    },
    { key: certs.key, cert: certs.cert },
  );
  return { url: `${url}/`, caFile: certs.ca, served };
}
