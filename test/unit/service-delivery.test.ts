// Progressive delivery's pure pieces: the schedule planner over observed platform states, the gate
// decision replayed over recorded probe results, the step-deadline judgement, and check's rules.
import * as provider from "../../provider/service/dynamic";
import { judgeGate, percentile95, probePlan, type ProbeResult } from "../../provider/service/gate";
import { actionAfter, describeStop, effectiveSteps, locateInSchedule, stepBudget, stepLabel } from "../../provider/service/rollout-plan";
import { webhookDecision } from "../../provider/service/webhook";

const STEPS = [
  { percent: 10, pause: "10m" },
  { percent: 50, pause: "10m" },
  { percent: 100 },
];

describe("schedule planner", () => {
  it("starts when our version is not live, is complete when it is the primary", () => {
    expect(locateInSchedule(STEPS, { kind: "absent" })).toEqual({ kind: "start" });
    expect(locateInSchedule(STEPS, { kind: "primary" })).toEqual({ kind: "complete" });
  });

  it("reads the step from the canary's weight and where it is heading", () => {
    expect(locateInSchedule(STEPS, { kind: "canary", weight: 10, targetWeight: 10 })).toEqual({ kind: "at", index: 0 });
    // Killed while moving from 10 to 50: the platform is at 20 heading to 50, so step 2.
    expect(locateInSchedule(STEPS, { kind: "canary", weight: 20, targetWeight: 50 })).toEqual({ kind: "at", index: 1 });
    // Still starting at 0 heading to the first step.
    expect(locateInSchedule(STEPS, { kind: "canary", weight: 0, targetWeight: 10 })).toEqual({ kind: "at", index: 0 });
    // Moved by hand to a share between steps: continue to the next step up.
    expect(locateInSchedule(STEPS, { kind: "canary", weight: 30, targetWeight: 30 })).toEqual({ kind: "at", index: 1 });
    // Completing (heading to 100): the last step.
    expect(locateInSchedule(STEPS, { kind: "canary", weight: 75, targetWeight: 100 })).toEqual({ kind: "at", index: 2 });
  });

  it("a schedule that stops short of 100 completes after its last step", () => {
    expect(effectiveSteps([{ percent: 10, pause: "1m" }]).map((s) => s.percent)).toEqual([10, 100]);
    expect(stepLabel([{ percent: 10 }], 0)).toBe("step 1 of 2 (10%)");
    expect(locateInSchedule([{ percent: 10 }], { kind: "canary", weight: 60 })).toEqual({ kind: "at", index: 1 });
  });

  it("says what follows a step: advance after the pause, hold at a manual one, done at 100", () => {
    expect(actionAfter(STEPS, 0)).toEqual({ kind: "advance", pauseMs: 600_000, next: 1 });
    expect(actionAfter([{ percent: 20, pause: "manual" }, { percent: 100 }], 0)).toEqual({ kind: "hold" });
    expect(actionAfter([{ percent: 20 }, { percent: 100 }], 0)).toEqual({ kind: "advance", pauseMs: 0, next: 1 });
    expect(actionAfter(STEPS, 2)).toEqual({ kind: "done" });
  });
});

describe("step deadline", () => {
  it("bounds a step by the progress deadline, or by what is left of the operation", () => {
    expect(stepBudget(5000, 60_000)).toEqual({ timeoutMs: 5000, onTimeout: "progressDeadline" });
    expect(stepBudget(120_000, 60_000)).toEqual({ timeoutMs: 60_000, onTimeout: "operationTimeout" });
    expect(stepBudget(undefined, 60_000)).toEqual({ timeoutMs: 60_000, onTimeout: "operationTimeout" });
    expect(stepBudget(undefined, -5)).toEqual({ timeoutMs: 0, onTimeout: "operationTimeout" });
  });

  it("says where the step stopped", () => {
    expect(describeStop(50, { weight: 20, current_state: "STARTING" }, 5000)).toBe("the canary was not RUNNING at 50% within progressDeadline 5s; it stopped at 20% (STARTING)");
    expect(describeStop(10, undefined, 90_000)).toContain("it is no longer live");
  });
});

const ok = (latencyMs = 5): ProbeResult => ({ ok: true, status: 200, latencyMs });
const bad = (status: number | null = 503, latencyMs = 5): ProbeResult => ({ ok: false, status, latencyMs });

/** Replays recorded results one by one, as the gate sees them; returns the first final decision and when. */
function replayGate(results: ProbeResult[], thresholds: { minSuccessRate: number; maxP95LatencyMs?: number }, planned: number) {
  for (let i = 1; i <= results.length; i++) {
    const decision = judgeGate(results.slice(0, i), thresholds, planned);
    if (decision.kind !== "pending") return { decision, after: i };
  }
  return { decision: judgeGate(results, thresholds, planned), after: results.length };
}

