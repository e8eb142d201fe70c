// The health gate's decision: pure functions over the probe results recorded so far, so every
// verdict can be replayed in unit tests. I/O (sending probes, pacing them) lives in probe.ts.
// A gate is several measurements over the pause; each measurement judges the CANARY, inferred from
// the blend and the primary measured alone (canary-inference.ts), and the gate tolerates up to
// `failureLimit` measurements that did not pass.
import { inferCanaryP95, inferCanaryProportion, probesForShare, shareWithin } from "./canary-inference";

export interface ProbeResult {
  /** The status was one of the expected ones and every answer check held. */
  ok: boolean;
  /** HTTP status, or null when no answer came (connection error, timeout). */
  status: number | null;
  latencyMs: number;
}

export interface GateThresholds {
  minSuccessRate: number;
  maxP95LatencyMs?: number;
}

export interface GateMeasurements {
  requests: number;
  succeeded: number;
  /** succeeded / requests, 0 when nothing was sent. */
  successRate: number;
  /** Nearest-rank 95th percentile of the probes' latencies; null when nothing was sent. */
  p95LatencyMs: number | null;
}

/** The primary measured alone (before the canary took traffic): the baseline the blend is read against. */
export interface Baseline {
  requests: number;
  succeeded: number;
  latencies: number[];
}

/** What one measurement says of the canary itself (rates 0–1, bounds at 95% confidence). */
export interface CanaryMetrics {
  /** The canary's share of traffic, 0–1. */
  share: number;
  /** About how many of the probes reached the canary (requests × share). */
  samples: number;
  successRate: number;
  successRateLow: number;
  successRateHigh: number;
  p95LatencyMs: number | null;
}

export interface Measurement {
  blend: GateMeasurements;
  canary: CanaryMetrics;
  /** null: no baseline (a resumed rollout); the primary is then taken as flawless, the cautious reading. */
  primary: GateMeasurements | null;
}

export type MeasurementVerdict =
  | { kind: "pending"; measurement: Measurement }
  | { kind: "pass"; measurement: Measurement }
  /** fail: the canary is below the threshold with 95% confidence; inconclusive: below, but not surely. */
  | { kind: "fail" | "inconclusive"; measurement: Measurement; metric: "successRate" | "p95Latency"; reason: string };

export function percentile95(latencies: readonly number[]): number | null {
  if (latencies.length === 0) return null;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)];
}

export function measure(results: readonly ProbeResult[]): GateMeasurements {
  const succeeded = results.filter((result) => result.ok).length;
  return {
    requests: results.length,
    succeeded,
    successRate: results.length === 0 ? 0 : succeeded / results.length,
    p95LatencyMs: percentile95(results.map((result) => result.latencyMs)),
  };
}

const rate = (value: number) => value.toFixed(2);
const plural = (count: number) => `${count} request${count === 1 ? "" : "s"}`;

function describeSample(measurement: Measurement): string {
  const { blend, canary, primary } = measurement;
  const base = primary ? `primary alone ${rate(primary.successRate)} over ${primary.requests}` : "no baseline: primary taken as flawless";
  return `${plural(blend.requests)}, ~${Math.round(canary.samples)} to the canary at ${Math.round(canary.share * 100)}%; ${base}`;
}

/**
 * One measurement's verdict after `results` of `planned` probes, with the canary at `share` (0–1).
 * It fails as soon as even all remaining probes succeeding could not lift the canary's upper bound
 * to the threshold (a bad version is stopped early); latency is judged once all probes are in.
 */
