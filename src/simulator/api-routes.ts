import type { MigrationStatus } from '../../generated/types';
import { MIGRATABLE_ENGINES, canMigrate } from '../vocabulary/engines';
import { isActive } from '../vocabulary/status';
import { isUuid } from '../vocabulary/formats';
import { type Reply, apiError, notFound } from './http';
import { parseStartRequest } from './start-request';
import type { SimulatorState } from './state';
import type { Cluster } from './store';

/** What a route sees: the cluster its path names (which exists), the rest of the path, the body. */
interface Request {
  state: SimulatorState;
  cluster: Cluster;
  migrationId?: string;
  body: string;
}

type Handler = (request: Request) => Reply;

/** The DigitalOcean API proper, by path and then method; the cluster is looked up before the method. */
const ROUTES: Array<{ path: RegExp; methods: Record<string, Handler> }> = [
  { path: /^\/v2\/databases\/([^/]+)$/, methods: { GET: getDatabase } },
  { path: /^\/v2\/databases\/([^/]+)\/online-migration$/, methods: { GET: getMigration, PUT: startMigration } },
  { path: /^\/v2\/databases\/([^/]+)\/online-migration\/([^/]+)$/, methods: { DELETE: stopMigration } },
];

export function routeApi(state: SimulatorState, method: string, path: string, body: string): Reply {
  for (const route of ROUTES) {
    const match = route.path.exec(path);
    if (!match) continue;
    const [, clusterId, migrationId] = match;
    const cluster = isUuid(clusterId!) ? state.store.cluster(clusterId!) : undefined;
    if (!cluster) return notFound();
    const handler = route.methods[method];
    if (!handler) return apiError(405, 'method_not_allowed', `${method} is not allowed on ${path}`);
    return handler({ state, cluster, migrationId, body });
  }
  return notFound();
}

/** A migration as the API shows it: the simulator's bookkeeping stays out. */
export function publicView(m: { id: string; status: MigrationStatus; created_at: string }) {
  return { id: m.id, status: m.status, created_at: m.created_at };
}

function getDatabase({ state, cluster }: Request): Reply {
  const latest = state.store.latest(cluster.id);
  const status = latest && isActive(latest.status) ? 'migrating' : 'online';
  return [200, { database: { id: cluster.id, name: cluster.name, engine: cluster.engine, status, region: 'nyc3' } }];
}

function getMigration({ state, cluster }: Request): Reply {
  const latest = state.store.latest(cluster.id);
  return latest && !latest.gone ? [200, publicView(latest)] : notFound();
}

function startMigration({ state, cluster, body }: Request): Reply {
  // Not documented: DigitalOcean documents which engines migrate, not how it refuses the others; a 422 is its answer to a request it will not carry out.
  if (!canMigrate(cluster.engine)) {
    const message = `online migration is not available for ${cluster.engine} clusters, only for ${MIGRATABLE_ENGINES} clusters`;
    return apiError(422, 'unprocessable_entity', message);
  }
  const request = parseStartRequest(body);
  if (Array.isArray(request)) return request;
  const { store, config } = state;
  const latest = store.latest(cluster.id);
  if (latest && isActive(latest.status) && config.refuseConcurrent) {
    return apiError(
      409,
      'conflict',
      `cluster ${cluster.id} already has a migration in progress (${latest.id}, ${latest.status})`,
    );
  }
  return [200, publicView(store.start(cluster.id, config.syncDelayMs, config.clockSkewMs))];
}

function stopMigration({ state, cluster, migrationId }: Request): Reply {
  const latest = state.store.latest(cluster.id);
  if (!latest || latest.id !== migrationId || !isActive(latest.status)) return notFound();
  // Stopping a migration that has caught up is the cutover: the target keeps everything and runs on its own.
  // What the API then shows is undocumented: `syncingStopsAs` picks done, canceled, or a 404 (`gone`).
  const end = state.config.syncingStopsAs;
  if (latest.status !== 'syncing') state.store.setStatus(latest, 'canceled');
  else state.store.setStatus(latest, end === 'gone' ? 'done' : end, end === 'gone');
  return [204];
}
