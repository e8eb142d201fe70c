// One pause for everything that talks to the same server: a Retry-After answer is the server asking
// the client (not one request) to hold off, so every request of the process waits it out together
// instead of each retrying on its own schedule and prolonging the storm.

export interface GateClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realGateClock: GateClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export class PauseGate {
  private until = 0;
  /** How many pauses were requested (a later one may extend an earlier one). */
  pauses = 0;

  constructor(private readonly clock: GateClock = realGateClock) {}

  /** Holds every caller of `wait()` for at least `ms` from now. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.pauses++;
    this.until = Math.max(this.until, this.clock.now() + ms);
  }

  /** Epoch ms until which requests are held, or 0 when open. */
  pausedUntil(): number {
    return this.until > this.clock.now() ? this.until : 0;
  }

  /** Resolves once no pause is in force (a pause requested meanwhile is waited out too). */
  async wait(): Promise<void> {
    for (;;) {
      const remaining = this.until - this.clock.now();
      if (remaining <= 0) return;
      await this.clock.sleep(remaining);
    }
  }
}
