import { type Http2Server, type ServerHttp2Stream, constants, createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** A unary gRPC method: serialized request in, serialized response out. */
export type UnaryMethod = (request: Buffer) => Promise<Buffer>;

/** gRPC status codes this server answers with. */
const RESOURCE_EXHAUSTED = 8;
const UNIMPLEMENTED = 12;
const INTERNAL = 13;

/**
 * The largest request accepted, 64 MiB: the cap Terraform itself puts on what it receives from a
 * provider. A request declaring more, or sending more, is refused as soon as that is known,
 * without reading the rest.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface GrpcServerOptions {
  key: string;
  cert: string;
  /** PEM of the only client certificate accepted (mutual TLS); none means no client authentication. */
  clientCert?: string;
  /** Keyed by `/package.Service/Method`. */
  methods: Map<string, UnaryMethod>;
}

/**
 * The part of gRPC that Terraform uses, straight on node:http2: unary calls over mutual TLS.
 * Loading a full gRPC library cost more start-up time than the whole protocol does, and the
 * provider starts three to five times per terraform command.
 */
export function listenGrpc(options: GrpcServerOptions): Promise<{ port: number; server: Http2Server }> {
  const expectedClient = options.clientCert === undefined ? undefined : pemToDer(options.clientCert);
  const server = createSecureServer({
    key: options.key,
    cert: options.cert,
    // No CA list at all (an empty one, not a missing one): Node would otherwise parse its ~150
    // bundled root certificates, about 30 ms of every start. The client is checked below instead.
    ca: [],
    ...(expectedClient ? { requestCert: true, rejectUnauthorized: false } : {}),
    ALPNProtocols: ['h2'],
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    // Only the very certificate Terraform announced may call: stricter than a CA check, and free.
    if (expectedClient && !expectedClient.equals(socket.getPeerCertificate().raw ?? Buffer.alloc(0)))
      return socket.destroy();
    // Small replies must not wait for Nagle's algorithm: Terraform makes hundreds of calls per plan.
    socket.setNoDelay(true);
  });
  server.on('stream', (stream, headers) => {
    const method = options.methods.get(String(headers[':path']));
    const chunks: Buffer[] = [];
    let received = 0;
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
      const declared = chunks[0]!.length >= 5 ? chunks[0]!.readUInt32BE(1) : 0;
      if (declared > MAX_MESSAGE_BYTES || received > MAX_MESSAGE_BYTES + 5) {
        chunks.length = 0;
        stream.removeAllListeners('data');
        stream.removeAllListeners('end');
        fail(stream, RESOURCE_EXHAUSTED, `request larger than ${MAX_MESSAGE_BYTES} bytes`);
        stream.close(constants.NGHTTP2_CANCEL);
      }
    });
    stream.on('end', () => {
      if (!method) return fail(stream, UNIMPLEMENTED, `unknown method ${String(headers[':path'])}`);
      const body = Buffer.concat(chunks);
      if (body.length < 5 || body[0] !== 0) return fail(stream, UNIMPLEMENTED, 'compressed or malformed message');
      method(body.subarray(5, 5 + body.readUInt32BE(1))).then(
        (response) => reply(stream, response),
        (error: Error) => fail(stream, INTERNAL, error.message),
      );
    });
    stream.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, server }));
  });
}

function reply(stream: ServerHttp2Stream, message: Buffer): void {
  if (stream.destroyed) return;
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(frame);
}

/** A trailers-only response carrying the error status. */
function fail(stream: ServerHttp2Stream, status: number, message: string): void {
  if (stream.destroyed) return;
  stream.respond(
    {
      ':status': 200,
      'content-type': 'application/grpc',
      'grpc-status': String(status),
      'grpc-message': encodeURIComponent(message),
    },
    { endStream: true },
  );
}

/** The DER bytes of the first certificate in a PEM text. */
function pemToDer(pem: string): Buffer {
  const body = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(pem)?.[1] ?? '';
  return Buffer.from(body.replace(/\s+/g, ''), 'base64');
}
