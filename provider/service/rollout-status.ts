// The `rolloutStatus` output: where a scheduled rollout stands (step, share, when the step started)
// and the last gate's measurements. Plain data; built by schedule.ts, kept by read.
import type { GateDecision } from "./gate";

export interface GateRecord {
  /** 1-based step number and its share. */
  step: number;
  percent: number;
  requests: number;
  succeeded: number;
  successRate: number;
  p95LatencyMs: number | null;
  passed: boolean;
  /** Why the gate failed ("success rate 0.52 < 0.99 over 50 requests"). */
  reason?: string;
  /** Status the confirm webhook answered, when there is one. */
  webhookStatus?: number;
  at: string;
}

export interface RolloutStatus {
  /** progressing: moving through the steps; paused: held at a manual pause; completed; rolledBack: a gate or deadline rolled it back. */
  phase: "progressing" | "paused" | "completed" | "rolledBack" | "failed";
  /** 1-based current step (null before the first). */
  step: number | null;
  steps: number;
  percent: number;
  versionId: string | null;
  stepStartedAt: string | null;
  lastGate: GateRecord | null;
  message?: string;
}

export function gateRecord(step: number, percent: number, decision: GateDecision, at: Date): GateRecord {
  const m = decision.measurements;
  return {
    step,
    percent,
    requests: m.requests,
    succeeded: m.succeeded,
    successRate: Math.round(m.successRate * 10_000) / 10_000,
    p95LatencyMs: m.p95LatencyMs === null ? null : Math.round(m.p95LatencyMs),
    passed: decision.kind === "pass",
    ...(decision.kind === "fail" ? { reason: decision.reason } : {}),
    at: at.toISOString(),
  };
}

/** A schedule held at a manual pause (the next update continues it). */
export function isHeld(status: unknown): status is RolloutStatus {
  return !!status && typeof status === "object" && (status as RolloutStatus).phase === "paused";
}
