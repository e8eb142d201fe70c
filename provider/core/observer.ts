// One observer per provider process: every wait asks it for "the next observation of key K in source S"
// instead of polling on its own. On a steady tick the observer gathers every key someone is waiting on
// and lets each source refresh them all at once (a source turns many keys into a few list requests), so
// the request rate depends on the tick and a process-wide request budget, never on how many resources
// wait. Outages and rate limits are met once, here: a failing refresh keeps everyone waiting and backs
// the tick off (at least the server's Retry-After); only an error that repeating cannot fix reaches the
// waiters. The observer knows no API: sources are supplied by the client layer.
import { realClock, scaledBudget, TokenBucket, type ObserverClock, type RequestBudget } from "./request-budget";
import { isTransientError } from "./transient";

export interface BatchSource<Value> {
  /**
   * The current value of each key, with as few requests as the API allows, calling `budget.take()` before
   * each request. A key absent from the result was not found (deleted).
   */
  fetch(keys: readonly string[], budget: RequestBudget): Promise<Map<string, Value>>;
  /** The requests a refresh of this many keys needs at least (list pages); the budget scales with it. */
  plannedRequests?(keyCount: number): number;
}

export interface ObserverOptions {
  /** Time between the starts of two refresh rounds while someone waits (on average, see jitter). */
  intervalMs: number;
  /**
   * 0..1: each interval is drawn from intervalMs × (1 ± jitter), so rounds never stay in step with a
   * platform that changes state on a fixed schedule (always just missing it would add a whole interval).
   */
  jitter?: number;
  random?: () => number;
  /** Token bucket over every request of every source: rate and burst while little waits. */
  maxRequestsPerSecond: number;
  burst?: number;
  /**
   * The bound: the budget grows with what waits (the requests a round needs, per interval) so a round
   * of many list pages still fits in an interval, up to this rate (and as burst), never beyond it.
   * Default 5 × maxRequestsPerSecond.
   */
  ceilingRequestsPerSecond?: number;
  /** Cap of the backed-off interval while refreshes keep failing (how late a recovery is noticed). */
  maxOutageIntervalMs: number;
  /**
   * A waiter that has seen no successful refresh for this long gets the last value known for its key, so a
   * wait keeps checking its own deadline (and reporting) through an outage instead of hanging on it.
   */
  staleAfterMs: number;
  /**
   * A waiter that never got a first observation (the API failing since it asked) gets the last error after
   * this long: with nothing known there is nothing to judge, and the wait must not outlive its deadline.
   */
  unseenTimeoutMs: number;
  clock?: ObserverClock;
}

/**
 * How long a waiter pauses between two observations (the wait schedule's pause, shorter than a round so
 * the observer sets the pace; still a pause, so a wait that polls on its own cannot spin).
 */
export function waiterPauseMs(options: Pick<ObserverOptions, "intervalMs">): number {
  return Math.min(250, Math.floor(options.intervalMs / 2));
}

/** Beyond a waiter's pause: time for it to judge the observation and ask again. */
const REJOIN_MARGIN_MS = 50;

export interface ObserverStats {
  rounds: number;
  failedRounds: number;
  requests: number;
  /** The budget's rate for the current round (requests/s). */
  budgetPerSecond: number;
  /** When the current run of failed refreshes began (undefined when the last refresh worked). */
  failingSince?: number;
  lastFailure?: string;
}

interface Pending<Value> {
  key: string;
  resolve(value: Value | undefined): void;
  reject(error: unknown): void;
  staleTimer?: ReturnType<typeof setTimeout>;
  settled: boolean;
}

interface SourceEntry<Value> {
  source: BatchSource<Value>;
  pending: Pending<Value>[];
  /** Last value seen per key, for stale answers during an outage. */
  last: Map<string, { value: Value | undefined }>;
}

export class SharedObserver {
  readonly stats: ObserverStats;
  private readonly sources = new Map<string, SourceEntry<unknown>>();
  private readonly clock: ObserverClock;
  private readonly budget: RequestBudget;
  private readonly bucket: TokenBucket;
  /** Requests each source's last refresh took, for the budget of the next round. */
  private readonly lastRequests = new Map<string, number>();
  private running = false;
  private consecutiveFailures = 0;
  private nextRoundAt = 0;
  private lastSuccessAt: number;
  private lastError: unknown;

