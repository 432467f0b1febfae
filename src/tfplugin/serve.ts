import { selfSignedCertificate } from './certificate';
import { listenGrpc, type UnaryMethod } from './grpc';
import { stderrLogger } from './log';
import { PROVIDER_RPCS, protocol } from './proto';
import type { ProviderDefinition } from './provider';
import { providerHandlers } from './server';

/** go-plugin's handshake cookie: Terraform sets it; a person running the binary does not. */
const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const TO_OBJECT = { longs: Number, enums: Number, defaults: false, arrays: true, objects: false };

/**
 * Start as a go-plugin gRPC server: check the cookie and protocol version, serve over mutual TLS
 * on 127.0.0.1, print the handshake line, and exit promptly when Terraform calls Shutdown.
 */
export function serve<D>(definition: ProviderDefinition<D>): void {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE) {
    process.stderr.write(`This is a Terraform provider plugin (${definition.name}). Terraform starts it; it is not meant to be run by hand.\n`);
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? '6').split(',').map((v) => v.trim());
  if (!versions.includes('6')) {
    // A line with too few fields is shown to the user as the plugin's message.
    process.stdout.write(`${definition.name} speaks plugin protocol 6 only; this Terraform offers ${versions.join(', ')}: use Terraform 1.0 or later\n`);
    process.exit(1);
  }
  process.on('SIGINT', () => {});
  exitWithParent();
  const log = stderrLogger(definition.name);
  process.on('uncaughtException', (e) => log.log('error', 'uncaught exception', { error: e.message, stack: e.stack }));
  process.on('unhandledRejection', (e) => log.log('error', 'unhandled rejection', { error: String(e) }));

  const handlers = providerHandlers(definition, log);
  const methods = new Map<string, UnaryMethod>(
    PROVIDER_RPCS.map((rpc) => [`/tfplugin6.Provider/${rpc}`, codec(`tfplugin6.${rpc}.Request`, `tfplugin6.${rpc}.Response`, handlers[rpc])]),
  );
  methods.set('/plugin.GRPCController/Shutdown', async () => {
    setTimeout(() => process.exit(0), 5);
    return Buffer.alloc(0);
  });

  const certificate = selfSignedCertificate();
  listenGrpc({ key: certificate.keyPem, cert: certificate.certPem, clientCert: process.env.PLUGIN_CLIENT_CERT, methods }).then(
    ({ port }) => {
      process.stdout.write(`1|6|tcp|127.0.0.1:${port}|grpc|${certificate.der.toString('base64').replace(/=+$/, '')}\n`);
      // While Terraform connects: the message types every call needs.
      setImmediate(protocol);
    },
    (error: Error) => {
      process.stdout.write(`${definition.name} could not listen on 127.0.0.1: ${error.message}\n`);
      process.exit(1);
    },
  );
}

/** protobuf in and out around a handler over plain objects. */
function codec(requestType: string, responseType: string, handle: (request: Record<string, any>) => Promise<object>): UnaryMethod {
  return async (bytes) => {
    const request = protocol().lookupType(requestType);
    const response = protocol().lookupType(responseType);
    const result = await handle(request.toObject(request.decode(bytes), TO_OBJECT));
    return Buffer.from(response.encode(response.fromObject(result)).finish());
  };
}

/** A Terraform that was killed cannot call Shutdown: leave with it rather than linger as an orphan. */
function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
}
