// The job engine's timers (cluster startup, run restarts, idle queues), keyed so re-arming replaces.
// After stop() nothing fires and nothing new is armed, so a stopped plane leaves its records as they were.
export class EngineTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly log: (line: string) => void) {}

  get stopping(): boolean {
    return this.stopped;
  }

  has(key: string): boolean {
    return this.timers.has(key);
  }

  set(key: string, ms: number, fn: () => void): void {
    if (this.stopped) return;
    this.clear(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (this.stopped) return;
      try {
        fn();
      } catch (err) {
        this.log(`job engine timer ${key} failed: ${(err as Error).stack ?? String(err)}`);
      }
    }, ms);
    this.timers.set(key, timer);
  }

  clear(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
