import type { Migration } from '../../../generated/types';
import type { DoClient } from '../../api/client';
import type { WaitTarget } from '../../vocabulary/status';
import { waitForStatus } from '../../api/wait';
import type { Io } from '../command';
import { report } from './flags';

export interface Watch {
  cluster: string;
  migrationId: string;
  target: WaitTarget;
  timeoutMs: number;
  json: boolean;
}

/** Waits for the migration to reach the target, then reports it as `describe` says (or as JSON). */
export async function waitAndReport(
  client: DoClient,
  watch: Watch,
  io: Pick<Io, 'stdout' | 'stderr'>,
  describe: (reached: Migration) => string,
): Promise<number> {
  const reached = await watchWithProgress(client, watch, io);
  return report(io, watch.json, { cluster_id: watch.cluster, ...reached }, describe(reached));
}

/** Progress on stderr: one live line on a terminal, a plain line per change otherwise. */
async function watchWithProgress(client: DoClient, watch: Watch, io: Pick<Io, 'stderr'>) {
  const started = Date.now();
  const live = io.stderr.isTTY && !watch.json;
  try {
    return await waitForStatus(client, watch.cluster, watch.migrationId, watch.target, {
      timeoutMs: watch.timeoutMs,
      onStatus: (m) => {
        const line = `${((Date.now() - started) / 1000).toFixed(1)}s ${m.id} ${m.status}`;
        io.stderr.write(live ? `\r\x1b[K${line}` : `${line}\n`);
      },
    });
  } finally {
    if (live) io.stderr.write('\n');
  }
}
