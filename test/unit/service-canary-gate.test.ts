// Canary-attributed gates, replayed over recorded probe results: the canary's own rate and latency
// inferred from the blend, the weights and the primary alone; tolerance over several measurements;
// answer checks of a golden set; a rejected version that stays rejected; the promote switch.
import { answerProblem, valueAt } from "../../provider/service/answer-check";
import { inferCanaryP95, inferCanaryProportion, probesForShare, wilsonInterval } from "../../provider/service/canary-inference";
import { judgeGate, judgeMeasurement, probePlan, type Baseline, type MeasurementVerdict, type ProbeResult } from "../../provider/service/gate";
import * as provider from "../../provider/service/dynamic";
import { promoteRequested } from "../../provider/service/promote";
import { describeRejection, rejectionReason, rejectionRecord, standingRejection } from "../../provider/service/rejection";
import { deliveryProblems } from "../../provider/service/rollout-schema";
import type { ServiceInputs } from "../../provider/service/schema";

const ok = (latencyMs = 5): ProbeResult => ({ ok: true, status: 200, latencyMs });
const bad = (latencyMs = 5): ProbeResult => ({ ok: false, status: 503, latencyMs });

/** What the query URL answers with the canary at `share` (every 1/share-th request, as the local plane routes). */
function blend(count: number, share: number, canary: (n: number) => ProbeResult, primary: () => ProbeResult = () => ok()): ProbeResult[] {
  let canaryAnswers = 0;
  return Array.from({ length: count }, (_, n) => (Math.floor((n + 1) * share) > Math.floor(n * share) ? canary(canaryAnswers++) : primary()));
}

const healthyBaseline: Baseline = { requests: 20, succeeded: 20, latencies: Array.from({ length: 20 }, () => 5) };

/** Replays results one by one; returns the first final verdict and after how many probes. */
function replay(results: ProbeResult[], baseline: Baseline | null, share: number, thresholds: { minSuccessRate: number; maxP95LatencyMs?: number }) {
  for (let i = 1; i <= results.length; i++) {
    const verdict = judgeMeasurement(results.slice(0, i), baseline, share, thresholds, results.length);
    if (verdict.kind !== "pending") return { verdict, after: i };
  }
  throw new Error("never decided");
}

describe("canary inference", () => {
  it("bounds a proportion with the Wilson interval, sound at n/n", () => {
    const all = wilsonInterval(20, 20);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(0.839, 2);
    const some = wilsonInterval(190, 200);
    expect(some.low).toBeCloseTo(0.910, 2);
    expect(some.high).toBeCloseTo(0.973, 2);
  });

  it("reads a canary failing half its answers at 10% from a 0.95 blend", () => {
    const canary = inferCanaryProportion(190, 200, 1, 0.1);
    expect(canary.value).toBeCloseTo(0.5, 5);
    expect(canary.high).toBeLessThan(0.99);
    expect(canary.low).toBeLessThan(canary.value);
  });

  it("subtracts the primary's own failures", () => {
    // The primary fails 2% alone; the blend at 50% is 0.98: the canary is as good as the primary.
    expect(inferCanaryProportion(98, 100, 0.98, 0.5).value).toBeCloseTo(0.98, 5);
  });

  it("finds a canary 400 ms slower at 5% in the mixture of latencies", () => {
    const latencies = blend(400, 0.05, () => ok(405)).map((result) => result.latencyMs);
    expect(inferCanaryP95(latencies, healthyBaseline.latencies, 0.05)).toBe(405);
    expect(inferCanaryP95(Array.from({ length: 100 }, () => 5), [], 0.05)).toBe(5);
    // The primary answers faster during the gate than in its baseline (warm connections): still the slow tail.
    const warm = blend(400, 0.05, () => ok(405), () => ok(1)).map((result) => result.latencyMs);
    expect(inferCanaryP95(warm, Array.from({ length: 20 }, () => 3), 0.05)).toBe(405);
  });

  it("sizes each measurement so about minCanarySamples reach the canary", () => {
    expect(probesForShare(20, 20, 0.1)).toBe(200);
    expect(probesForShare(20, 20, 0.05)).toBe(400);
    expect(probesForShare(500, 20, 0.5)).toBe(500);
    expect(probePlan({ defaultRequests: 20, minCanarySamples: 20, share: 0.1, measurements: 2 }, 8000)).toEqual({ perMeasurement: 200, measurements: 2, intervalMs: 20 });
    expect(probePlan({ ratePerSecond: 4, defaultRequests: 20 }, 10_000)).toEqual({ perMeasurement: 40, measurements: 1, intervalMs: 250 });
  });
});

