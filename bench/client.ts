import { DoClient } from '../src/api/client';
import { ApiError } from '../src/api/errors';
import { RateLimiter } from '../src/api/limiter';
import { startSimulator } from '../src/simulator/server';
import { type Row, goal } from './table';

const CLUSTER = '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30';

/** 100 start/status/stop cycles, without faults and under a fault mix, against the simulator. */
export async function benchClient(): Promise<Row[]> {
  const cycles = 100;
  const run = async (mix?: { serverError: number; rateLimited: number; reset: number; seed: number }) => {
    const sim = await startSimulator({ syncDelayMs: 0, rateLimit: 1_000_000 });
    try {
      if (mix) await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ mix }) });
      const client = new DoClient({
        token: sim.token,
        endpoint: sim.url,
        userAgent: 'dodb-bench',
        retry: { limit: 8, waitMinMs: 1, waitMaxMs: 5 },
        limiter: new RateLimiter(),
      });
      let failures = 0;
      let unknown = 0;
      // A duplicate is a second migration made by one cycle (a start sent again after it took effect).
      let duplicates = 0;
      for (let i = 0; i < cycles; i++) {
        const before = sim.store.all().length;
        try {
          // Each stop of a syncing migration is a cutover; a stop whose answer was lost cannot be told from someone else's.
          const { migration } = await client.startMigration(
            CLUSTER,
            { source: { host: 'db.example.com', port: 5432 } },
            { afterCutover: true },
          );
          await client.getMigration(CLUSTER);
          await client.stopMigration(CLUSTER, migration.id);
        } catch (error) {
          // A start whose outcome is unknown is reported, never sent again: by design, not a failure.
          if (error instanceof ApiError && error.code === 'start_unknown') unknown++;
          else failures++;
        }
        duplicates += Math.max(0, sim.store.all().length - before - 1);
      }
      const requests = ((await (await fetch(`${sim.url}/_sim/requests`)).json()) as unknown[]).length;
      return { failures, unknown, duplicates, perCycle: requests / cycles };
    } finally {
      await sim.close();
    }
  };
  const clean = await run();
  const faulty = await run({ serverError: 0.2, rateLimited: 0.1, reset: 0.05, seed: 7 });
  return [
    {
      what: `client: ${cycles} start/status/stop cycles, 20% 5xx, 10% 429, 5% resets`,
      figure: `${faulty.perCycle.toFixed(2)} requests/cycle, ${faulty.failures} failures, ${faulty.duplicates} duplicates, ${faulty.unknown} starts of unknown outcome`,
      baseline: `no faults ${clean.perCycle.toFixed(2)} requests/cycle`,
      ratio: `${(faulty.perCycle / clean.perCycle).toFixed(2)}x`,
      goal: goal('0 failures, 0 duplicates', faulty.failures === 0 && faulty.duplicates === 0),
      command: 'make bench',
    },
  ];
}
