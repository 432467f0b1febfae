import { type IncomingMessage, type RequestListener, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';

/**
 * The one ad-hoc HTTP server of the tests, for answers the simulator does not give:
 *
 *     const { url } = await serve(t, (req, res) => res.writeHead(500).end());
 *     const { port } = await serve(t, handler, { key, cert }); // HTTPS with that key and certificate
 *
 * It listens on a free port of 127.0.0.1 and is closed, with its open connections, when the test ends.
 */
export interface Served {
  /** `http://127.0.0.1:PORT` (or https), without a trailing slash. */
  url: string;
  port: number;
}

export async function serve(
  t: ExecutionContext,
  handler: RequestListener,
  tls?: { key: string | Buffer; cert: string | Buffer },
): Promise<Served> {
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port };
}

/** The whole body of a request, as text. */
export async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}