  constructor(private readonly options: ObserverOptions) {
    this.clock = options.clock ?? realClock;
    this.bucket = new TokenBucket(options.maxRequestsPerSecond, this.baseBurst(), this.clock);
    this.stats = { rounds: 0, failedRounds: 0, requests: 0, budgetPerSecond: options.maxRequestsPerSecond };
    this.budget = { take: () => this.bucket.take().then(() => void this.stats.requests++) };
    this.lastSuccessAt = this.clock.now();
  }

  /** Registers a source under a name; registering the same name again keeps the first. */
  addSource<Value>(name: string, source: BatchSource<Value>): void {
    if (!this.sources.has(name)) this.sources.set(name, { source, pending: [], last: new Map() } as SourceEntry<unknown>);
  }

  hasSource(name: string): boolean {
    return this.sources.has(name);
  }

  /**
   * The value of `key` from the next refresh round that starts after this call (undefined: not found).
   * During an outage, after `staleAfterMs` without a successful round, the last known value instead.
   */
  next<Value>(sourceName: string, key: string): Promise<Value | undefined> {
    const entry = this.sources.get(sourceName) as SourceEntry<Value> | undefined;
    if (!entry) return Promise.reject(new Error(`observer: no source named '${sourceName}'`));
    return new Promise<Value | undefined>((resolve, reject) => {
      const pending: Pending<Value> = { key, resolve, reject, settled: false };
      const askedAt = this.clock.now();
      const armStale = () => {
        pending.staleTimer = setTimeout(() => {
          const known = entry.last.get(key);
          if (this.failing() && known) this.settle(entry, pending, (p) => p.resolve(known.value));
          else if (this.failing() && this.clock.now() - askedAt >= this.options.unseenTimeoutMs) {
            this.settle(entry, pending, (p) => p.reject(this.lastError ?? new Error(`no observation of ${key}`)));
          } else armStale();
        }, Math.min(this.options.staleAfterMs, this.options.unseenTimeoutMs));
      };
      armStale();
      entry.pending.push(pending);
      this.start();
    });
  }

