/**
 * A fault-injecting HTTP proxy for tests: it sits between a client (or the provider) and an API
 * server on 127.0.0.1 and spoils answers the way a network, a gateway or a lagging replica would,
 * so that tests do not depend on the simulator's own habits.
 *
 *   const proxy = await faultProxy(t, sim.url, { limiter: { limit: 40, windowMs: 60_000, countRefused: true } });
 *   proxy.add({ method: 'GET', times: 1, fault: { kind: 'hang' } });
 *   ... point the client at proxy.url ...
 *   proxy.count('PUT');  proxy.requests  // every request: method, path, status, fault
 *   proxy.add({ method: 'GET', after: 'PUT', times: 2, fault: { kind: 'stale' } }); // reads that lag a write
 *   const gathered = proxy.gather(2, { method: 'GET' }); // two reads of the same moment
 *
 * For each request, in this order:
 * 1. the limiter (a gateway in front of the API): over its limit, a 429 with `retry-after` as
 *    `limiter.retryAfter` says (any value, or none);
 * 2. the first rule that matches (method, path, after `skip` matching requests, at most `times`);
 * 3. the seeded random 5xx (`serverErrors`), half of them after the API carried the request out;
 * 4. otherwise the request goes to the API and its answer comes back unchanged.
 * Every request is recorded once, with the status the client saw (0: no answer, hung or dropped).
 */
import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionContext } from 'ava';
import { seeded } from './random';

export type ProxyFault =
  /** Wait before forwarding and/or after the API answered, then pass the answer on. */
  | { kind: 'delay'; beforeMs?: number; afterMs?: number }
  /** Forward nothing and never answer (until the client gives up or the proxy closes). `after`: forward first. */
  | { kind: 'hang'; after?: boolean }
  /** Forward, then send the answer's body `chunkBytes` at a time, one chunk every `everyMs`. */
  | { kind: 'drip'; chunkBytes: number; everyMs: number }
  /** Forward, then change the JSON body (a 2xx or not): drop `created_at`, quote a password, ... */
  | { kind: 'rewrite'; body: (body: any) => unknown; status?: number }
  /** Do not forward: answer with the answer to an earlier GET of the same path (`back` answers ago, 1 by default). */
  | { kind: 'stale'; back?: number }
  /** Answer a redirect to `location` (forwarding nothing). */
  | { kind: 'redirect'; location: string; status?: number }
  /** Answer this, forwarding nothing (`after`: forward first, then answer this instead): a 429, a 503, ... */
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: unknown; after?: boolean }
  /** Forward, then run `action` before the answer is passed on: another client's request landing right after ours. */
  | { kind: 'meanwhile'; action: () => Promise<unknown> }
  /** Wait for `until()` (called as the request arrives), then forward: see `FaultProxy.gather`. */
  | { kind: 'hold'; until: () => Promise<unknown> };

export interface ProxyRule {
  method?: string;
  /** A substring of the path, or a pattern. */
  path?: string | RegExp;
  /** Let this many matching requests through first. */
  skip?: number;
  /** How many matching requests it spoils; unlimited when unset. */
  times?: number;
  /** Only requests that arrive once the proxy is done with a request of this method (answered or dropped). */
  after?: string;
  fault: ProxyFault;
}

export interface ProxyLimiter {
  /** Requests per window. */
  limit: number;
  windowMs: number;
  /** `sliding` (any `windowMs`) or `fixed` (windows from the proxy's start); sliding by default. */
  window?: 'sliding' | 'fixed';
  /** Whether a refused request counts against the limit, as many gateways do. */
  countRefused: boolean;
  /** The `retry-after` header (seconds) from the real wait in ms; undefined sends none. Default: the real wait. */
  retryAfter?: (realWaitMs: number) => string | undefined;
}

