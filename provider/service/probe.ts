// Runs one health gate: probes the service's query URL (the token goes only in the Authorization
// header), paced over the step's pause in measurements, judging after every answer with the pure
// gate decisions. Also measures the primary alone (the baseline the canary is inferred against).
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { reportProgress } from "../core/progress";
import { parseDurationMs } from "../core/timeouts";
import { answerProblem } from "./answer-check";
import { judgeGate, judgeMeasurement, probePlan, type Baseline, type GateDecision, type GatePolicy, type MeasurementVerdict, type ProbeResult } from "./gate";
import { DEFAULT_GATE_REQUESTS, DEFAULT_MIN_CANARY_SAMPLES, DEFAULT_MIN_SUCCESS_RATE, DEFAULT_PROBE_TIMEOUT_MS, MANUAL_PAUSE, type GoldenRequest, type HealthCheck } from "./rollout-schema";

export interface GateTarget {
  /** The service's base query URL. */
  queryUrl: string;
  token: string | null;
}

/** The requests a gate cycles through: the golden set, or the one probe request. */
export function probeRequests(check: HealthCheck): GoldenRequest[] {
  if (check.golden) return check.golden;
  return [{ path: check.path ?? "/", method: check.method, body: check.body, expectedStatus: check.expectedStatus }];
}

async function probeOnce(queryUrl: string, token: string | null, probe: GoldenRequest, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (probe.body !== undefined) headers["content-type"] = "application/json";
    const response = await request(probeUrl(queryUrl, probe.path), {
      method: probe.method ?? "GET",
      headers,
      body: probe.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const checksBody = probe.jsonPath !== undefined || probe.matches !== undefined;
    const body = checksBody ? await response.body.text() : (await response.body.dump(), "");
    const problem = answerProblem(probe, response.statusCode, body);
    return { ok: problem === undefined, status: response.statusCode, latencyMs: performance.now() - started };
  } catch {
    // The error text could echo the request; only the fact of failure is kept.
    return { ok: false, status: null, latencyMs: performance.now() - started };
  }
}

export function probeUrl(queryUrl: string, path: string): string {
  return queryUrl.replace(/\/+$/, "") + path;
}

function timeoutOf(check: HealthCheck): number {
  return check.requestTimeout ? (parseDurationMs(check.requestTimeout) ?? DEFAULT_PROBE_TIMEOUT_MS) : DEFAULT_PROBE_TIMEOUT_MS;
}

export function gatePolicy(check: HealthCheck): GatePolicy {
  return { measurements: check.measurements ?? 1, failureLimit: check.failureLimit ?? 0, inconclusive: check.inconclusive ?? "fail" };
}

/** The gate's size at a share (0–100): what preview and progress lines say. */
export function gateSize(check: HealthCheck, percent: number, pauseMs: number) {
  return probePlan(
    { requests: check.requests, ratePerSecond: check.ratePerSecond, defaultRequests: DEFAULT_GATE_REQUESTS, measurements: check.measurements, minCanarySamples: check.minCanarySamples ?? DEFAULT_MIN_CANARY_SAMPLES, share: percent / 100 },
    pauseMs,
  );
}

/** Probes the primary alone (no canary takes traffic yet), back to back: the baseline. */
export async function measureBaseline(target: GateTarget, check: HealthCheck, label: string): Promise<Baseline> {
  const requests = probeRequests(check);
  const count = Math.max(check.requests ?? DEFAULT_GATE_REQUESTS, requests.length);
  const results: ProbeResult[] = [];
  for (let index = 0; index < count; index++) {
    results.push(await probeOnce(target.queryUrl, target.token, requests[index % requests.length], timeoutOf(check)));
    reportProgress(`${label}: measuring the primary alone, ${index + 1}/${count}`);
  }
  return { requests: results.length, succeeded: results.filter((result) => result.ok).length, latencies: results.map((result) => result.latencyMs) };
}

/**
 * Probes for the length of the pause, in measurements, each sized for the canary's share, and
 * returns the gate's decision; stops early once the gate can no longer pass. `label` names the step.
 */
export async function runGate(target: GateTarget, check: HealthCheck, pauseMs: number, label: string, percent: number, baseline: Baseline | null, signal?: AbortSignal): Promise<GateDecision> {
  const { perMeasurement, measurements, intervalMs } = gateSize(check, percent, pauseMs);
  const thresholds = { minSuccessRate: check.minSuccessRate ?? DEFAULT_MIN_SUCCESS_RATE, maxP95LatencyMs: check.maxP95LatencyMs };
  const policy = gatePolicy(check);
  const requests = probeRequests(check);
  const verdicts: MeasurementVerdict[] = [];
  const startedAt = performance.now();
  let sent = 0;
  for (let round = 0; round < measurements; round++) {
    const results: ProbeResult[] = [];
    let verdict: MeasurementVerdict = judgeMeasurement(results, baseline, percent / 100, thresholds, perMeasurement);
    for (let index = 0; index < perMeasurement && verdict.kind === "pending"; index++) {
      const wait = startedAt + sent * intervalMs - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      results.push(await probeOnce(target.queryUrl, target.token, requests[sent % requests.length], timeoutOf(check)));
      sent++;
      verdict = judgeMeasurement(results, baseline, percent / 100, thresholds, perMeasurement);
      const ok = verdict.measurement.blend.succeeded;
      reportProgress(`${label}, gate ${measurements > 1 ? `measurement ${round + 1}/${measurements}, ` : ""}${ok}/${perMeasurement} ok`);
    }
    verdicts.push(verdict);
    const decision = judgeGate(verdicts, policy);
    if (decision.kind !== "pending") return decision;
    sent = (round + 1) * perMeasurement;
  }
  return judgeGate(verdicts, policy);
}

/** "10%: 200 probes (~20 to the canary), 50%: 40 probes (~20 to the canary)": each gated step's size, for preview. */
export function describeGateSizes(check: HealthCheck, steps: ReadonlyArray<{ percent: number; pause?: string }>): string {
  return steps
    .filter((step) => step.percent < 100)
    .map((step) => {
      const pauseMs = step.pause && step.pause !== MANUAL_PAUSE ? (parseDurationMs(step.pause) ?? 0) : 0;
      const size = gateSize(check, step.percent, pauseMs);
      const perCanary = Math.round((size.perMeasurement * step.percent) / 100);
      const times = size.measurements > 1 ? `${size.measurements} × ` : "";
      return `${step.percent}%: ${times}${size.perMeasurement} probes (~${perCanary} to the canary)`;
    })
    .join(", ");
}