describe("gate decision (replayed over recorded probe results)", () => {
  it("passes a healthy sample once every planned probe is in", () => {
    const { decision, after } = replayGate(Array.from({ length: 50 }, () => ok()), { minSuccessRate: 0.99, maxP95LatencyMs: 100 }, 50);
    expect(decision.kind).toBe("pass");
    expect(after).toBe(50);
    expect(decision.measurements).toEqual({ requests: 50, succeeded: 50, successRate: 1, p95LatencyMs: 5 });
  });

  it("stops a version failing half its queries as soon as the threshold is out of reach, naming the rate", () => {
    const recorded = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? ok() : bad()));
    const { decision, after } = replayGate(recorded, { minSuccessRate: 0.5 }, 50);
    expect(decision.kind).toBe("pass");
    expect(after).toBe(50);
    const strict = replayGate(recorded, { minSuccessRate: 0.99 }, 50);
    expect(strict.decision.kind).toBe("fail");
    expect(strict.after).toBe(2);
    if (strict.decision.kind === "fail") expect(strict.decision.reason).toBe("success rate 0.50 < 0.99 over 2 requests");
  });

  it("formats the full-sample failure as 'success rate 0.52 < 0.99 over 50 requests'", () => {
    const recorded = [...Array.from({ length: 26 }, () => ok()), ...Array.from({ length: 24 }, () => bad(null))];
    const decision = judgeGate(recorded, { minSuccessRate: 0.99 }, 50);
    expect(decision).toMatchObject({ kind: "fail", metric: "successRate", reason: "success rate 0.52 < 0.99 over 50 requests" });
  });

  it("tolerates failures up to the threshold", () => {
    const recorded = [...Array.from({ length: 18 }, () => ok()), bad(), bad()];
    expect(replayGate(recorded, { minSuccessRate: 0.9 }, 20).decision.kind).toBe("pass");
    expect(replayGate([...recorded.slice(0, 17), bad(), bad(), bad()], { minSuccessRate: 0.9 }, 20).decision.kind).toBe("fail");
  });

  it("fails the latency threshold on the 95th percentile, judged over the whole sample", () => {
    // 10% slow answers (a slow canary at 10%): the p95 is a slow one.
    const recorded = Array.from({ length: 20 }, (_, i) => ok(i % 10 === 9 ? 400 : 8));
    const { decision, after } = replayGate(recorded, { minSuccessRate: 0.99, maxP95LatencyMs: 200 }, 20);
    expect(after).toBe(20);
    expect(decision).toMatchObject({ kind: "fail", metric: "p95Latency", reason: "p95 latency 400ms > 200ms over 20 requests" });
    // One slow answer in 20 is the top 5%: the p95 is still fast.
    const oneSlow = Array.from({ length: 20 }, (_, i) => ok(i === 3 ? 900 : 8));
    expect(judgeGate(oneSlow, { minSuccessRate: 0.99, maxP95LatencyMs: 200 }, 20).kind).toBe("pass");
  });

  it("computes the nearest-rank p95", () => {
    expect(percentile95([])).toBeNull();
    expect(percentile95([3])).toBe(3);
    expect(percentile95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
  });

  it("plans probes as a count spread over the pause, or a rate for the pause", () => {
    expect(probePlan({ requests: 10, defaultRequests: 20 }, 5000)).toEqual({ planned: 10, intervalMs: 500 });
    expect(probePlan({ defaultRequests: 20 }, 0)).toEqual({ planned: 20, intervalMs: 0 });
    expect(probePlan({ ratePerSecond: 4, defaultRequests: 20 }, 10_000)).toEqual({ planned: 40, intervalMs: 250 });
  });

  it("lets traffic move on only after the webhook answers 2xx", () => {
    expect(webhookDecision({ status: 204 }).kind).toBe("success");
    expect(webhookDecision({ status: 409 })).toEqual({ kind: "retry", progress: "webhook answered 409, waiting for a 2xx" });
    expect(webhookDecision({ status: null }).kind).toBe("retry");
  });
});

