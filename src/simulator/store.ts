import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ClusterEngine, Migration, MigrationStatus } from '../../generated/types';

export interface Cluster {
  id: string;
  name: string;
  engine: ClusterEngine;
}

export interface StoredMigration extends Migration {
  /** The simulator stamps every migration it starts. */
  created_at: string;
  cluster_id: string;
  /** When `running` turns into `syncing` by itself (ms since epoch); null once the timeline is overridden. */
  syncing_at: number | null;
  /** Stopped, and no longer shown by the API (its GET answers 404): one way a cutover may look. */
  gone?: true;
}

interface Snapshot {
  clusters: Cluster[];
  migrations: StoredMigration[];
}

/** The seeded clusters: fixed IDs, so examples and scripts can name them. */
export const SEED_CLUSTERS: readonly Cluster[] = [
  { id: '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30', name: 'pg-target', engine: 'pg' },
  { id: '2a6a8c1e-3f1b-4c49-9f0e-5d7c2b8e4a11', name: 'mysql-target', engine: 'mysql' },
  { id: '5e0f3b7d-8a2c-4d61-b3e9-7c1a9f4d2e60', name: 'redis-target', engine: 'redis' },
  { id: 'c4d8e2f6-1b3a-4e5c-9d7f-0a2b4c6d8e10', name: 'valkey-target', engine: 'valkey' },
];

/** Clusters and their migrations, written atomically to a state file when one is given. */
export class Store {
  private clusters = new Map<string, Cluster>();
  private migrations: StoredMigration[] = [];

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
      for (const cluster of snapshot.clusters) this.clusters.set(cluster.id, cluster);
      this.migrations = snapshot.migrations;
    } else {
      this.reset();
    }
  }

  /** Back to the seeded clusters with no migrations, as a simulator with no state file starts. */
  reset(): void {
    // Copies: a cluster changes in place (setEngine), and every simulator in a process starts from the same seed.
    this.clusters = new Map(SEED_CLUSTERS.map((cluster) => [cluster.id, { ...cluster }]));
    this.migrations = [];
    this.save();
  }

  cluster(id: string): Cluster | undefined {
    return this.clusters.get(id);
  }

  listClusters(): Cluster[] {
    return [...this.clusters.values()];
  }

  addCluster(engine: ClusterEngine = 'pg', id: string = randomUUID()): Cluster {
    const cluster = { id, name: `${engine}-${id.slice(0, 8)}`, engine };
    this.clusters.set(id, cluster);
    this.save();
    return cluster;
  }

  /** The cluster with another engine (its name and migrations stay), or undefined when there is no such cluster. */
  setEngine(id: string, engine: ClusterEngine): Cluster | undefined {
    const cluster = this.clusters.get(id);
    if (!cluster) return undefined;
    cluster.engine = engine;
    this.save();
    return cluster;
  }

  /** The cluster's most recent migration, with its timeline applied. */
  latest(clusterId: string, now = Date.now()): StoredMigration | undefined {
    const migration = this.migrations.filter((m) => m.cluster_id === clusterId).at(-1);
    if (migration && migration.status === 'running' && migration.syncing_at !== null && now >= migration.syncing_at) {
      migration.status = 'syncing';
      migration.syncing_at = null;
      this.save();
    }
    return migration;
  }

  removeCluster(id: string): boolean {
    const removed = this.clusters.delete(id);
    this.save();
    return removed;
  }

  /** `clockSkewMs`: how far the server's clock, which stamps created_at, is ahead of this one. */
  start(clusterId: string, syncDelayMs: number, clockSkewMs = 0, now = Date.now()): StoredMigration {
    const migration: StoredMigration = {
      id: randomUUID(),
      status: 'running',
      created_at: new Date(now + clockSkewMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      cluster_id: clusterId,
      syncing_at: now + syncDelayMs,
    };
    this.migrations.push(migration);
    this.save();
    return migration;
  }

  setStatus(migration: StoredMigration, status: MigrationStatus, gone = false): void {
    migration.status = status;
    migration.syncing_at = null;
    if (gone) migration.gone = true;
    this.save();
  }

  all(): StoredMigration[] {
    return this.migrations.map((m) => ({ ...m }));
  }

  private save(): void {
    if (!this.file) return;
    const snapshot: Snapshot = { clusters: this.listClusters(), migrations: this.migrations };
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(snapshot, null, 2));
    renameSync(temp, this.file);
  }
}