describe("one measurement judges the canary", () => {
  const strict = { minSuccessRate: 0.99 };

  it("stops a v2 failing 50% at 10%, reporting the canary's rate near 0.5, the primary's and the sample", () => {
    const results = blend(200, 0.1, (n) => (n % 2 === 1 ? bad() : ok()));
    const { verdict } = replay(results, healthyBaseline, 0.1, strict);
    expect(verdict.kind).toBe("fail");
    expect(verdict.measurement.canary.successRate).toBeCloseTo(0.5, 1);
    expect(verdict.measurement.primary?.successRate).toBe(1);
    if (verdict.kind === "fail") {
      expect(verdict.reason).toMatch(/^canary success rate 0\.\d\d < 0\.99 \(95% CI 0\.\d\d–0\.\d\d; \d+ requests, ~\d+ to the canary at 10%; primary alone 1\.00 over 20\)$/);
    }
  });

  it("passes a healthy canary and a canary as good as the primary", () => {
    expect(replay(blend(200, 0.1, () => ok()), healthyBaseline, 0.1, strict).verdict.kind).toBe("pass");
  });

  it("calls one failure of the primary inconclusive, not a failure", () => {
    const results = blend(200, 0.1, () => ok(), () => ok());
    results[4] = bad(); // a blip of the old version
    const { verdict } = replay(results, healthyBaseline, 0.1, strict);
    expect(verdict.kind).toBe("inconclusive");
  });

  it("stops a v2 400 ms slower at 5% on the canary's own p95", () => {
    const results = blend(400, 0.05, () => ok(405));
    const { verdict } = replay(results, healthyBaseline, 0.05, { minSuccessRate: 0.99, maxP95LatencyMs: 250 });
    expect(verdict).toMatchObject({ kind: "fail", metric: "p95Latency" });
    if (verdict.kind === "fail") expect(verdict.reason).toMatch(/^canary p95 latency 405ms > 250ms/);
  });

  it("without a baseline takes the primary as flawless and says so", () => {
    const { verdict } = replay(blend(200, 0.1, (n) => (n % 2 === 1 ? bad() : ok())), null, 0.1, strict);
    expect(verdict.kind).toBe("fail");
    if (verdict.kind === "fail") expect(verdict.reason).toContain("no baseline: primary taken as flawless");
  });
});

describe("a gate of several measurements", () => {
  const pass = (): MeasurementVerdict => judgeMeasurement([ok()], null, 1, { minSuccessRate: 0.5 }, 1);
  const inconclusive = (): MeasurementVerdict => ({ ...pass(), kind: "inconclusive", metric: "successRate", reason: "canary success rate 0.95 < 0.99 (not conclusively)" });
  const failed = (): MeasurementVerdict => ({ ...pass(), kind: "fail", metric: "successRate", reason: "canary success rate 0.50 < 0.99" });

  it("tolerates up to failureLimit measurements that did not pass", () => {
    const policy = { measurements: 3, failureLimit: 2, inconclusive: "fail" as const };
    expect(judgeGate([inconclusive(), pass(), pass()], policy).kind).toBe("pass");
    expect(judgeGate([failed(), failed()], policy).kind).toBe("pending");
    expect(judgeGate([failed(), failed(), failed()], policy)).toMatchObject({ kind: "fail", tally: { planned: 3, taken: 3, notPassed: 3 } });
  });

  it("fails at once with the default failureLimit 0", () => {
    const decision = judgeGate([failed()], { measurements: 3, failureLimit: 0, inconclusive: "fail" });
    expect(decision.kind).toBe("fail");
    if (decision.kind === "fail") expect(decision.reason).toBe("canary success rate 0.50 < 0.99 [1 of 1 measurements did not pass, failureLimit 0]");
  });

  it("holds for a person when only inconclusive measurements stand in the way and inconclusive is hold", () => {
    expect(judgeGate([inconclusive()], { measurements: 1, failureLimit: 0, inconclusive: "hold" }).kind).toBe("hold");
    expect(judgeGate([failed()], { measurements: 1, failureLimit: 0, inconclusive: "hold" }).kind).toBe("fail");
  });
});