export function judgeMeasurement(results: readonly ProbeResult[], baseline: Baseline | null, share: number, thresholds: GateThresholds, planned: number): MeasurementVerdict {
  const blend = measure(results);
  const primaryRate = baseline && baseline.requests > 0 ? baseline.succeeded / baseline.requests : 1;
  const success = inferCanaryProportion(blend.succeeded, blend.requests, primaryRate, share);
  const latencies = results.map((result) => result.latencyMs);
  const canary: CanaryMetrics = {
    share,
    samples: blend.requests * share,
    successRate: success.value,
    successRateLow: success.low,
    successRateHigh: success.high,
    p95LatencyMs: inferCanaryP95(latencies, baseline?.latencies ?? [], share),
  };
  const primary = baseline ? { ...measure([]), requests: baseline.requests, succeeded: baseline.succeeded, successRate: primaryRate, p95LatencyMs: percentile95(baseline.latencies) } : null;
  const measurement: Measurement = { blend, canary, primary };
  const min = thresholds.minSuccessRate;
  const successReason = (kind: "fail" | "inconclusive") =>
    `canary success rate ${rate(success.value)} < ${rate(min)}${kind === "inconclusive" ? " (not conclusively)" : ""} (95% CI ${rate(success.low)}–${rate(success.high)}; ${describeSample(measurement)})`;

  const remaining = Math.max(0, planned - results.length);
  if (results.length > 0 && remaining > 0) {
    const best = inferCanaryProportion(blend.succeeded + remaining, blend.requests + remaining, primaryRate, share);
    if (best.high < min) return { kind: "fail", measurement, metric: "successRate", reason: successReason("fail") };
  }
  if (remaining > 0) return { kind: "pending", measurement };
  if (results.length > 0 && success.value < min) {
    const kind = success.high < min ? "fail" : "inconclusive";
    return { kind, measurement, metric: "successRate", reason: successReason(kind) };
  }
  const limit = thresholds.maxP95LatencyMs;
  if (limit !== undefined && results.length > 0) {
    const primaryFast = baseline && baseline.latencies.length > 0 ? shareWithin(baseline.latencies, limit) : 1;
    const fast = inferCanaryProportion(latencies.filter((latency) => latency <= limit).length, latencies.length, primaryFast, share);
    if (fast.value < 0.95) {
      const kind = fast.high < 0.95 ? "fail" : "inconclusive";
      const p95 = canary.p95LatencyMs === null ? "unknown" : `${Math.round(canary.p95LatencyMs)}ms`;
      const reason = `canary p95 latency ${p95} > ${limit}ms${kind === "inconclusive" ? " (not conclusively)" : ""} (${rate(1 - fast.value)} of its answers over the limit; ${describeSample(measurement)})`;
      return { kind, measurement, metric: "p95Latency", reason };
    }
  }
  return { kind: "pass", measurement };
}

/** How a gate's measurements add up (rollout.healthCheck.measurements, failureLimit, inconclusive). */
export interface GatePolicy {
  measurements: number;
  /** Measurements that may fail (or be inconclusive) before the gate fails. */
  failureLimit: number;
  /** What a gate that did not pass only because of inconclusive measurements does: roll back, or hold for a person. */
  inconclusive: "fail" | "hold";
}

/** Measurements planned, taken so far, and how many of those did not pass. */
export interface GateTally {
  planned: number;
  taken: number;
  notPassed: number;
}

export type GateDecision =
  | { kind: "pending"; last?: MeasurementVerdict; tally: GateTally }
  | { kind: "pass"; last: MeasurementVerdict; tally: GateTally }
  /** hold: inconclusive beyond the limit with `inconclusive: "hold"`: the canary stays at its share, paused. */
  | { kind: "fail" | "hold"; last: MeasurementVerdict; reason: string; tally: GateTally };

/** The gate's verdict over the finished measurements: decided as soon as too many did not pass. */
export function judgeGate(verdicts: readonly MeasurementVerdict[], policy: GatePolicy): GateDecision {
  const last = verdicts[verdicts.length - 1];
  const notPassed = verdicts.filter((verdict) => verdict.kind === "fail" || verdict.kind === "inconclusive");
  const tally = { planned: policy.measurements, taken: verdicts.length, notPassed: notPassed.length };
  if (notPassed.length > policy.failureLimit) {
    const failed = notPassed.filter((verdict) => verdict.kind === "fail").length;
    const worst = [...notPassed].reverse().find((verdict) => verdict.kind === "fail") ?? notPassed[notPassed.length - 1];
    const reason = (worst as { reason: string }).reason;
    const count = policy.measurements > 1 ? ` [${notPassed.length} of ${verdicts.length} measurements did not pass, failureLimit ${policy.failureLimit}]` : "";
    const kind = failed > policy.failureLimit || policy.inconclusive === "fail" ? "fail" : "hold";
    return { kind, last: worst, reason: reason + count, tally };
  }
  if (verdicts.length < policy.measurements) return { kind: "pending", last, tally };
  return { kind: "pass", last, tally };
}

/**
 * How many probes each measurement sends and how far apart: a count (or a rate over the pause) split
 * into `measurements`, each raised so about `minCanarySamples` reach a canary at `share` (0–1).
 */
export function probePlan(
  options: { requests?: number; ratePerSecond?: number; defaultRequests: number; measurements?: number; minCanarySamples?: number; share?: number },
  pauseMs: number,
): { perMeasurement: number; measurements: number; intervalMs: number } {
  const measurements = options.measurements ?? 1;
  const requested =
    options.ratePerSecond !== undefined
      ? Math.max(1, Math.floor((pauseMs / 1000) * options.ratePerSecond / measurements))
      : (options.requests ?? options.defaultRequests);
  const perMeasurement = options.minCanarySamples !== undefined && options.share !== undefined ? probesForShare(requested, options.minCanarySamples, options.share) : requested;
  const total = perMeasurement * measurements;
  return { perMeasurement, measurements, intervalMs: pauseMs > 0 ? pauseMs / total : 0 };
}
