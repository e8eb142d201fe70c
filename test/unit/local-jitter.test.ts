// The plane's seeded jitter: every start/step is a new draw within ±percent of its base, the same seed
// gives the same sequence, and without jitter the times are exact.
import { jitteredJobStartup, jitteredTimings } from "../../local/jitter";

const BASE = { startupMs: 60_000, rolloutStepMs: 10_000 };
const draws = (seed: number) => {
  const timings = jitteredTimings(BASE, { percent: 20, seed });
  return Array.from({ length: 200 }, () => [timings.startupMs, timings.rolloutStepMs]);
};

test("draws stay within ±percent, vary, and repeat for a seed", () => {
  const one = draws(7);
  for (const [start, step] of one) {
    expect(start).toBeGreaterThanOrEqual(48_000);
    expect(start).toBeLessThanOrEqual(72_000);
    expect(step).toBeGreaterThanOrEqual(8_000);
    expect(step).toBeLessThanOrEqual(12_000);
  }
  expect(new Set(one.map(([start]) => start)).size).toBeGreaterThan(150);
  expect(draws(7)).toEqual(one);
  expect(draws(8)).not.toEqual(one);
});

test("no jitter: the exact times", () => {
  expect(jitteredTimings(BASE, undefined)).toBe(BASE);
  expect(jitteredTimings(BASE, { percent: 0 })).toBe(BASE);
});

test("job cluster starts: a draw within ±percent at every read, exact without jitter", () => {
  const start = jitteredJobStartup(60_000, { percent: 20, seed: 25 });
  const drawn = Array.from({ length: 200 }, start);
  for (const ms of drawn) {
    expect(ms).toBeGreaterThanOrEqual(48_000);
    expect(ms).toBeLessThanOrEqual(72_000);
  }
  expect(new Set(drawn).size).toBeGreaterThan(150);
  expect(jitteredJobStartup(60_000, undefined)()).toBe(60_000);
});
