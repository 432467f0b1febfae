import { performance } from 'node:perf_hooks';
import type { Http2Server } from 'node:http2';
import { certificateDer, selfSignedCertificate } from './certificate';
import { MAGIC_COOKIE, MAGIC_COOKIE_KEY } from './cookie';
import { listenGrpc, type UnaryMethod } from './grpc';
import { type Logger, stderrLogger } from './log';
import { PROVIDER_RPCS, type ProviderHandlers, type ProviderRpc, rpcCodecs } from './proto';

/**
 * Start as a go-plugin gRPC server: check the cookie and protocol version, serve over mutual TLS
 * on 127.0.0.1, print the handshake line, and exit promptly when Terraform calls Shutdown.
 */
export function serve(name: string, handlersFor: (log: Logger) => ProviderHandlers): void {
  const evaluated = performance.now();
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE) {
    process.stderr.write(
      `This is a Terraform provider plugin (${name}). Terraform starts it; it is not meant to be run by hand.\n`,
    );
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? '6').split(',').map((v) => v.trim());
  if (!versions.includes('6')) {
    // A line with too few fields is shown to the user as the plugin's message.
    process.stdout.write(
      `${name} speaks plugin protocol 6 only; this Terraform offers ${versions.join(', ')}: use Terraform 1.0 or later\n`,
    );
    process.exit(1);
  }
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  const expectedClient = clientCert === undefined ? undefined : certificateDer(clientCert);
  if (clientCert !== undefined && !expectedClient) {
    // Terraform names the only client it will connect as. Without that certificate any local process
    // could call the provider (and read the secrets it is sent): fail closed instead.
    process.stdout.write(
      `${name} will not serve: PLUGIN_CLIENT_CERT ${clientCert.trim() ? 'is not a PEM X.509 certificate' : 'is empty'}, ` +
        'so no client could be authenticated. Terraform sets it to its own certificate when it starts the plugin\n',
    );
    process.exit(1);
  }
  process.on('SIGINT', () => {});
  exitWithParent();
  const log = stderrLogger(name);
  process.on('uncaughtException', (e) => log.log('error', 'uncaught exception', { error: e.message, stack: e.stack }));
  process.on('unhandledRejection', (e) => log.log('error', 'unhandled rejection', { error: String(e) }));

  const handlers = handlersFor(log);
  // A CI cancel, `timeout` or a systemd stop sends SIGTERM to Terraform's whole process group, and
  // Terraform takes it as an interrupt: it asks the provider to stop, waits for the operations in
  // flight to return their state, then calls Shutdown. Dying at once would lose that state, so
  // SIGTERM stops the operations as StopProvider does, and the exit waits for Shutdown (or for
  // Terraform to be gone).
  process.on('SIGTERM', () => {
    log.log('info', 'SIGTERM: stopping operations in flight, as StopProvider does');
    void handlers.StopProvider({});
  });
  const methods = new Map<string, UnaryMethod>(
    PROVIDER_RPCS.map((rpc) => [`/tfplugin6.Provider/${rpc}`, codec(rpc, handlers)]),
  );
  let server: Http2Server | undefined;
  methods.set('/plugin.GRPCController/Shutdown', async () => {
    const usage = process.resourceUsage();
    log.log('trace', 'resource usage', {
      cpu_ms: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      max_rss_kb: usage.maxRSS,
    });
    // Terraform hangs up as soon as this reply arrives and waits for the exit: leave then, or shortly anyway.
    server?.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 200);
    return Buffer.alloc(0);
  });

  const certificate = selfSignedCertificate();
  const certified = performance.now();
  listenGrpc({
    key: certificate.keyPem,
    cert: certificate.certPem,
    clientCert: expectedClient,
    methods,
  }).then(
    (listening) => {
      server = listening.server;
      process.stdout.write(
        `1|6|tcp|127.0.0.1:${listening.port}|grpc|${certificate.der.toString('base64').replace(/=+$/, '')}\n`,
      );
      // Where the start-up went, since the process began (TF_LOG_PROVIDER=trace shows it; `make bench` reads it).
      const booted = performance.nodeTiming.bootstrapComplete;
      log.log('trace', 'start-up timing', {
        boot_ms: booted,
        modules_ms: evaluated - booted,
        certificate_ms: certified - evaluated,
        listen_ms: performance.now() - certified,
      });
    },
    (error: Error) => {
      process.stdout.write(`${name} could not listen on 127.0.0.1: ${error.message}\n`);
      process.exit(1);
    },
  );
}

/** protobuf in and out around a handler over plain objects. */
function codec<R extends ProviderRpc>(rpc: R, handlers: ProviderHandlers): UnaryMethod {
  const handle = handlers[rpc];
  let codecs: ReturnType<typeof rpcCodecs<R>> | undefined;
  return async (bytes) => {
    // Decoded by the same table the request type is derived from; a malformed message throws here,
    // and the call is answered with a gRPC error. Indexed, not destructured: that goes through the
    // iterator protocol on every call.
    codecs ??= rpcCodecs(rpc);
    const result = await handle(codecs[0].decode(bytes));
    // Handlers build plain objects with the wire's own types (numbers, bytes), so they encode as they are.
    return codecs[1].encode(result);
  };
}

/** A Terraform that was killed cannot call Shutdown: leave with it rather than linger as an orphan. */
function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
}
