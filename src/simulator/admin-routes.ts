import type { MigrationStatus } from '../../generated/types';
import { MIGRATION_STATUSES } from '../vocabulary/status';
import { publicView } from './api-routes';
import { tunables, tunablesRefusal } from './config';
import type { Fault, FaultMix } from './faults';
import type { SimulatorState } from './state';
import { CLUSTER_ENGINES, isClusterEngine } from '../vocabulary/engines';

/** A JSON body sent to the admin API. */
type Input = Record<string, unknown>;

/** The answer's body, or undefined for a 404 (a cluster or migration that is not there). */
type AdminHandler = (state: SimulatorState, input: Input, params: string[]) => unknown;

const OK = { ok: true };

/** The test-only API under `/_sim/`: no token, no limits, never logged (each one documented in docs/guides/testing-with-the-simulator.md). */
export const ADMIN_ROUTES: Array<[method: string, path: RegExp, handler: AdminHandler]> = [
  ['GET', /^\/_sim\/requests$/, (state) => state.log.all()],
  ['DELETE', /^\/_sim\/requests$/, (state) => (state.log.clear(), OK)],
  ['POST', /^\/_sim\/faults$/, addFaults],
  ['DELETE', /^\/_sim\/faults$/, (state) => (state.faults.clear(), OK)],
  ['POST', /^\/_sim\/config$/, configure],
  ['POST', /^\/_sim\/outage$/, startOutage],
  ['POST', /^\/_sim\/reset$/, reset],
  ['GET', /^\/_sim\/migrations$/, (state) => state.store.all()],
  ['GET', /^\/_sim\/clusters$/, (state) => state.store.listClusters()],
  ['POST', /^\/_sim\/clusters$/, (state, input) => state.store.addCluster(engineOf(input, 'pg'))],
  ['PATCH', /^\/_sim\/clusters\/([^/]+)$/, (state, input, [id]) => state.store.setEngine(id!, engineOf(input))],
  ['DELETE', /^\/_sim\/clusters\/([^/]+)$/, (state, _, [id]) => (state.store.removeCluster(id!) ? OK : undefined)],
  ['POST', /^\/_sim\/clusters\/([^/]+)\/migration$/, startOutOfBand],
  ['PATCH', /^\/_sim\/clusters\/([^/]+)\/migration$/, forceStatus],
];

/** An admin request the simulator cannot carry out as asked: answered 400 with the reason. */
class BadAdminInput extends Error {}

/** [status, body] for an admin request. */
export function routeAdmin(state: SimulatorState, method: string, path: string, body: string): [number, unknown] {
  const input = (body ? JSON.parse(body) : {}) as Input;
  for (const [routeMethod, pattern, handler] of ADMIN_ROUTES) {
    const match = routeMethod === method ? pattern.exec(path) : null;
    try {
      const answer = match ? handler(state, input, match.slice(1)) : undefined;
      if (answer !== undefined) return [200, answer];
    } catch (thrown) {
      if (thrown instanceof BadAdminInput) return [400, { id: 'bad_request', message: thrown.message }];
      throw thrown;
    }
  }
  return [404, { id: 'not_found', message: `no simulator admin route ${method} ${path}` }];
}

/** The `engine` of an admin request: one the API documents, any of them, so that a plan can meet a cluster that cannot migrate. */
function engineOf(input: Input, fallback?: 'pg') {
  const engine = input.engine ?? fallback;
  if (isClusterEngine(engine)) return engine;
  throw new BadAdminInput(`engine must be one of ${CLUSTER_ENGINES.join(', ')}; got ${JSON.stringify(engine)}`);
}

function addFaults(state: SimulatorState, input: Input) {
  state.faults.add((input.faults ?? []) as Fault[]);
  if (input.mix) state.faults.setMix(input.mix as FaultMix);
  return { pending: state.faults.pending() };
}

/** Settings change while the simulator runs; `burstLimit: null` turns the burst limit off. */
function configure(state: SimulatorState, input: Input) {
  const refusal = tunablesRefusal(input);
  if (refusal) throw new BadAdminInput(refusal);
  const burst = input.burstLimit;
  if (burst !== undefined && burst !== null && !(Number.isSafeInteger(burst) && (burst as number) > 0)) {
    throw new BadAdminInput(
      `burstLimit must be a whole number of requests, 1 or more, or null; got ${JSON.stringify(burst)}`,
    );
  }
  Object.assign(state.config, tunables(input));
  if ('burstLimit' in input) state.limits.burst.set((input.burstLimit as number | null) ?? undefined);
  return { ...state.config, token: undefined };
}

/**
 * The simulator as it started: the seeded clusters and no migrations (a test loop's next run is not
 * refused as a start after a cutover), no request log, faults or outage. Settings stay as they are.
 */
function reset(state: SimulatorState) {
  state.store.reset();
  state.log.clear();
  state.faults.clear();
  state.outageUntil = 0;
  return { clusters: state.store.listClusters() };
}

/** Every API request is dropped for `ms` from now (0 ends an outage). */
function startOutage(state: SimulatorState, input: Input) {
  state.outageUntil = Date.now() + Number(input.ms ?? 0);
  return { until: new Date(state.outageUntil).toISOString() };
}

/** A migration started behind the client's back, optionally already in `status`. */
function startOutOfBand(state: SimulatorState, input: Input, [clusterId]: string[]) {
  const { store, config } = state;
  if (!store.cluster(clusterId!)) return undefined;
  const migration = store.start(clusterId!, config.syncDelayMs, config.clockSkewMs);
  if (input.status) store.setStatus(migration, input.status as MigrationStatus);
  return publicView(migration);
}

/** The cluster's latest migration forced into `status`, whatever its timeline says. */
function forceStatus(state: SimulatorState, input: Input, [clusterId]: string[]) {
  const latest = state.store.cluster(clusterId!) ? state.store.latest(clusterId!) : undefined;
  if (!latest || !MIGRATION_STATUSES.includes(input.status as MigrationStatus)) return undefined;
  state.store.setStatus(latest, input.status as MigrationStatus);
  return publicView(latest);
}
