import type { BurstLimit } from './burst';
import type { SimulatorConfig } from './config';
import type { Headers } from './http';

/** Which limit refused a request: the request log's `fault`. */
export type Refusal = 'burst-limit' | 'rate-limit';

export interface Admission {
  /** The rate-limit headers every answer carries. */
  headers: Headers;
  refusedBy?: Refusal;
}

interface Window {
  start: number;
  used: number;
}

/**
 * DigitalOcean's limits: a per-token budget per window, shown in `ratelimit-*` headers, and a burst
 * limit the headers do not show. A request the burst limit refuses does not use the budget.
 */
export class Limits {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly config: Pick<SimulatorConfig, 'rateLimit' | 'rateWindowMs'>,
    readonly burst: BurstLimit,
  ) {}

  admit(token: string, now: number): Admission {
    if (!this.burst.admit(now)) return { headers: this.budget(token, now, false).headers, refusedBy: 'burst-limit' };
    const { headers, exceeded } = this.budget(token, now, true);
    return exceeded ? { headers, refusedBy: 'rate-limit' } : { headers };
  }

  private budget(token: string, now: number, count: boolean): { headers: Headers; exceeded: boolean } {
    const { rateLimit, rateWindowMs } = this.config;
    const window = this.window(token, now);
    const exceeded = window.used >= rateLimit;
    if (count && !exceeded) window.used++;
    const reset = Math.ceil((window.start + rateWindowMs) / 1000);
    const headers: Headers = {
      'ratelimit-limit': String(rateLimit),
      'ratelimit-remaining': String(Math.max(0, rateLimit - window.used)),
      'ratelimit-reset': String(reset),
    };
    if (exceeded) headers['retry-after'] = String(Math.max(1, reset - Math.floor(now / 1000)));
    return { headers, exceeded };
  }

  /** A window opens with the token's first request, so a test knows how far away its reset is. */
  private window(token: string, now: number): Window {
    const current = this.windows.get(token);
    if (current && now < current.start + this.config.rateWindowMs) return current;
    const opened = { start: now, used: 0 };
    this.windows.set(token, opened);
    return opened;
  }
}
