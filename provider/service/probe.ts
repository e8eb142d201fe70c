// Runs one health gate: probes the service's query URL (the token goes only in the Authorization
// header), paced over the step's pause, judging after every answer with the pure gate decision.
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { reportProgress } from "../core/progress";
import { parseDurationMs } from "../core/timeouts";
import { judgeGate, probePlan, type GateDecision, type ProbeResult } from "./gate";
import { DEFAULT_GATE_REQUESTS, DEFAULT_MIN_SUCCESS_RATE, DEFAULT_PROBE_TIMEOUT_MS, type HealthCheck } from "./rollout-schema";

export interface GateTarget {
  /** The service's base query URL. */
  queryUrl: string;
  token: string | null;
}

async function probeOnce(url: string, token: string | null, check: HealthCheck, timeoutMs: number): Promise<ProbeResult> {
  const expected = check.expectedStatus ?? [200];
  const started = performance.now();
  try {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (check.body !== undefined) headers["content-type"] = "application/json";
    const response = await request(url, {
      method: check.method ?? "GET",
      headers,
      body: check.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    await response.body.dump();
    return { ok: expected.includes(response.statusCode), status: response.statusCode, latencyMs: performance.now() - started };
  } catch {
    // The error text could echo the request; only the fact of failure is kept.
    return { ok: false, status: null, latencyMs: performance.now() - started };
  }
}

export function probeUrl(queryUrl: string, path: string): string {
  return queryUrl.replace(/\/+$/, "") + path;
}

/**
 * Probes for the length of the pause (a count spread over it, or a rate for all of it) and returns
 * the final decision; stops early once the gate can no longer pass. `label` names the step in progress lines.
 */
export async function runGate(target: GateTarget, check: HealthCheck, pauseMs: number, label: string, signal?: AbortSignal): Promise<GateDecision> {
  const { planned, intervalMs } = probePlan({ requests: check.requests, ratePerSecond: check.ratePerSecond, defaultRequests: DEFAULT_GATE_REQUESTS }, pauseMs);
  const thresholds = { minSuccessRate: check.minSuccessRate ?? DEFAULT_MIN_SUCCESS_RATE, maxP95LatencyMs: check.maxP95LatencyMs };
  const timeoutMs = check.requestTimeout ? (parseDurationMs(check.requestTimeout) ?? DEFAULT_PROBE_TIMEOUT_MS) : DEFAULT_PROBE_TIMEOUT_MS;
  const url = probeUrl(target.queryUrl, check.path ?? "/");
  const results: ProbeResult[] = [];
  const startedAt = performance.now();
  for (let index = 0; index < planned; index++) {
    const dueAt = startedAt + index * intervalMs;
    const wait = dueAt - performance.now();
    if (wait > 0) await sleep(wait, undefined, { signal });
    results.push(await probeOnce(url, target.token, check, timeoutMs));
    const decision = judgeGate(results, thresholds, planned);
    const ok = decision.measurements.succeeded;
    reportProgress(`${label}, gate ${ok}/${planned} ok`);
    if (decision.kind !== "pending") return decision;
  }
  return judgeGate(results, thresholds, planned);
}