export interface ProxyOptions {
  limiter?: ProxyLimiter;
  /** A share of requests answered 500 or 503, from a seeded generator so that a run can be repeated. */
  serverErrors?: { rate: number; seed: number };
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** What the client got: 0 when it got no answer. */
  status: number;
  /** The fault that struck: `limited`, `5xx`, `5xx after`, or a rule's kind. */
  fault?: string;
  /** Whether the API saw it. */
  forwarded: boolean;
  /** When it arrived, epoch ms. */
  at: number;
}

export interface FaultProxy {
  url: string;
  requests: ProxiedRequest[];
  add(...rules: ProxyRule[]): void;
  /** Requests with this method (all when unset) that reached the API. */
  count(method?: string): number;
  /**
   * Holds the next `count` requests that match until all of them have arrived, so that they read the
   * same moment, or until `release()` (or, as a bound, 30 s).
   */
  gather(count: number, match?: Pick<ProxyRule, 'method' | 'path'>): { release(): void };
  close(): Promise<void>;
}

/** The longest `gather` holds a request when neither its companions nor a release come. */
const GATHER_BOUND_MS = 30_000;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A proxy to `upstream` on a free port of 127.0.0.1, closed when the test ends. */
export async function faultProxy(
  t: ExecutionContext,
  upstream: string,
  options: ProxyOptions = {},
): Promise<FaultProxy> {
  const rules: Array<ProxyRule & { seen: number; used: number }> = [];
  const requests: ProxiedRequest[] = [];
  const getAnswers = new Map<string, Answer[]>();
  const limited = options.limiter && gateway(options.limiter);
  const random = seeded(options.serverErrors?.seed ?? 0);
  const sockets = new Set<Socket>();
  const handled = new Set<string>();

  const forward = (req: IncomingMessage, body: Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const target = new URL(req.url ?? '/', upstream);
      const out = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse, record: ProxiedRequest): Promise<void> => {
    const body = await readAll(req);
    const { method, path } = record;
    const reply = (answer: Answer) => {
      record.status = answer.status;
      if (method === 'GET' && record.forwarded) remember(getAnswers, path, answer);
      send(res, answer);
    };
    const pass = async () => {
      record.forwarded = true;
      return forward(req, body);
    };

    const wait = limited?.(Date.now());
    if (wait) {
      record.fault = 'limited';
      const retryAfter = (options.limiter!.retryAfter ?? ((ms) => String(Math.ceil(ms / 1000))))(wait.ms);
      const headers = {
        'content-type': 'application/json',
        ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
      };
      return reply(json(429, { id: 'too_many_requests', message: 'API Rate limit exceeded.' }, headers));
    }
    const rule = rules.find(
      (r) =>
        matches(r, method, path) &&
        (r.after === undefined || handled.has(r.after)) &&
        r.seen++ >= (r.skip ?? 0) &&
        r.used < (r.times ?? Infinity),
    );
    if (rule) {
      rule.used++;
      record.fault = rule.fault.kind;
      return play(rule.fault, { pass, reply, res, record, earlier: getAnswers.get(path) ?? [] });
    }
    const errors = options.serverErrors;
    if (errors && random() < errors.rate) {
      const after = random() < 0.5;
      record.fault = after ? '5xx after' : '5xx';
      if (after) await pass();
      const status = random() < 0.5 ? 500 : 503;
      return reply(json(status, { id: 'server_error', message: 'Unexpected server-side error' }));
    }
    reply(await pass());
  };

  const server = createServer((req, res) => {
    const record: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://localhost').pathname,
      status: 0,
      forwarded: false,
      at: Date.now(),
    };
    requests.push(record);
    handle(req, res, record)
      .catch(() => res.socket?.destroy())
      .finally(() => handled.add(record.method));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  t.teardown(close);
  const add = (...added: ProxyRule[]) => rules.push(...added.map((r) => ({ ...r, seen: 0, used: 0 })));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    add,
    count: (method) => requests.filter((r) => r.forwarded && (method === undefined || r.method === method)).length,
    gather(count, match = {}) {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const bound = setTimeout(release, GATHER_BOUND_MS);
      void released.then(() => clearTimeout(bound));
      let arrived = 0;
      const until = () => {
        if (++arrived === count) release();
        return released;
      };
      add({ ...match, times: count, fault: { kind: 'hold', until } });
      return { release };
    },
    close,
  };
}

