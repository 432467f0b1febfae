/**
 * A bound on the bytes held at once by requests in progress, shared by all of a server's streams.
 * A request reserves its size before it is read, and waits while that does not fit; small requests
 * that fit go ahead of a large one that waits, so that a large request never holds up Terraform's
 * usual parallel small calls.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; admit: () => void }> = [];

  constructor(readonly limit: number) {}

  /**
   * Calls `admit` once `bytes` fit (at once when they do now). The function returned gives them
   * back, or withdraws a reservation still waiting; calling it again does nothing.
   */
  reserve(bytes: number, admit: () => void): () => void {
    let state: 'waiting' | 'held' | 'done' = 'waiting';
    const entry = {
      bytes,
      admit: () => {
        state = 'held';
        admit();
      },
    };
    if (this.fits(bytes)) this.take(entry);
    else this.waiting.push(entry);
    return () => {
      if (state === 'held') {
        this.used -= bytes;
        this.admitWaiting();
      } else if (state === 'waiting') {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
      }
      state = 'done';
    };
  }

  private fits(bytes: number): boolean {
    return this.used + bytes <= this.limit;
  }

  private take(entry: { bytes: number; admit: () => void }): void {
    this.used += entry.bytes;
    entry.admit();
  }

  /** In order of arrival, every waiting reservation that fits now. */
  private admitWaiting(): void {
    for (let i = 0; i < this.waiting.length;) {
      const entry = this.waiting[i]!;
      if (this.fits(entry.bytes)) {
        this.waiting.splice(i, 1);
        this.take(entry);
      } else {
        i++;
      }
    }
  }
}