describe("answer checks of a golden set", () => {
  const answer = JSON.stringify({ label: "positive", scores: [0.91, 0.09] });

  it("checks the status, a value, a range and a pattern", () => {
    expect(answerProblem({ path: "/predict", jsonPath: "$.label", equals: "positive" }, 200, answer)).toBeUndefined();
    expect(answerProblem({ path: "/predict", jsonPath: "$.label", equals: "negative" }, 200, answer)).toBe('$.label is not "negative"');
    expect(answerProblem({ path: "/predict", jsonPath: "scores[0]", min: 0.8, max: 1 }, 200, answer)).toBeUndefined();
    expect(answerProblem({ path: "/predict", jsonPath: "scores[1]", min: 0.5 }, 200, answer)).toBe("scores[1] below 0.5");
    expect(answerProblem({ path: "/predict", matches: '"label":\\s*"pos' }, 200, answer)).toBeUndefined();
    expect(answerProblem({ path: "/predict", matches: "^$" }, 200, answer)).toBe("body does not match");
    expect(answerProblem({ path: "/predict" }, 500, answer)).toBe("status 500");
    expect(answerProblem({ path: "/predict", jsonPath: "$.label", equals: "x" }, 200, "oops")).toBe("answer is not JSON");
    expect(valueAt({ a: [{ b: 1 }] }, "$.a[0].b")).toEqual({ found: true, value: 1 });
    expect(valueAt({ a: [] }, "$.a[0].b")).toEqual({ found: false });
  });

  it("is validated at check, naming the field", () => {
    const inputs = (healthCheck: Record<string, unknown>) => ({ applications: [{ route_prefix: "/" }], rollout: { steps: [{ percent: 10, pause: "1m" }], healthCheck } }) as never;
    const paths = (healthCheck: Record<string, unknown>) => deliveryProblems(inputs(healthCheck)).map((issue) => issue.path.join("."));
    expect(paths({ golden: [{ path: "/p", equals: "x" }] })).toEqual(["rollout.healthCheck.golden.0.jsonPath"]);
    expect(paths({ golden: [{ path: "/p", jsonPath: "$.a" }] })).toEqual(["rollout.healthCheck.golden.0.jsonPath"]);
    expect(paths({ golden: [{ path: "/p", jsonPath: "$.a", min: 2, max: 1 }] })).toEqual(["rollout.healthCheck.golden.0.min"]);
    expect(paths({ path: "/p", golden: [{ path: "/p" }] })).toEqual(["rollout.healthCheck.path"]);
    expect(paths({ measurements: 2, failureLimit: 2 })).toEqual(["rollout.healthCheck.failureLimit"]);
    expect(paths({ measurements: 3, failureLimit: 2 })).toEqual([]);
  });
});

