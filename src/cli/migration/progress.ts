import type { Migration } from '../../../generated/types';
import type { DoClient, LogFn } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { WaitTarget } from '../../vocabulary/status';
import { waitForStatus } from '../../api/wait';
import type { Io } from '../command';
import { report } from './flags';

export interface Watch {
  cluster: string;
  migrationId: string;
  /** Its status when the wait begins, as last seen. */
  status: string;
  target: WaitTarget;
  timeoutMs: number;
  json: boolean;
}

/** Off a terminal, a line at least this often while nothing changes, ms; `DODB_HEARTBEAT_MS` sets it (tests do). */
const HEARTBEAT_MS = 30_000;
/** On a terminal, the elapsed time ticks this often, ms. */
const TICK_MS = 1000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * Signs of life on stderr during a wait: on a terminal one live line with a ticking elapsed time;
 * otherwise a line per status change and a heartbeat line. Both say when the client is waiting
 * out a rate limit or an outage. `apiLog` is the client's log: create the client with it.
 */
export class Progress {
  private readonly started = Date.now();
  private readonly live: boolean;
  private readonly heartbeatMs: number;
  private current = '';

  constructor(private readonly io: Pick<Io, 'stderr' | 'env'>) {
    this.live = io.stderr.isTTY === true;
    const fromEnv = Number(io.env.DODB_HEARTBEAT_MS);
    this.heartbeatMs = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : HEARTBEAT_MS;
  }

  /** The client's retries and pacing waits that a person would notice (it logs those at info level). */
  readonly apiLog: LogFn = (level, message, fields) => {
    if (level !== 'info' || !message.startsWith('waiting')) return;
    const limited = fields?.status === 429 || /429|rate limit/i.test(message);
    this.note(`${limited ? 'waiting out a rate limit' : 'waiting out an API outage'}: ${message}`);
  };

  private elapsed(): string {
    return seconds(Date.now() - this.started);
  }

  private note(text: string): void {
    this.io.stderr.write(
      this.live ? `\r\x1b[K${this.elapsed()} ${text}\n${this.current}` : `${this.elapsed()} ${text}\n`,
    );
  }

  /** Waits for the migration to reach the target, then reports it as `describe` says (or as JSON). */
  async waitAndReport(
    client: DoClient,
    watch: Watch,
    io: Pick<Io, 'stdout'>,
    describe: (reached: Migration) => string,
  ): Promise<number> {
    const reached = await this.follow(client, watch);
    return report(io, watch.json, { cluster_id: watch.cluster, ...reached }, describe(reached));
  }

  private async follow(client: DoClient, watch: Watch): Promise<Migration> {
    let { status } = watch;
    const line = () => `${this.elapsed()} ${watch.migrationId} ${status}`;
    const draw = () => {
      this.current = `${line()}: waiting for ${watch.target}`;
      this.io.stderr.write(`\r\x1b[K${this.current}`);
    };
    let lastLine = Date.now();
    const timer = this.live
      ? setInterval(draw, TICK_MS)
      : setInterval(
          () => {
            if (Date.now() - lastLine < this.heartbeatMs) return;
            lastLine = Date.now();
            this.io.stderr.write(`${line()}: still waiting for ${watch.target}\n`);
          },
          Math.min(this.heartbeatMs, TICK_MS),
        );
    try {
      return await waitForStatus(client, watch.cluster, watch.migrationId, watch.target, {
        timeoutMs: watch.timeoutMs,
        onStatus: (m: Migration) => {
          status = m.status;
          lastLine = Date.now();
          if (this.live) draw();
          else this.io.stderr.write(`${line()}\n`);
        },
        onUnreachable: (e: ApiError) => this.note(`API unreachable (${e.code}): still waiting`),
      });
    } finally {
      clearInterval(timer);
      if (this.live) this.io.stderr.write('\n');
    }
  }
}
