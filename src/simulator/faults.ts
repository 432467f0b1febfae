/** A fault the simulator injects into the next matching API request. */
export interface Fault {
  /** `truncate`: carry out the request, then answer 200 with half of the body. */
  kind: 'status' | 'reset' | 'slow' | 'truncate';
  /** For `status`: 429, 500, 503, ... */
  status?: number;
  /** For a 429: the `retry-after` header, seconds. */
  retryAfter?: number;
  /** For `slow`: how long to stall before answering normally, ms (with `after`, the request is carried out first). */
  delayMs?: number;
  /** Carry out the request, then fail the answer: the response is lost but the effect stays. */
  after?: boolean;
  match?: { method?: string; path?: string };
}

/** Random faults at fixed rates, from a seeded generator so a run can be repeated. */
export interface FaultMix {
  serverError: number;
  rateLimited: number;
  reset: number;
  seed: number;
}

export class FaultPlan {
  private queue: Fault[] = [];
  private mix?: FaultMix;
  private state = 0;

  add(faults: Fault[]): void {
    this.queue.push(...faults);
  }

  setMix(mix: FaultMix | undefined): void {
    this.mix = mix;
    this.state = mix?.seed ?? 0;
  }

  clear(): void {
    this.queue = [];
    this.mix = undefined;
  }

  pending(): number {
    return this.queue.length;
  }

  /** The fault for this request, if any: queued ones first, then the random mix. */
  next(method: string, path: string): Fault | undefined {
    const index = this.queue.findIndex(
      (f) => (!f.match?.method || f.match.method === method) && (!f.match?.path || path.includes(f.match.path)),
    );
    if (index >= 0) return this.queue.splice(index, 1)[0];
    if (!this.mix) return undefined;
    const roll = this.random();
    const { serverError, rateLimited, reset } = this.mix;
    if (roll < serverError)
      return { kind: 'status', status: this.random() < 0.5 ? 500 : 503, after: this.random() < 0.5 };
    if (roll < serverError + rateLimited) return { kind: 'status', status: 429, retryAfter: 0 };
    if (roll < serverError + rateLimited + reset) return { kind: 'reset', after: this.random() < 0.5 };
    return undefined;
  }

  /** mulberry32 */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
