import { type Http2Server, type ServerHttp2Stream, constants, createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ByteBudget } from './byte-budget';

/** A unary gRPC method: serialized request in, serialized response out. */
export type UnaryMethod = (request: Buffer) => Promise<Uint8Array>;

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

/**
 * The most request bytes held at once across all streams, from the moment a request declares its
 * size until it is answered: one request of the largest size, and room for many small ones beside
 * it. A request that does not fit waits unread (HTTP/2 flow control holds its sender back), so that
 * concurrent large requests cannot together exhaust the memory.
 */
const MAX_BUFFERED_BYTES = MAX_MESSAGE_BYTES + 16 * 1024 * 1024;

/** The gRPC message prefix: a compression flag and the message's length. */
const PREFIX_BYTES = 5;

export interface GrpcServerOptions {
  key: string;
  cert: string;
  /** DER of the only client certificate accepted (mutual TLS); none means no client authentication. */
  clientCert?: Buffer;
  /** Keyed by `/package.Service/Method`. */
  methods: Map<string, UnaryMethod>;
}

/**
 * The part of gRPC that Terraform uses, straight on node:http2: unary calls over mutual TLS.
 * Loading a full gRPC library cost more start-up time than the whole protocol does, and the
 * provider starts three to five times per terraform command.
 */
export function listenGrpc(options: GrpcServerOptions): Promise<{ port: number; server: Http2Server }> {
  const expectedClient = options.clientCert;
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
  const budget = new ByteBudget(MAX_BUFFERED_BYTES);
  server.on('stream', (stream, headers) => {
    const method = options.methods.get(String(headers[':path']));
    // Until the prefix is read: a few bytes. Then the request, in one buffer of its declared size.
    let pending: Buffer[] = [];
    let body: Buffer | undefined;
    let filled = 0;
    let release = () => {};
    stream.on('close', () => release());
    const refuse = (message: string) => {
      pending = [];
      body = undefined;
      stream.removeAllListeners('data');
      stream.removeAllListeners('end');
      fail(stream, RESOURCE_EXHAUSTED, message);
      stream.close(constants.NGHTTP2_CANCEL);
    };
    stream.on('data', (chunk: Buffer) => {
      if (body) {
        // A unary call carries one message: bytes beyond it would be held outside the budget.
        if (filled + chunk.length > body.length) return refuse('request longer than the message it declared');
        filled += chunk.copy(body, filled);
        return;
      }
      pending.push(chunk);
      // Usually the whole request comes in its first chunk: then that chunk is the body, uncopied.
      const start = pending.length === 1 ? chunk : Buffer.concat(pending);
      if (start.length < PREFIX_BYTES) return;
      const size = PREFIX_BYTES + start.readUInt32BE(1);
      if (size > PREFIX_BYTES + MAX_MESSAGE_BYTES) return refuse(`request larger than ${MAX_MESSAGE_BYTES} bytes`);
      if (start.length > size) return refuse('request longer than the message it declared');
      pending = [];
      // Read on once the declared size fits the budget: at once, unless large requests are in progress
      // (the stream is paused only then: pausing and resuming every call costs time on each).
      release = budget.reserve(size, () => {
        if (start.length === size) {
          body = start;
          filled = size;
        } else {
          body = Buffer.allocUnsafe(size);
          filled = start.copy(body);
        }
        if (stream.isPaused()) stream.resume();
      });
      if (!body) stream.pause();
    });
    stream.on('end', () => {
      if (!method) return fail(stream, UNIMPLEMENTED, `unknown method ${String(headers[':path'])}`);
      if (!body || filled < body.length || body[0] !== 0)
        return fail(stream, UNIMPLEMENTED, 'compressed or malformed message');
      method(body.subarray(PREFIX_BYTES)).then(
        (response) => {
          try {
            reply(stream, response);
          } finally {
            release();
          }
        },
        (error: Error) => {
          try {
            fail(stream, INTERNAL, error.message);
          } finally {
            release();
          }
        },
      );
      body = undefined;
    });
    stream.on('error', ignore);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, server }));
  });
}

/** A stream's errors end it, and its call with it: nothing is left to answer. */
const ignore = () => {};

// The same for every answered call: node copies headers and options before use, so one of each serves all.
const OK_HEADERS = { ':status': 200, 'content-type': 'application/grpc' };
const OK_OPTIONS = { waitForTrailers: true };
const OK_TRAILERS = { 'grpc-status': '0' };

function sendOkTrailers(this: ServerHttp2Stream): void {
  this.sendTrailers(OK_TRAILERS);
}

function reply(stream: ServerHttp2Stream, message: Uint8Array): void {
  if (stream.destroyed) return;
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, PREFIX_BYTES);
  stream.respond(OK_HEADERS, OK_OPTIONS);
  stream.on('wantTrailers', sendOkTrailers);
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
