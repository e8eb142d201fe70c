// Seeded jitter for the plane's service start and canary step times, and job cluster starts. A real
// platform's times vary, and a poller compared on exact times can look perfect by lining up with them
// (a fixed 10 s tick against a 60 s start); benchmarks that compare pollers turn this on. Seeded, so a
// run can be repeated. (Without it, 200 jobs submitted together also start in the same millisecond:
// 200 process spawns in one timer burst held the plane's event loop for over a second.)
import type { Timings } from "./services/record-ops";

export interface JitterOptions {
  /** Each start or step takes its base time ± up to this percentage, uniformly. */
  percent: number;
  seed?: number;
}

/** Timings whose every read is a new draw around the base (the base itself when jitter is off). */
export function jitteredTimings(base: Timings, jitter: JitterOptions | undefined): Timings {
  if (!jitter || jitter.percent <= 0) return base;
  const random = mulberry32(jitter.seed ?? 1);
  const draw = (ms: number): number => Math.max(1, Math.round(ms * (1 + (jitter.percent / 100) * (2 * random() - 1))));
  return {
    get startupMs() {
      return draw(base.startupMs);
    },
    get rolloutStepMs() {
      return draw(base.rolloutStepMs);
    },
  };
}

/** A job cluster's start time, a new draw around the base at every read (the base when jitter is off). */
export function jitteredJobStartup(baseMs: number, jitter: JitterOptions | undefined): () => number {
  // Its own sequence (seed + 1), so turning it on leaves the services' draws as they were.
  const timings = jitteredTimings({ startupMs: baseMs, rolloutStepMs: baseMs }, jitter && { ...jitter, seed: (jitter.seed ?? 1) + 1 });
  return () => timings.startupMs;
}

/** A small seeded PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
