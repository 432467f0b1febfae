import type { ExecutionContext } from 'ava';
import { DoClient, type ClientOptions } from '../../src/api/client';
import type { RetryPolicy } from '../../src/api/retry';
import { CLIENT_DEFAULTS } from '../../src/provider/config';
import { RateLimiter } from '../../src/api/limiter';
import type { Fault, FaultMix } from '../../src/simulator/faults';
import { type RequestRecord, type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/server';

/** A simulator on a free port, closed when the test ends. */
export async function simulator(t: ExecutionContext, options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ syncDelayMs: 60_000, ...options });
  t.teardown(() => sim.close());
  return sim;
}

/** What a test changes of a client's options; `retry` is merged over the provider's defaults. */
export type ClientOverrides = Partial<Omit<ClientOptions, 'retry'>> & { retry?: Partial<RetryPolicy> };

/** A client with short waits and its own limiter, so tests do not share pacing state. */
export function clientFor(api: { url: string; token: string }, options: ClientOverrides = {}): DoClient {
  return new DoClient({
    token: api.token,
    endpoint: api.url,
    userAgent: 'dodb-test',
    limiter: new RateLimiter(),
    ...options,
    retry: { ...CLIENT_DEFAULTS.retry, waitMinMs: 5, waitMaxMs: 40, floorMs: 5, ...options.retry },
  });
}

/** A simulator's address: one started in this process, or a `dodb simulator` child's. */
type Reachable = Pick<Simulator, 'url'>;

/**
 * A request on a connection of its own. A connection kept alive from an earlier request may be closed
 * by the server (its idle timeout, or a server of an earlier test on the same port) just as it is
 * reused, which a busy machine makes likely: the request then fails before any simulator sees it.
 */
const freshFetch = (url: string, init: RequestInit) =>
  fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), connection: 'close' } });

/** A request to the simulator's API as a client sends it: bearer token (the simulator's, or `token`), JSON body. */
export function api(
  sim: Pick<Simulator, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
  token = sim.token,
): Promise<Response> {
  return freshFetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A call to the simulator's admin API (`/_sim/PATH`): its JSON answer. */
export async function admin<T = unknown>(sim: Reachable, method: string, path: string, body?: unknown): Promise<T> {
  const response = await freshFetch(`${sim.url}/_sim/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

export const injectFaults = (sim: Reachable, faults: Fault[]) => admin(sim, 'POST', 'faults', { faults });
export const injectMix = (sim: Reachable, mix: FaultMix) => admin(sim, 'POST', 'faults', { mix });
export const requests = (sim: Reachable) => admin<RequestRecord[]>(sim, 'GET', 'requests');

/** How many requests started or stopped a migration: what a data-safety test counts. */
export async function writes(sim: Reachable): Promise<{ PUT: number; DELETE: number }> {
  const log = await requests(sim);
  return { PUT: log.filter((r) => r.method === 'PUT').length, DELETE: log.filter((r) => r.method === 'DELETE').length };
}

export const migrations = (sim: Reachable) =>
  admin<Array<{ id: string; status: string; created_at: string }>>(sim, 'GET', 'migrations');
