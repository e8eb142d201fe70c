import { WaitError } from "../../provider/core/errors";
import { pollDelayMs, replay, statelessRules, waitFor, type WaitClock } from "../../provider/core/waiter";

function fakeClock(): WaitClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

const countRules = statelessRules<number, number>((value) =>
  value >= 3 ? { kind: "success", result: value, summary: `reached ${value}` } : value < 0 ? { kind: "failure", reason: "negative" } : { kind: "retry", progress: `at ${value}` },
);

describe("waiter", () => {
  it("replays recorded observations to the first final decision", () => {
    expect(replay(countRules, [0, 1, 3, 5])).toEqual({ decision: { kind: "success", result: 3, summary: "reached 3" }, index: 2 });
    expect(replay(countRules, [0, -1])).toMatchObject({ decision: { kind: "failure" }, index: 1 });
    expect(replay(countRules, [0, 1])).toMatchObject({ decision: { kind: "retry", progress: "at 1" }, index: 1 });
  });

  it("polls until success with growing, jittered delays", async () => {
    const clock = fakeClock();
    const values = [0, 1, 2, 3];
    const result = await waitFor({ description: "count", observe: async () => values.shift()!, rules: countRules, timeoutMs: 60_000, clock, schedule: { initialDelayMs: 100, maxDelayMs: 250, factor: 2, jitter: 0 } });
    expect(result).toMatchObject({ result: 3, polls: 4 });
    expect(clock.slept).toEqual([100, 200, 250]);
  });

  it("reports failures with the last observation", async () => {
    const values = [1, -1];
    await expect(waitFor({ description: "count", observe: async () => values.shift()!, rules: countRules, timeoutMs: 1000, clock: fakeClock(), describe: (v) => `value ${v}` })).rejects.toMatchObject({
      outcome: "failure",
      lastObserved: -1,
      message: expect.stringContaining("value -1"),
    });
  });

  it("times out with the poll count and where things were left", async () => {
    const error = await waitFor({ description: "count", observe: async () => 1, rules: countRules, timeoutMs: 5000, clock: fakeClock(), schedule: { initialDelayMs: 1000, maxDelayMs: 1000 } }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect(error.outcome).toBe("timeout");
    expect(error.message).toMatch(/Timed out after 5s \(\d+ polls\).*still at 1/);
  });

  it("threads memory through decisions", () => {
    const rules = {
      initialMemory: 0,
      decide: (value: string, seen: number) => ({
        decision: seen >= 1 && value === "done" ? ({ kind: "success", result: seen, summary: "ok" } as const) : ({ kind: "retry", progress: value } as const),
        memory: value === "busy" ? seen + 1 : seen,
      }),
    };
    // A "done" before any "busy" is stale and must not count.
    expect(replay(rules, ["done", "busy", "done"])).toMatchObject({ decision: { kind: "success", result: 1 }, index: 2 });
  });

  it("computes the backoff schedule purely", () => {
    const schedule = { initialDelayMs: 1000, maxDelayMs: 5000, factor: 2, jitter: 0.5 };
    expect(pollDelayMs(schedule, 0, 0.5)).toBe(1000);
    expect(pollDelayMs(schedule, 10, 0.5)).toBe(5000);
    expect(pollDelayMs(schedule, 0, 0)).toBe(500);
    expect(pollDelayMs(schedule, 0, 0.999)).toBeLessThanOrEqual(1500);
  });
});
