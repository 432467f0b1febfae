import type { ClusterEngine } from '../../generated/types';
import { closedSet } from './closed-set';

/**
 * Each engine the API documents, and the name its online migration documentation
 * (databases_update_onlineMigration.yml) gives the ones it supports: MySQL, PostgreSQL, Caching and
 * Valkey; null for the rest. Keyed by the generated type, so that an engine added to the schema does
 * not compile here until it is placed.
 */
const MIGRATION_SUPPORT: Record<ClusterEngine, string | null> = {
  mysql: 'MySQL',
  pg: 'PostgreSQL',
  redis: 'Caching',
  valkey: 'Valkey',
  mongodb: null,
  kafka: null,
  opensearch: null,
  advanced_pg: null,
  advanced_mysql: null,
};

export const { values: CLUSTER_ENGINES, has: isClusterEngine } = closedSet(MIGRATION_SUPPORT);

/** Whether a cluster of this engine can be the target of an online migration; an engine the API adds later cannot. */
export const canMigrate = (engine: string): boolean => isClusterEngine(engine) && MIGRATION_SUPPORT[engine] !== null;

/** "MySQL (`mysql`), PostgreSQL (`pg`), Caching (`redis`) and Valkey (`valkey`)", for messages. */
export const MIGRATABLE_ENGINES = CLUSTER_ENGINES.filter(canMigrate)
  .map((engine) => `${MIGRATION_SUPPORT[engine]} (\`${engine}\`)`)
  .join(', ')
  .replace(/, ([^,]*)$/, ' and $1');
