import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation, status as GrpcStatus } from '@grpc/grpc-js';
import { selfSignedCertificate } from './certificate';
import { stderrLogger } from './log';
import { PROVIDER_RPCS, root } from './proto';
import type { ProviderDefinition } from './provider';
import { providerHandlers } from './server';

/** go-plugin's handshake cookie: Terraform sets it; a person running the binary does not. */
const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const MAX_MESSAGE = 256 * 1024 * 1024;
const TO_OBJECT = { longs: Number, enums: Number, defaults: false, arrays: true, objects: false };

/**
 * Start as a go-plugin gRPC server: check the cookie and protocol version, serve over mutual TLS
 * on 127.0.0.1, print the handshake line, and exit promptly when Terraform calls Shutdown.
 */
export function serve<D>(definition: ProviderDefinition<D>): void {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE) {
    process.stderr.write(`This is a Terraform provider plugin (${definition.name}). It is started by terraform, not by hand:\n` +
      'install it with `make provider` and point TF_CLI_CONFIG_FILE at dist/terraformrc.\n');
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? '6').split(',').map((v) => v.trim());
  if (!versions.includes('6')) {
    // A line with too few fields is shown to the user as the plugin's message.
    process.stdout.write(`${definition.name} speaks plugin protocol 6 only; this Terraform offers ${versions.join(', ')}: use Terraform 1.0 or later\n`);
    process.exit(1);
  }
  process.on('SIGINT', () => {});
  const log = stderrLogger(definition.name);
  process.on('uncaughtException', (e) => log.log('error', 'uncaught exception', { error: e.message, stack: e.stack }));
  process.on('unhandledRejection', (e) => log.log('error', 'unhandled rejection', { error: String(e) }));

  const handlers = providerHandlers(definition, log);
  const server = new Server({ 'grpc.max_receive_message_length': MAX_MESSAGE, 'grpc.max_send_message_length': MAX_MESSAGE });
  server.addService(
    service('tfplugin6.Provider', PROVIDER_RPCS, (rpc) => [`tfplugin6.${rpc}.Request`, `tfplugin6.${rpc}.Response`]),
    Object.fromEntries(PROVIDER_RPCS.map((rpc) => [rpc, unary((request) => handlers[rpc](request))])),
  );
  server.addService(service('plugin.GRPCController', ['Shutdown'], () => ['plugin.Empty', 'plugin.Empty']), {
    Shutdown: (_call: unknown, callback: (error: null, response: object) => void) => {
      callback(null, {});
      setTimeout(() => process.exit(0), 10);
    },
  });

  const certificate = selfSignedCertificate();
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  const keyPair = [{ cert_chain: Buffer.from(certificate.certPem), private_key: Buffer.from(certificate.keyPem) }];
  const credentials = clientCert ? ServerCredentials.createSsl(Buffer.from(clientCert), keyPair, true) : ServerCredentials.createSsl(null, keyPair, false);
  server.bindAsync('127.0.0.1:0', credentials, (error, port) => {
    if (error) {
      process.stdout.write(`${definition.name} could not listen on 127.0.0.1: ${error.message}\n`);
      process.exit(1);
    }
    const cert = certificate.der.toString('base64').replace(/=+$/, '');
    process.stdout.write(`1|6|tcp|127.0.0.1:${port}|grpc|${cert}\n`);
  });
}

function service(name: string, methods: readonly string[], types: (method: string) => [string, string]): ServiceDefinition {
  return Object.fromEntries(
    methods.map((method) => {
      const [request, response] = types(method).map((t) => root.lookupType(t));
      return [
        method,
        {
          path: `/${name}/${method}`,
          requestStream: false,
          responseStream: false,
          requestSerialize: (value: object) => Buffer.from(request!.encode(request!.fromObject(value)).finish()),
          requestDeserialize: (bytes: Buffer) => request!.toObject(request!.decode(bytes), TO_OBJECT),
          responseSerialize: (value: object) => Buffer.from(response!.encode(response!.fromObject(value)).finish()),
          responseDeserialize: (bytes: Buffer) => response!.toObject(response!.decode(bytes), TO_OBJECT),
        },
      ];
    }),
  ) as ServiceDefinition;
}

function unary(handle: (request: Record<string, unknown>) => Promise<object>): UntypedServiceImplementation[string] {
  return ((call: { request: Record<string, unknown> }, callback: (error: { code: number; details: string } | null, response?: object) => void) => {
    handle(call.request).then(
      (response) => callback(null, response),
      (error: Error) => callback({ code: GrpcStatus.INTERNAL, details: error.message }),
    );
  }) as UntypedServiceImplementation[string];
}
