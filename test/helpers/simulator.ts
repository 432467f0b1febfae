import type { ExecutionContext } from 'ava';
import { DoClient, type ClientOptions } from '../../src/api/client';
import { RateLimiter } from '../../src/api/limiter';
import type { Fault, FaultMix } from '../../src/simulator/faults';
import { type RequestRecord, type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/server';

export const CLUSTER = '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30';
export const SOURCE = {
  host: 'db.example.com',
  port: 5432,
  dbname: 'app',
  username: 'replicator',
  password: 'pw-Secret-42',
};

/** A simulator on a free port, closed when the test ends. */
export async function simulator(t: ExecutionContext, options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ syncDelayMs: 60_000, ...options });
  t.teardown(() => sim.close());
  return sim;
}

/** A client with short waits and its own limiter, so tests do not share pacing state. */
export function clientFor(api: { url: string; token: string }, options: Partial<ClientOptions> = {}): DoClient {
  return new DoClient({
    token: api.token,
    endpoint: api.url,
    userAgent: 'dodb-test',
    limiter: new RateLimiter(),
    ...options,
    retry: { waitMinMs: 5, waitMaxMs: 40, floorMs: 5, ...options.retry },
  });
}

export async function admin<T = unknown>(sim: Simulator, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${sim.url}/_sim/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

export const injectFaults = (sim: Simulator, faults: Fault[]) => admin(sim, 'POST', 'faults', { faults });
export const injectMix = (sim: Simulator, mix: FaultMix) => admin(sim, 'POST', 'faults', { mix });
export const requests = (sim: Simulator) => admin<RequestRecord[]>(sim, 'GET', 'requests');

/** How many requests started or stopped a migration: what a data-safety test counts. */
export async function writes(sim: Simulator): Promise<{ PUT: number; DELETE: number }> {
  const log = await requests(sim);
  return { PUT: log.filter((r) => r.method === 'PUT').length, DELETE: log.filter((r) => r.method === 'DELETE').length };
}

export const migrations = (sim: Simulator) =>
  admin<Array<{ id: string; status: string; created_at: string }>>(sim, 'GET', 'migrations');
