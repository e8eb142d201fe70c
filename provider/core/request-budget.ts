// The process-wide request budget the shared observer hands its sources: one token bucket over every
// request, with a clock that tests replace. Knows no API.

/** Every request a source sends takes one token first, so the process-wide rate holds whatever the sources do. */
export interface RequestBudget {
  take(): Promise<void>;
}

export interface ObserverClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: ObserverClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export class TokenBucket implements RequestBudget {
  private tokens: number;
  private refilledAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private perSecond: number,
    private burst: number,
    private readonly clock: ObserverClock = realClock,
  ) {
    this.tokens = burst;
    this.refilledAt = clock.now();
  }

  /** A new rate and burst from now on (tokens already saved beyond the new burst are dropped). */
  setRate(perSecond: number, burst: number): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  get ratePerSecond(): number {
    return this.perSecond;
  }

  /** Takes a token if one is there now, without waiting (for reads that can be skipped, such as views). */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Resolves when a token is taken; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeNow());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
  }

  private async takeNow(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    }
  }
}

/**
 * The budget for a round that needs `demand` requests: its requests refilled in half an interval,
 * between the base and the ceiling, so 400 waiting objects (8+ list pages) are not held to the base
 * rate while the process rate stays bounded whatever waits. Half, not a whole: refilled at exactly
 * `demand` per interval, the bucket runs dry (rounds come early by the jitter, a round may need a page
 * more) and each round's pages go out one token apart (4 pages over 0.8 s at 200 waiting services,
 * the last page's keys seen that much later). The burst grows with the demand, up to the ceiling too.
 */
export function scaledBudget(demand: number, intervalMs: number, base: { perSecond: number; burst: number }, ceiling: number): { perSecond: number; burst: number } {
  const bound = Math.max(base.perSecond, ceiling);
  return {
    perSecond: Math.min(bound, Math.max(base.perSecond, (2 * demand * 1000) / intervalMs)),
    burst: Math.min(Math.ceil(bound), Math.max(base.burst, Math.ceil(demand))),
  };
}