  /** How many distinct keys someone is waiting on now, per source. */
  waitingKeys(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [name, entry] of this.sources) counts[name] = new Set(entry.pending.filter((p) => !p.settled).map((p) => p.key)).size;
    return counts;
  }

  /** Since when refreshes have been failing, and why; undefined while they work. */
  outage(): { sinceMs: number; reason: string } | undefined {
    if (this.stats.failingSince === undefined) return undefined;
    return { sinceMs: this.clock.now() - this.stats.failingSince, reason: this.stats.lastFailure ?? "unknown" };
  }

  private failing(): boolean {
    return this.clock.now() - this.lastSuccessAt >= this.options.staleAfterMs;
  }

  private waiting(): boolean {
    for (const entry of this.sources.values()) if (entry.pending.some((p) => !p.settled)) return true;
    return false;
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      // Lets every wait that asks in the same turn join the first round.
      await new Promise<void>((resolve) => setImmediate(resolve));
      for (;;) {
        // Rounds keep their pace even when every waiter was answered and asked again in between.
        const early = this.nextRoundAt - this.clock.now();
        if (early > 0) await this.clock.sleep(early);
        if (!this.waiting()) return;
        const startedAt = this.clock.now();
        const outcome = await this.round();
        if (outcome.ok) {
          this.consecutiveFailures = 0;
          const jitter = this.options.jitter ?? 0;
          const random = this.options.random ?? Math.random;
          // A round that overran its interval is not followed at once: the waiters it just answered
          // would miss the next one (each pauses first), which would then read only some of the keys.
          const rejoinAt = this.clock.now() + waiterPauseMs(this.options) + REJOIN_MARGIN_MS;
          this.nextRoundAt = Math.max(startedAt + Math.round(this.options.intervalMs * (1 + jitter * (2 * random() - 1))), rejoinAt);
        } else {
          this.consecutiveFailures++;
          const backedOff = Math.min(this.options.maxOutageIntervalMs, this.options.intervalMs * 2 ** this.consecutiveFailures);
          this.nextRoundAt = this.clock.now() + Math.max(backedOff, outcome.retryAfterMs ?? 0);
        }
      }
    } finally {
      this.running = false;
      // A waiter that arrived as the loop was leaving must not be stranded.
      if (this.waiting()) this.start();
    }
  }

  private baseBurst(): number {
    return this.options.burst ?? Math.max(1, Math.ceil(this.options.maxRequestsPerSecond));
  }

  /** The budget for a round that needs `demand` requests (request-budget.ts `scaledBudget`). */
  private scaleBudget(demand: number): void {
    const { maxRequestsPerSecond: base, ceilingRequestsPerSecond, intervalMs } = this.options;
    const { perSecond, burst } = scaledBudget(demand, intervalMs, { perSecond: base, burst: this.baseBurst() }, ceilingRequestsPerSecond ?? base * 5);
    if (perSecond !== this.bucket.ratePerSecond) this.bucket.setRate(perSecond, burst);
    this.stats.budgetPerSecond = perSecond;
  }

  /** One refresh of every source with waiters; reports whether all refreshed and any Retry-After seen. */
  private async round(): Promise<{ ok: boolean; retryAfterMs?: number }> {
    this.stats.rounds++;
    let ok = true;
    let retryAfterMs: number | undefined;
    const batches = [...this.sources.entries()]
      .map(([name, entry]) => ({ name, entry, batch: entry.pending.filter((p) => !p.settled) }))
      .filter(({ batch }) => batch.length > 0)
      .map((work) => ({ ...work, keys: [...new Set(work.batch.map((p) => p.key))] }));
    this.scaleBudget(batches.reduce((sum, { name, entry, keys }) => sum + Math.max(entry.source.plannedRequests?.(keys.length) ?? 1, this.lastRequests.get(name) ?? 0), 0));
    await Promise.all(
      batches.map(async ({ name, entry, batch, keys }) => {
        let requests = 0;
        const counted: RequestBudget = { take: () => this.budget.take().then(() => void requests++) };
        try {
          const values = await entry.source.fetch(keys, counted);
          this.lastRequests.set(name, requests);
          // Recorded before anyone is answered, so a waiter never sees a recovered outage as ongoing.
          this.lastSuccessAt = this.clock.now();
          this.stats.failingSince = undefined;
          for (const key of keys) entry.last.set(key, { value: values.get(key) });
          for (const pending of batch) this.settle(entry, pending, (p) => p.resolve(values.get(p.key)));
        } catch (error) {
          ok = false;
          this.lastError = error;
          this.stats.lastFailure = error instanceof Error ? error.message : String(error);
          if (isTransientError(error)) {
            const after = (error as { retryAfterMs?: number }).retryAfterMs;
            if (typeof after === "number") retryAfterMs = Math.max(retryAfterMs ?? 0, after);
            return;
          }
          for (const pending of batch) this.settle(entry, pending, (p) => p.reject(error));
        }
      }),
    );
    if (!ok) {
      this.stats.failedRounds++;
      this.stats.failingSince ??= this.clock.now();
    }
    return { ok, retryAfterMs };
  }

  private settle<Value>(entry: SourceEntry<Value>, pending: Pending<Value>, action: (p: Pending<Value>) => void): void {
    if (pending.settled) return;
    pending.settled = true;
    if (pending.staleTimer) clearTimeout(pending.staleTimer);
    entry.pending = entry.pending.filter((p) => p !== pending);
    if (!entry.pending.some((p) => p.key === pending.key)) {
      // Keep the last value only while someone may still ask for it; a finished wait leaves nothing behind.
      const key = pending.key;
      setTimeout(() => {
        if (!entry.pending.some((p) => p.key === key)) entry.last.delete(key);
      }, this.options.staleAfterMs * 4).unref?.();
    }
    action(pending);
  }
}
