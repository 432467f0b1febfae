import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join, normalize } from 'node:path';
import type { ExecutionContext } from 'ava';
import { scratchDir } from './project';

/** A test CA and a certificate for 127.0.0.1 it signed (openssl), as a team's internal mirror has. */
function testCertificates(dir: string) {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
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
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  openssl(
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
  const certs = testCertificates(scratchDir(t, 'ca'));
  const served: string[] = [];
  const server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'https://127.0.0.1').pathname);
    served.push(path);
    try {
      const body = readFileSync(join(root, normalize(path).replace(/^(\.\.[/\\])+/, '')));
      res.writeHead(200, { 'content-type': path.endsWith('.json') ? 'application/json' : 'application/zip' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return { url: `https://127.0.0.1:${(server.address() as { port: number }).port}/`, caFile: certs.ca, served };
}