describe("check: progressive delivery inputs", () => {
  const valid = { name: "svc", applications: [{ import_path: "main:app", route_prefix: "/" }] };
  async function failures(rollout: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const result = await provider.check({}, { ...valid, ...extra, rollout });
    return (result.failures ?? []).map((failure) => `${failure.property}: ${failure.reason}`);
  }

  it("accepts a gated schedule", async () => {
    expect(
      await failures({
        steps: STEPS,
        healthCheck: { path: "/predict", method: "POST", body: "{}", expectedStatus: [200, 201], requests: 50, minSuccessRate: 0.99, maxP95LatencyMs: 250, webhookUrl: "http://127.0.0.1:9/ok" },
        progressDeadline: "5m",
      }),
    ).toEqual([]);
  });

  it("names the field of every bad schedule", async () => {
    const props = async (rollout: Record<string, unknown>, extra?: Record<string, unknown>) => (await failures(rollout, extra)).map((line) => line.split(":")[0]);
    expect(await props({ steps: [{ percent: 50 }, { percent: 10 }] })).toEqual(["rollout.steps[1].percent"]);
    expect(await props({ steps: [{ percent: 10 }, { percent: 10 }] })).toEqual(["rollout.steps[1].percent"]);
    expect(await props({ steps: [{ percent: 101 }] })).toEqual(["rollout.steps[0].percent"]);
    expect(await props({ steps: [{ percent: -1 }] })).toEqual(["rollout.steps[0].percent"]);
    expect(await props({ steps: [{ percent: 10, pause: "soon" }] })).toEqual(["rollout.steps[0].pause"]);
    expect(await props({ steps: [] })).toEqual(["rollout.steps"]);
    expect(await props({ steps: [{ percent: 10 }], canaryPercent: 10 })).toEqual(["rollout.canaryPercent"]);
    expect(await props({ steps: [{ percent: 10 }], healthCheck: { minSuccessRate: 1.5 } })).toEqual(["rollout.healthCheck.minSuccessRate"]);
    expect(await props({ steps: [{ percent: 10 }], healthCheck: { maxP95LatencyMs: 0 } })).toEqual(["rollout.healthCheck.maxP95LatencyMs"]);
    expect(await props({ steps: [{ percent: 10 }], healthCheck: { requests: 0 } })).toEqual(["rollout.healthCheck.requests"]);
    expect(await props({ steps: [{ percent: 10 }], healthCheck: { expectedStatus: [99] } })).toEqual(["rollout.healthCheck.expectedStatus[0]"]);
    expect(await props({ steps: [{ percent: 10 }], healthCheck: { webhookUrl: "ftp://x" } })).toEqual(["rollout.healthCheck.webhookUrl"]);
    expect(await props({ steps: [{ percent: 10, pause: "1m" }], healthCheck: { requests: 5, ratePerSecond: 1 } })).toEqual(["rollout.healthCheck.ratePerSecond"]);
    expect(await props({ steps: [{ percent: 10, pause: "manual" }], healthCheck: { ratePerSecond: 1 } })).toEqual(["rollout.steps[0].pause"]);
    expect(await props({ healthCheck: {} })).toEqual(["rollout.healthCheck"]);
    expect(await props({ progressDeadline: "5m" })).toEqual(["rollout.progressDeadline"]);
    expect(await props({ steps: [{ percent: 10 }], progressDeadline: "later" })).toEqual(["rollout.progressDeadline"]);
    expect(await props({ steps: [{ percent: 10 }], strategy: "inPlace" })).toEqual(["rollout.steps"]);
    // The whole schedule runs inside one update: its pauses must fit in timeouts.update (default 30m).
    expect(await failures({ steps: [{ percent: 10, pause: "20m" }, { percent: 50, pause: "15m" }] })).toEqual([
      expect.stringMatching(/^rollout\.steps: .*the pauses add up to 35m, which does not fit in the update timeout \(30m\)/),
    ]);
    expect(await failures({ steps: [{ percent: 10, pause: "20m" }, { percent: 50, pause: "15m" }] }, { timeouts: { update: "1h" } })).toEqual([]);
  });

  it("refuses a health check on a service without a query URL route", async () => {
    const noRoute = { applications: [{ import_path: "main:app", route_prefix: null }] };
    const lines = await failures({ steps: [{ percent: 10 }], healthCheck: {} }, noRoute);
    expect(lines).toEqual([expect.stringMatching(/^rollout\.healthCheck\.path: .*no application serves '\/' over HTTP/)]);
    const elsewhere = { applications: [{ import_path: "main:app", route_prefix: "/api" }] };
    expect((await failures({ steps: [{ percent: 10 }], healthCheck: { path: "/other" } }, elsewhere))[0]).toMatch(/^rollout\.healthCheck\.path/);
    expect(await failures({ steps: [{ percent: 10 }], healthCheck: { path: "/api/predict" } }, elsewhere)).toEqual([]);
  });
});
