import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionContext } from 'ava';

/**
 * A proxy on 127.0.0.1 in front of an API (the simulator): what stands between a provider and the
 * real API and that the simulator cannot play itself. Latency (`delayMs` before each request is
 * passed on), stale reads (a GET answered with what an earlier GET got), another client's
 * request landing right after one of ours (`beforeAnswer`), reads from two clients at the same
 * moment (`gatherReads`). To be folded into the shared fault
 * proxy (test/helpers/fault-proxy.ts) when it lands.
 */
export interface ApiProxy {
  url: string;
  token: string;
  /**
   * Once a `after` request has been answered, the next `count` GETs of the same path are answered
   * with the answer of the last GET before it: a read that does not show the write yet.
   */
  serveStale(options: { after: string; count: number }): void;
  /** Run `action` once, after the API has answered the next `method` request and before the answer is passed on. */
  beforeAnswer(method: string, action: () => Promise<unknown>): void;
  /**
   * Hold the next `count` reads of a migration until all of them have arrived, so that they read
   * the same moment, or until `release()` (or, as a bound, 30 s).
   */
  gatherReads(count: number): void;
  release(): void;
}

/** The longest a gathered read is held when neither its companions nor a release come. */
const GATHER_BOUND_MS = 30_000;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Hop-by-hop and framing headers, which the proxy sets itself. */
const NOT_RELAYED = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'content-encoding']);

export async function apiProxy(
  t: ExecutionContext,
  api: { url: string; token: string },
  options: { delayMs?: number } = {},
): Promise<ApiProxy> {
  const lastGet = new Map<string, Answer>();
  let stale: { after: string; count: number; answer?: Map<string, Answer> } | undefined;
  const hooks: Array<{ method: string; action: () => Promise<unknown> }> = [];
  let gate: { remaining: number; open: Promise<void>; release: () => void } | undefined;
  const release = () => gate?.release();

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (options.delayMs) await sleep(options.delayMs);
    if (gate && gate.remaining > 0 && method === 'GET' && path.endsWith('/online-migration')) {
      if (--gate.remaining === 0) gate.release();
      await gate.open;
    }
    const frozen = method === 'GET' && stale?.answer && stale.count > 0 ? stale.answer.get(path) : undefined;
    if (frozen) {
      stale!.count--;
      return relay(res, frozen);
    }
    // undefined: the API dropped the connection, which the proxy passes on.
    const answer = await forward(api.url, method, path, req.headers, Buffer.concat(chunks)).catch(() => undefined);
    if (answer && method === 'GET' && !path.startsWith('/_sim/')) lastGet.set(path, answer);
    const hook = hooks.findIndex((h) => h.method === method);
    if (hook >= 0) await hooks.splice(hook, 1)[0]!.action();
    if (stale && !stale.answer && method === stale.after) stale.answer = new Map(lastGet);
    if (!answer) return res.destroy();
    relay(res, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: api.token,
    serveStale: ({ after, count }) => (stale = { after, count }),
    beforeAnswer: (method, action) => hooks.push({ method, action }),
    gatherReads(count) {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      const bound = setTimeout(open, GATHER_BOUND_MS);
      gate = {
        remaining: count,
        open: opened,
        release: () => {
          clearTimeout(bound);
          open();
        },
      };
    },
    release,
  };
}

async function forward(
  base: string,
  method: string,
  path: string,
  incoming: Record<string, string | string[] | undefined>,
  body: Buffer,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (typeof value === 'string' && !NOT_RELAYED.has(name) && name !== 'host') headers[name] = value;
  }
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body.length > 0 ? body.toString() : undefined,
  });
  const answered: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!NOT_RELAYED.has(name)) answered[name] = value;
  });
  return { status: response.status, headers: answered, body: await response.text() };
}

function relay(res: import('node:http').ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
