// The health gate's decision: a pure function over the probe results recorded so far, so every
// verdict can be replayed in unit tests. I/O (sending probes, pacing them) lives in probe.ts.

export interface ProbeResult {
  /** The status was one of the expected ones. */
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

export type GateDecision =
  /** Keep probing. */
  | { kind: "pending"; measurements: GateMeasurements }
  | { kind: "pass"; measurements: GateMeasurements }
  /** `reason` reads "success rate 0.52 < 0.99 over 50 requests". */
  | { kind: "fail"; measurements: GateMeasurements; metric: "successRate" | "p95Latency"; reason: string };

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

/**
 * The verdict after `results` of `planned` probes. It fails as soon as the success rate can no longer
 * reach the threshold even if every remaining probe succeeds (a bad version is stopped early, and the
 * message gives the rate measured so far); latency is judged once all probes are in.
 */
export function judgeGate(results: readonly ProbeResult[], thresholds: GateThresholds, planned: number): GateDecision {
  const measurements = measure(results);
  const failRate = (): GateDecision => ({
    kind: "fail",
    measurements,
    metric: "successRate",
    reason: `success rate ${rate(measurements.successRate)} < ${rate(thresholds.minSuccessRate)} over ${plural(measurements.requests)}`,
  });
  const remaining = Math.max(0, planned - results.length);
  const bestPossible = planned === 0 ? 1 : (measurements.succeeded + remaining) / Math.max(planned, results.length);
  if (results.length > 0 && bestPossible < thresholds.minSuccessRate) return failRate();
  if (remaining > 0) return { kind: "pending", measurements };
  if (results.length > 0 && measurements.successRate < thresholds.minSuccessRate) return failRate();
  const p95 = measurements.p95LatencyMs;
  if (thresholds.maxP95LatencyMs !== undefined && p95 !== null && p95 > thresholds.maxP95LatencyMs) {
    return {
      kind: "fail",
      measurements,
      metric: "p95Latency",
      reason: `p95 latency ${Math.round(p95)}ms > ${thresholds.maxP95LatencyMs}ms over ${plural(measurements.requests)}`,
    };
  }
  return { kind: "pass", measurements };
}

/** How many probes a gate sends and how far apart: a count spread over the pause, or a rate for the pause. */
export function probePlan(options: { requests?: number; ratePerSecond?: number; defaultRequests: number }, pauseMs: number): { planned: number; intervalMs: number } {
  if (options.ratePerSecond !== undefined) {
    const intervalMs = 1000 / options.ratePerSecond;
    return { planned: Math.max(1, Math.floor(pauseMs / intervalMs)), intervalMs };
  }
  const planned = options.requests ?? options.defaultRequests;
  return { planned, intervalMs: pauseMs > 0 ? pauseMs / planned : 0 };
}
