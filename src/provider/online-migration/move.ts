import { isMigrationStatus } from '../../vocabulary/status';
import type { Diagnostic } from '../../tfplugin/framework/diagnostics';
import type { MoveRequest } from '../../tfplugin/framework/provider';
import { moveWithoutCluster, unsupportedMove } from './messages';
import { DEFAULT_WAIT, type MigrationPrivate, type MigrationState, adopted } from './state';

const OFFICIAL_PROVIDER = 'registry.terraform.io/digitalocean/digitalocean';
const OFFICIAL_TYPE = 'digitalocean_database_online_migration';

/**
 * `moved {}` from the official provider's resource: same names, so a running migration changes
 * hands without an API call. Its state holds the source (password in clear) as it was configured,
 * not as the API shows it (it cannot): the move keeps none of it, and the next plan adopts the
 * configuration's in place.
 */
export function moveFromOfficialProvider(request: MoveRequest): {
  state: MigrationState | null;
  diagnostics: Diagnostic[];
  private?: MigrationPrivate;
} {
  if (request.sourceProviderAddress !== OFFICIAL_PROVIDER || request.sourceTypeName !== OFFICIAL_TYPE) {
    const from = `${request.sourceProviderAddress}'s ${request.sourceTypeName}`;
    return { state: null, diagnostics: [unsupportedMove(from, `${OFFICIAL_PROVIDER}'s ${OFFICIAL_TYPE}`)] };
  }
  const old: Record<string, unknown> =
    typeof request.sourceState === 'object' && request.sourceState !== null ? { ...request.sourceState } : {};
  if (typeof old.cluster_id !== 'string' || typeof old.id !== 'string') {
    return { state: null, diagnostics: [moveWithoutCluster(OFFICIAL_TYPE)] };
  }
  const status = isMigrationStatus(old.status) ? old.status : null;
  const createdAt = typeof old.created_at === 'string' ? old.created_at : null;
  return {
    state: adopted(old.cluster_id, { id: old.id, status, created_at: createdAt }, DEFAULT_WAIT),
    diagnostics: [],
    private: { adopt: true },
  };
}