describe("check names the new gate fields", () => {
  const valid = { name: "svc", applications: [{ import_path: "main:app", route_prefix: "/" }] };
  async function failures(healthCheck: Record<string, unknown>, rollout: Record<string, unknown> = {}) {
    const result = await provider.check({}, { ...valid, rollout: { steps: [{ percent: 10, pause: "1m" }], healthCheck, ...rollout } });
    return (result.failures ?? []).map((failure) => failure.property);
  }

  it("accepts a full gate and refuses each bad value on its field", async () => {
    const golden = [{ path: "/p", method: "POST", body: "{}", jsonPath: "$.scores[0]", min: 0, max: 1, matches: "score", expectedStatus: [200] }];
    expect(await failures({ measurements: 3, failureLimit: 1, inconclusive: "hold", minCanarySamples: 50, golden }, { retryRejected: true })).toEqual([]);
    expect(await failures({ golden: [{ path: "/p", jsonPath: "$.a", equals: 0.5 }] })).toEqual([]);
    expect(await failures({ inconclusive: "maybe" })).toEqual(["rollout.healthCheck.inconclusive"]);
    expect(await failures({ measurements: 0 })).toEqual(["rollout.healthCheck.measurements"]);
    expect(await failures({ minCanarySamples: 1.5 })).toEqual(["rollout.healthCheck.minCanarySamples"]);
    expect(await failures({ golden: [{ path: "/p", matches: "(" }] })).toEqual(["rollout.healthCheck.golden[0].matches"]);
    expect(await failures({ golden: [{ path: "/p", jsonPath: "$.a", equals: { a: 1 } }] })).toEqual(["rollout.healthCheck.golden[0].equals"]);
    expect(await failures({ golden: [{ path: "/p", jsonPath: "a..b", equals: 1 }] })).toEqual(["rollout.healthCheck.golden[0].jsonPath"]);
    expect(await failures({ golden: [] })).toEqual(["rollout.healthCheck.golden"]);
    expect(await failures({}, { retryRejected: "yes" })).toEqual(["rollout.retryRejected"]);
  });
});

describe("a rejected version stays rejected", () => {
  const program = { name: "svc", applications: [{ import_path: "main:app" }], imageUri: "img:1", rollout: { steps: [{ percent: 10 }] } } as unknown as ServiceInputs;
  const rejected = rejectionRecord(program, { id: "ver_3", name: "v3" }, { step: 1, percent: 10 }, "canary success rate 0.50 < 0.99", new Date(0));
  const outputs = { rolloutStatus: { phase: "rolledBack", rejected } };

  it("stands for the same program, not for a changed one or with retryRejected", () => {
    expect(standingRejection(outputs, program)).toEqual(rejected);
    expect(standingRejection(outputs, { ...program, imageUri: "img:2" } as ServiceInputs)).toBeUndefined();
    expect(standingRejection(outputs, { ...program, rollout: { ...program.rollout, retryRejected: true } } as ServiceInputs)).toBeUndefined();
    // Provider-side settings (the schedule, the gate) do not make it a different version.
    expect(standingRejection(outputs, { ...program, rollout: { steps: [{ percent: 5 }] } } as ServiceInputs)).toEqual(rejected);
    expect(standingRejection({}, program)).toBeUndefined();
  });

  it("keeps the reason alone from the rollback message", () => {
    expect(rejectionReason("step 1 (10%): canary success rate 0.50 < 0.99 (95% CI 0.10–0.73). Rolled back: rolled back to v1 (RUNNING, 100%).")).toBe("canary success rate 0.50 < 0.99 (95% CI 0.10–0.73)");
    expect(rejectionReason("step 1 of 2 (20%): the canary was not RUNNING at 20% within progressDeadline 3s; it stopped at 0% (STARTING). Rolled back: …")).toBe("the canary was not RUNNING at 20% within progressDeadline 3s; it stopped at 0% (STARTING)");
  });

  it("says what was rejected and how to move on", () => {
    expect(describeRejection(rejected)).toBe("v3 was rejected at step 1 (10%): canary success rate 0.50 < 0.99; change the program or set `rollout.retryRejected` to roll it out again");
  });
});

describe("promote", () => {
  it("releases the named services only", () => {
    expect(promoteRequested("svc", { ANYSCALE_PROMOTE: "other, svc" })).toBe(true);
    expect(promoteRequested("svc", { ANYSCALE_PROMOTE: "*" })).toBe(true);
    expect(promoteRequested("svc", { ANYSCALE_PROMOTE: "other" })).toBe(false);
    expect(promoteRequested("svc", {})).toBe(false);
  });
});
