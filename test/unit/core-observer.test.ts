import { AnyscaleConnectionError, AuthenticationError, RateLimitError } from "../../provider/core/errors";
import { PauseGate } from "../../provider/core/pause-gate";
import { SharedObserver, type BatchSource } from "../../provider/core/observer";
import { TokenBucket, type ObserverClock } from "../../provider/core/request-budget";
import { replay, statelessRules } from "../../provider/core/waiter";

/** A clock whose sleeps only advance virtual time (each sleep yields to the event loop first). */
function virtualClock(): ObserverClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      await new Promise((resolve) => setImmediate(resolve));
      now += ms;
    },
  };
}

function options(clock: ObserverClock) {
  return { intervalMs: 1000, maxRequestsPerSecond: 1, burst: 1, maxOutageIntervalMs: 5000, staleAfterMs: 60_000, unseenTimeoutMs: 600_000, clock };
}

/** A source that throws `failureOn(attempt)` while that gives an error, else answers every key with `value`. */
function recoveringSource<T>(failureOn: (attempt: number) => Error | undefined, value: T): BatchSource<T> & { attempts: number } {
  const source = {
    attempts: 0,
    async fetch(keys: readonly string[]) {
      source.attempts++;
      const failure = failureOn(source.attempts);
      if (failure) throw failure;
      return new Map(keys.map((key) => [key, value]));
    },
  };
  return source;
}

describe("SharedObserver", () => {
  test("one fetch per round serves every waiter, whatever their number", async () => {
    const clock = virtualClock();
    const observer = new SharedObserver(options(clock));
    const calls: string[][] = [];
    const source: BatchSource<string> = {
      async fetch(keys, budget) {
        await budget.take();
        calls.push([...keys]);
        return new Map(keys.map((key) => [key, `state-of-${key}`]));
      },
    };
    observer.addSource("things", source);
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const values = await Promise.all(keys.map((key) => observer.next<string>("things", key)));
    expect(values).toEqual(keys.map((key) => `state-of-${key}`));
    expect(calls).toHaveLength(1);
    expect(calls[0].sort()).toEqual([...keys].sort());
    expect(observer.stats.requests).toBe(1);
  });

  test("rounds keep their pace when waiters are answered and ask again in between", async () => {
    const clock = virtualClock();
    const observer = new SharedObserver(options(clock));
    const roundStarts: number[] = [];
    observer.addSource("things", {
      async fetch(keys) {
        roundStarts.push(clock.now());
        return new Map(keys.map((key) => [key, "x"]));
      },
    });
    for (let i = 0; i < 4; i++) await observer.next("things", "a");
    expect(roundStarts).toEqual([0, 1000, 2000, 3000]);
  });

  test("a round that overran its interval leaves the waiters it answered time to ask again before the next", async () => {
    const clock = virtualClock();
    const observer = new SharedObserver(options(clock));
    const roundStarts: number[] = [];
    observer.addSource("things", {
      async fetch(keys) {
        roundStarts.push(clock.now());
        await clock.sleep(1500); // a slow server: longer than the 1 s interval
        return new Map(keys.map((key) => [key, "x"]));
      },
    });
    for (let i = 0; i < 3; i++) await observer.next("things", "a");
    // Each next round starts the waiter's pause (250 ms) plus 50 ms after the last ended, not at once.
    expect(roundStarts).toEqual([0, 1800, 3600]);
  });

  test("a key the source does not return is reported as gone (undefined)", async () => {
    const observer = new SharedObserver(options(virtualClock()));
    observer.addSource("things", { fetch: async () => new Map([["a", 1]]) });
    await expect(Promise.all([observer.next("things", "a"), observer.next("things", "b")])).resolves.toEqual([1, undefined]);
  });

  test("transient failures keep waiters waiting and back the round off; the first success answers them", async () => {
    const clock = virtualClock();
    const observer = new SharedObserver(options(clock));
    const source = recoveringSource((attempt) => (attempt <= 3 ? new AnyscaleConnectionError("GET", "/things", "ECONNREFUSED") : undefined), "back");
    observer.addSource("things", source);
    await expect(observer.next("things", "a")).resolves.toBe("back");
    expect(source.attempts).toBe(4);
    // Backed off 2 s, 4 s, then capped at 5 s.
    expect(clock.slept).toEqual([2000, 4000, 5000]);
    expect(observer.stats.failedRounds).toBe(3);
    expect(observer.outage()).toBeUndefined();
  });

  test("a 429's Retry-After holds the next round for everyone", async () => {
    const clock = virtualClock();
    const observer = new SharedObserver(options(clock));
    const rateLimited = Object.assign(new RateLimitError({ api: "Anyscale", status: 429, detail: "slow down", method: "GET", path: "/things" }), { retryAfterMs: 30_000 });
    observer.addSource("things", recoveringSource((attempt) => (attempt === 1 ? rateLimited : undefined), "ok"));
    await expect(Promise.all([observer.next("things", "a"), observer.next("things", "b")])).resolves.toEqual(["ok", "ok"]);
    expect(clock.slept).toEqual([30_000]);
  });

  test("an error repeating cannot fix reaches every waiter of that round", async () => {
    const observer = new SharedObserver(options(virtualClock()));
    observer.addSource("things", {
      fetch: async () => {
        throw new AuthenticationError({ api: "Anyscale", status: 401, detail: "bad token", method: "GET", path: "/things" });
      },
    });
    const results = await Promise.allSettled([observer.next("things", "a"), observer.next("things", "b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  test("an observation always comes from a round that started after the request", async () => {
    const clock = virtualClock();
    const observer = new SharedObserver(options(clock));
    let round = 0;
    observer.addSource("things", {
      async fetch(keys) {
        round++;
        const value = round;
        await new Promise((resolve) => setImmediate(resolve));
        return new Map(keys.map((key) => [key, value]));
      },
    });
    const first = observer.next<number>("things", "a");
    await new Promise((resolve) => setImmediate(resolve)); // round 1 is in flight
    const second = observer.next<number>("things", "a");
    expect(await first).toBe(1);
    expect(await second).toBe(2);
  });

  test("observations feed an unchanged pure waiter rule set", async () => {
    const observer = new SharedObserver(options(virtualClock()));
    const states = ["STARTING", "STARTING", "RUNNING"];
    let round = 0;
    observer.addSource("things", { fetch: async (keys) => new Map(keys.map((key) => [key, states[Math.min(round++, states.length - 1)]])) });
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push((await observer.next<string>("things", "svc"))!);
    const rules = statelessRules((state: string) =>
      state === "RUNNING" ? { kind: "success" as const, result: state, summary: "up" } : { kind: "retry" as const, progress: state },
    );
    expect(replay(rules, seen)).toEqual({ decision: { kind: "success", result: "RUNNING", summary: "up" }, index: 2 });
  });
});

describe("TokenBucket", () => {
  test("bounds the rate: the n-th token beyond the burst waits (n / rate) seconds of virtual time", async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket(2, 2, clock);
    for (let i = 0; i < 6; i++) await bucket.take();
    // 2 from the burst, then 4 more at 2/s = 2 s of waiting.
    expect(clock.now()).toBe(2000);
  });
});

describe("PauseGate", () => {
  test("holds every waiter until the longest requested pause is over", async () => {
    const clock = virtualClock();
    const gate = new PauseGate(clock);
    gate.pause(3000);
    gate.pause(1000);
    await Promise.all([gate.wait(), gate.wait()]);
    expect(clock.now()).toBeGreaterThanOrEqual(3000);
    expect(gate.pausedUntil()).toBe(0);
  });
});
