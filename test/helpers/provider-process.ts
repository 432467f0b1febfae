import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import type { ExecutionContext } from 'ava';
import { selfSignedCertificate } from '../../src/tfplugin/wire/certificate';
import { reference } from './protobufjs';
import { PROVIDER } from './built-provider';
import { type Child, start } from './child';
import { COOKIE } from './constants';
import { ROOT } from './project';

export interface ProviderProcess {
  child: Child;
  /** The exit code, once the provider has ended. */
  exited: Promise<number | null>;
  /** The fields of the go-plugin handshake line. */
  handshake: string[];
  address: string;
  serverCert: X509Certificate;
  client: Certificate;
  /**
   * A unary call over mutual TLS, with the protocol's own message types (or `types`), presenting
   * the announced client certificate (or `as`), given up after 10 seconds.
   */
  call(
    service: string,
    method: string,
    request: object,
    options?: { types?: { request: string; response: string }; as?: Certificate },
  ): Promise<any>;
}

export type Certificate = ReturnType<typeof selfSignedCertificate>;

/** The built provider, started as Terraform starts it (cookie, client certificate), killed after the test. */
export async function startProvider(t: ExecutionContext, env: NodeJS.ProcessEnv = {}): Promise<ProviderProcess> {
  const client = selfSignedCertificate();
  const child = start(t, PROVIDER, [], {
    env: {
      PATH: process.env.PATH,
      ...COOKIE,
      PLUGIN_PROTOCOL_VERSIONS: '6,5',
      PLUGIN_CLIENT_CERT: client.certPem,
      XDG_CACHE_HOME: join(ROOT, '.tmp/cache'),
      ...env,
    },
  });
  const exited = child.done.then((result) => result.code);
  const [line] = await child.waitFor(/^.*\n/, { stream: 'stdout' });
  const handshake = line.trim().split('|');
  const address = handshake[3]!;
  const serverCert = new X509Certificate(Buffer.from(handshake[5]!, 'base64'));
  const call: ProviderProcess['call'] = (service, method, request, { types, as = client } = {}) => {
    const protocolPackage = service.split('.')[0];
    const Req = reference().lookupType(types?.request ?? `${protocolPackage}.${method}.Request`);
    const Res = reference().lookupType(types?.response ?? `${protocolPackage}.${method}.Response`);
    const Client = makeGenericClientConstructor(
      {
        [method]: {
          path: `/${service}/${method}`,
          requestStream: false,
          responseStream: false,
          requestSerialize: (v: object) => Buffer.from(Req.encode(Req.fromObject(v)).finish()),
          requestDeserialize: (b: Buffer) => Req.decode(b),
          responseSerialize: (v: object) => Buffer.from(Res.encode(Res.fromObject(v)).finish()),
          responseDeserialize: (b: Buffer) => Res.toObject(Res.decode(b), { longs: Number, enums: Number }),
        },
      },
      service,
    );
    const tls = credentials.createSsl(
      Buffer.from(serverCert.toString()),
      Buffer.from(as.keyPem),
      Buffer.from(as.certPem),
    );
    const stub = new Client(address, tls, { 'grpc.ssl_target_name_override': 'localhost' }) as unknown as Record<
      string,
      (req: object, options: object, cb: (e: Error | null, r: any) => void) => void
    >;
    return new Promise<any>((resolve, reject) =>
      stub[method]!(request, { deadline: Date.now() + 10_000 }, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  };
  return { child, exited, handshake, address, serverCert, client, call };
}
