/**
 * A burst limit the rate-limit headers do not show, as DigitalOcean's 250 requests a minute is
 * not: at most `perWindow` requests accepted in any sliding window (a minute unless tests shorten it).
 * Refused requests do not count.
 */
export class BurstLimit {
  private readonly accepted: number[] = [];

  constructor(
    private perWindow: number | undefined,
    private readonly windowMs = 60_000,
  ) {}

  /** Undefined turns the limit off. */
  set(perWindow: number | undefined): void {
    this.perWindow = perWindow;
  }

  /** True when a request arriving at `now` is within the limit (and counts it). */
  admit(now: number): boolean {
    if (this.perWindow === undefined) return true;
    while (this.accepted.length > 0 && this.accepted[0]! <= now - this.windowMs) this.accepted.shift();
    if (this.accepted.length >= this.perWindow) return false;
    this.accepted.push(now);
    return true;
  }
}