interface Play {
  pass: () => Promise<Answer>;
  reply: (answer: Answer) => void;
  res: ServerResponse;
  record: ProxiedRequest;
  earlier: Answer[];
}

async function play(fault: ProxyFault, { pass, reply, res, record, earlier }: Play): Promise<void> {
  switch (fault.kind) {
    case 'delay': {
      await sleep(fault.beforeMs ?? 0);
      const answer = await pass();
      await sleep(fault.afterMs ?? 0);
      return reply(answer);
    }
    case 'hang':
      if (fault.after) await pass();
      return; // the socket stays open until the client or close() drops it
    case 'drip': {
      const answer = await pass();
      record.status = answer.status;
      res.writeHead(answer.status, framed(answer));
      for (let at = 0; at < answer.body.length && !res.destroyed; at += fault.chunkBytes) {
        res.write(answer.body.subarray(at, at + fault.chunkBytes));
        await sleep(fault.everyMs);
      }
      return void res.end();
    }
    case 'rewrite': {
      const answer = await pass();
      const body = JSON.stringify(fault.body(JSON.parse(answer.body.toString('utf8') || 'null')));
      return reply({ ...answer, status: fault.status ?? answer.status, body: Buffer.from(body) });
    }
    case 'stale': {
      const old = earlier[earlier.length - (fault.back ?? 1)];
      return reply(old ?? (await pass()));
    }
    case 'redirect':
      return reply({ status: fault.status ?? 307, headers: { location: fault.location }, body: Buffer.alloc(0) });
    case 'answer':
      if (fault.after) await pass();
      return reply(json(fault.status, fault.body, { 'content-type': 'application/json', ...fault.headers }));
    case 'meanwhile': {
      const answer = await pass().finally(fault.action);
      return reply(answer);
    }
    case 'hold':
      await fault.until();
      return reply(await pass());
  }
}

/** The limiter as a function of the time a request arrives: undefined admits it, else how long the real wait is. */
function gateway(limiter: ProxyLimiter): (now: number) => { ms: number } | undefined {
  const counted: number[] = [];
  const started = Date.now();
  const fixed = limiter.window === 'fixed';
  return (now) => {
    const windowStart = fixed ? now - ((now - started) % limiter.windowMs) : now - limiter.windowMs;
    const expired = (at: number) => (fixed ? at < windowStart : at <= windowStart);
    while (counted.length > 0 && expired(counted[0]!)) counted.shift();
    const full = counted.length >= limiter.limit;
    if (!full || limiter.countRefused) counted.push(now);
    if (!full) return undefined;
    // Until the window has room again (for a sliding window that counts refusals: if nothing else comes).
    const frees = fixed ? windowStart + limiter.windowMs : counted[counted.length - limiter.limit]! + limiter.windowMs;
    return { ms: Math.max(0, frees - now) };
  };
}

function matches(rule: ProxyRule, method: string, path: string): boolean {
  if (rule.method && rule.method !== method) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
}

function remember(answers: Map<string, Answer[]>, path: string, answer: Answer): void {
  const list = answers.get(path) ?? [];
  list.push(answer);
  if (list.length > 20) list.shift();
  answers.set(path, list);
}

function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Answer {
  return { status, headers, body: Buffer.from(body === undefined ? '' : JSON.stringify(body)) };
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, framed(answer));
  res.end(answer.body);
}

/** The answer's headers for its body as the proxy sends it: whole, with its length. */
function framed(answer: Answer): Answer['headers'] {
  const headers: Answer['headers'] = { ...answer.headers, 'content-length': String(answer.body.length) };
  delete headers['transfer-encoding'];
  delete headers.connection;
  return headers;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
