import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv2020 from 'ajv/dist/2020';
import type { MigrationStatus } from '../../generated/types';
import startRequestSchema from '../../schema/api/start-request.schema.json';
import { MIGRATION_STATUSES, isActive } from '../api/status';
import { BurstLimit } from './burst';
import { type Fault, FaultPlan, type FaultMix } from './faults';
import { type Engine, Store } from './store';

export interface SimulatorOptions {
  port?: number;
  token?: string;
  stateFile?: string;
  /** Time from `running` to `syncing`, ms. */
  syncDelayMs?: number;
  /** Requests per token per window. */
  rateLimit?: number;
  rateWindowMs?: number;
  /** Requests accepted in any minute, not shown in the headers (a 429 with none to explain it); unset: no burst limit. */
  burstLimit?: number;
  /** Refuse a start while the cluster's migration is `running` or `syncing`. */
  refuseConcurrent?: boolean;
  /** How far the server's clock is ahead of (or, negative, behind) this machine's, ms: created_at shows it. */
  clockSkewMs?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  at: string;
  fault?: string;
  /** Dotted names of the fields the request body set; never their values. */
  fields?: string[];
}

export interface Simulator {
  url: string;
  token: string;
  store: Store;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A DigitalOcean-compatible server for the online-migration endpoints, on 127.0.0.1. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const config = {
    token: options.token ?? `dop_v1_sim_${randomUUID().replace(/-/g, '')}`,
    syncDelayMs: options.syncDelayMs ?? 3000,
    rateLimit: options.rateLimit ?? 250,
    rateWindowMs: options.rateWindowMs ?? 60_000,
    refuseConcurrent: options.refuseConcurrent ?? true,
    clockSkewMs: options.clockSkewMs ?? 0,
  };
  // Until when every API request is dropped (connection reset), ms since epoch.
  let outageUntil = 0;
  const store = new Store(options.stateFile);
  const faults = new FaultPlan();
  const log: RequestRecord[] = [];
  const windows = new Map<string, { start: number; used: number }>();
  const burst = new BurstLimit(options.burstLimit);
  const validate = new Ajv2020({ allErrors: false, strict: false }).compile(startRequestSchema);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error) => {
        send(res, 500, { id: 'server_error', message: `simulator bug: ${(error as Error).message}` });
      });
    });
  });

  function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const requestId = randomUUID();
    const payload = body === undefined ? '' : JSON.stringify(status >= 400 ? { ...(body as object), request_id: requestId } : body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...headers });
    res.end(payload);
  }

  function rateHeaders(token: string, now: number, count: boolean): { headers: Record<string, string>; exceeded: boolean } {
    // A window opens with the token's first request, so a test knows how far away its reset is.
    let window = windows.get(token);
    if (!window || now >= window.start + config.rateWindowMs) windows.set(token, (window = { start: now, used: 0 }));
    const { start } = window;
    const exceeded = window.used >= config.rateLimit;
    if (count && !exceeded) window.used++;
    const reset = Math.ceil((start + config.rateWindowMs) / 1000);
    return {
      exceeded,
      headers: {
        'ratelimit-limit': String(config.rateLimit),
        'ratelimit-remaining': String(Math.max(0, config.rateLimit - window.used)),
        'ratelimit-reset': String(reset),
        ...(exceeded ? { 'retry-after': String(Math.max(1, reset - Math.floor(now / 1000))) } : {}),
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith('/_sim/')) return admin(method, path, body, res);

    const record: RequestRecord = { method, path, status: 0, at: new Date().toISOString(), ...(body ? { fields: fieldNames(body) } : {}) };
    log.push(record);
    const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, payload, headers);
    };

    if (Date.now() < outageUntil) {
      record.fault = 'outage';
      res.socket?.resetAndDestroy();
      return;
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${config.token}`) {
      return reply(401, { id: 'Unauthorized', message: 'Unable to authenticate you' });
    }
    const now = Date.now();
    if (!burst.admit(now)) {
      record.fault = 'burst-limit';
      return reply(429, { id: 'too_many_requests', message: 'API Rate limit exceeded.' }, rateHeaders(config.token, now, false).headers);
    }
    const limit = rateHeaders(config.token, now, true);
    if (limit.exceeded) {
      record.fault = 'rate-limit';
      return reply(429, { id: 'too_many_requests', message: 'API Rate limit exceeded.' }, limit.headers);
    }

    const fault = faults.next(method, path);
    if (fault) record.fault = describeFault(fault);
    const stall = () => new Promise((resolve) => setTimeout(resolve, fault?.delayMs ?? 2000));
    const after = fault?.after === true || fault?.kind === 'truncate';
    if (fault && !after) {
      if (fault.kind !== 'slow') return injectFault(fault, res, record, limit.headers);
      await stall();
    }

    const [status, payload] = route(method, path, body);
    if (fault && after) {
      if (fault.kind !== 'slow') return injectFault(fault, res, record, limit.headers, payload);
      await stall();
    }
    reply(status, payload, limit.headers);
  }

  function injectFault(fault: Fault, res: ServerResponse, record: RequestRecord, headers: Record<string, string>, payload?: unknown): void {
    if (fault.kind === 'truncate') {
      const text = JSON.stringify(payload ?? {});
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    if (fault.kind === 'reset') {
      record.status = 0;
      res.socket?.resetAndDestroy();
      return;
    }
    const status = fault.status ?? 500;
    record.status = status;
    const extra: Record<string, string> = status === 429 ? { 'retry-after': String(fault.retryAfter ?? 1) } : {};
    const id = status === 429 ? 'too_many_requests' : 'server_error';
    send(res, status, { id, message: status === 429 ? 'API Rate limit exceeded.' : 'Unexpected server-side error' }, { ...headers, ...extra });
  }

  /** The DigitalOcean API proper: [status, body]. */
  function route(method: string, path: string, body: string): [number, unknown?] {
    const notFound: [number, unknown] = [404, { id: 'not_found', message: 'The resource you were accessing could not be found.' }];
    const match = /^\/v2\/databases\/([^/]+)(\/online-migration(?:\/([^/]+))?)?$/.exec(path);
    if (!match) return notFound;
    const [, clusterId, migrationPart, migrationId] = match;
    const cluster = UUID.test(clusterId!) ? store.cluster(clusterId!) : undefined;
    if (!cluster) return notFound;
    const latest = store.latest(cluster.id);
    const active = latest && isActive(latest.status);

    if (!migrationPart && method === 'GET') {
      return [200, { database: { id: cluster.id, name: cluster.name, engine: cluster.engine, status: active ? 'migrating' : 'online', region: 'nyc3' } }];
    }
    if (migrationPart && !migrationId && method === 'GET') return latest ? [200, publicView(latest)] : notFound;
    if (migrationPart && !migrationId && method === 'PUT') {
      let request: unknown;
      try {
        request = JSON.parse(body);
      } catch {
        return [400, { id: 'bad_request', message: 'The request body is not valid JSON.' }];
      }
      if (!validate(request)) {
        const error = validate.errors![0]!;
        const field = `${error.instancePath.slice(1).replace(/\//g, '.')}${error.params && 'additionalProperty' in error.params ? `.${error.params.additionalProperty}` : ''}`.replace(/^\./, '');
        return [422, { id: 'unprocessable_entity', message: `${field || 'body'} ${error.message}` }];
      }
      if (active && config.refuseConcurrent) {
        return [409, { id: 'conflict', message: `cluster ${cluster.id} already has a migration in progress (${latest.id}, ${latest.status})` }];
      }
      return [200, publicView(store.start(cluster.id, config.syncDelayMs, config.clockSkewMs))];
    }
    if (migrationId && method === 'DELETE') {
      if (!latest || latest.id !== migrationId || !active) return notFound;
      // Stopping a migration that has caught up is the cutover: the target keeps everything and runs on its own.
      store.setStatus(latest, latest.status === 'syncing' ? 'done' : 'canceled');
      return [204];
    }
    return [405, { id: 'method_not_allowed', message: `${method} is not allowed on ${path}` }];
  }

  function admin(method: string, path: string, body: string, res: ServerResponse): void {
    const input = body ? JSON.parse(body) : {};
    const ok = (payload: unknown = { ok: true }) => send(res, 200, payload);
    if (path === '/_sim/requests' && method === 'GET') return ok(log);
    if (path === '/_sim/requests' && method === 'DELETE') {
      log.length = 0;
      return ok();
    }
    if (path === '/_sim/faults' && method === 'POST') {
      faults.add((input.faults ?? []) as Fault[]);
      if (input.mix) faults.setMix(input.mix as FaultMix);
      return ok({ pending: faults.pending() });
    }
    if (path === '/_sim/faults' && method === 'DELETE') {
      faults.clear();
      return ok();
    }
    if (path === '/_sim/config' && method === 'POST') {
      Object.assign(config, pick(input, ['syncDelayMs', 'rateLimit', 'rateWindowMs', 'refuseConcurrent', 'clockSkewMs']));
      if ('burstLimit' in input) burst.set(input.burstLimit ?? undefined);
      return ok({ ...config, token: undefined });
    }
    if (path === '/_sim/outage' && method === 'POST') {
      outageUntil = Date.now() + Number(input.ms ?? 0);
      return ok({ until: new Date(outageUntil).toISOString() });
    }
    if (path === '/_sim/migrations' && method === 'GET') return ok(store.all());
    if (path === '/_sim/clusters' && method === 'GET') return ok(store.listClusters());
    if (path === '/_sim/clusters' && method === 'POST') return ok(store.addCluster((input.engine ?? 'pg') as Engine));
    const cluster = /^\/_sim\/clusters\/([^/]+)$/.exec(path);
    if (cluster && method === 'DELETE' && store.removeCluster(cluster[1]!)) return ok();
    const match = /^\/_sim\/clusters\/([^/]+)\/migration$/.exec(path);
    if (match && store.cluster(match[1]!)) {
      const clusterId = match[1]!;
      if (method === 'POST') {
        const migration = store.start(clusterId, config.syncDelayMs, config.clockSkewMs);
        if (input.status) store.setStatus(migration, input.status as MigrationStatus);
        return ok(publicView(migration));
      }
      const latest = store.latest(clusterId);
      if (method === 'PATCH' && latest && MIGRATION_STATUSES.includes(input.status)) {
        store.setStatus(latest, input.status as MigrationStatus);
        return ok(publicView(latest));
      }
    }
    send(res, 404, { id: 'not_found', message: `no simulator admin route ${method} ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token: config.token,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function publicView(m: { id: string; status: MigrationStatus; created_at: string }) {
  return { id: m.id, status: m.status, created_at: m.created_at };
}

function describeFault(fault: Fault): string {
  const what = fault.kind === 'status' ? String(fault.status ?? 500) : fault.kind;
  return fault.after ? `${what} after applying` : what;
}

function pick(input: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]));
}

function fieldNames(body: string): string[] {
  try {
    const walk = (value: unknown, prefix: string): string[] =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => walk(v, `${prefix}${k}.`))
        : [prefix.slice(0, -1)];
    return walk(JSON.parse(body), '').sort();
  } catch {
    return [];
  }
}
