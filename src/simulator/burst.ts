/**
 * A burst limit the rate-limit headers do not show, as DigitalOcean's 250 requests a minute is
 * not: at most `perMinute` requests accepted in any sliding minute. Refused requests do not count.
 */
export class BurstLimit {
  private readonly accepted: number[] = [];

  constructor(private perMinute: number | undefined, private readonly windowMs = 60_000) {}

  /** Undefined turns the limit off. */
  set(perMinute: number | undefined): void {
    this.perMinute = perMinute;
  }

  /** True when a request arriving at `now` is within the limit (and counts it). */
  admit(now: number): boolean {
    if (this.perMinute === undefined) return true;
    while (this.accepted.length > 0 && this.accepted[0]! <= now - this.windowMs) this.accepted.shift();
    if (this.accepted.length >= this.perMinute) return false;
    this.accepted.push(now);
    return true;
  }
}
