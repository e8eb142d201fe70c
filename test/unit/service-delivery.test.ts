// Progressive delivery's pure pieces: the schedule planner over observed platform states, the gate
// decision replayed over recorded probe results, the step-deadline judgement, and check's rules.
import * as provider from "../../provider/service/dynamic";
import { percentile95 } from "../../provider/service/gate";
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

// The gate's verdicts (canary inference, tolerance, answer checks): test/unit/service-canary-gate.test.ts.
describe("gate helpers", () => {
  it("computes the nearest-rank p95", () => {
    expect(percentile95([])).toBeNull();
    expect(percentile95([3])).toBe(3);
    expect(percentile95(Array.from({ length: 100 }, (_, i) => i + 1))).toBe(95);
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
