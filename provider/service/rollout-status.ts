// The `rolloutStatus` output: where a scheduled rollout stands (step, share, when the step started)
// and the last gate's measurements. Plain data; built by schedule.ts, kept by read.
import type { GateDecision } from "./gate";
import type { RejectionRecord } from "./rejection";

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
  /** The canary's own values, inferred from the blend and the primary alone (95% bounds). */
  canary?: { share: number; samples: number; successRate: number; successRateLow: number; successRateHigh: number; p95LatencyMs: number | null };
  /** The primary measured alone before the canary took traffic (null: none, e.g. a resumed rollout). */
  primary?: { requests: number; successRate: number; p95LatencyMs: number | null } | null;
  /** How many measurements the gate took and how many did not pass. */
  measurements?: { planned: number; taken: number; notPassed: number };
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
  /** The version a gate or deadline rolled back, kept so the same program does not roll it out again. */
  rejected?: RejectionRecord;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const roundMs = (value: number | null) => (value === null ? null : Math.round(value));

export function gateRecord(step: number, percent: number, decision: GateDecision, at: Date): GateRecord {
  const measurement = decision.last?.measurement;
  const blend = measurement?.blend ?? { requests: 0, succeeded: 0, successRate: 0, p95LatencyMs: null };
  const canary = measurement?.canary;
  const primary = measurement?.primary;
  return {
    step,
    percent,
    requests: blend.requests,
    succeeded: blend.succeeded,
    successRate: round4(blend.successRate),
    p95LatencyMs: roundMs(blend.p95LatencyMs),
    passed: decision.kind === "pass",
    ...(decision.kind === "fail" || decision.kind === "hold" ? { reason: decision.reason } : {}),
    ...(canary
      ? {
          canary: {
            share: canary.share,
            samples: Math.round(canary.samples),
            successRate: round4(canary.successRate),
            successRateLow: round4(canary.successRateLow),
            successRateHigh: round4(canary.successRateHigh),
            p95LatencyMs: roundMs(canary.p95LatencyMs),
          },
          primary: primary ? { requests: primary.requests, successRate: round4(primary.successRate), p95LatencyMs: roundMs(primary.p95LatencyMs) } : null,
        }
      : {}),
    measurements: decision.tally,
    at: at.toISOString(),
  };
}

/** A schedule held at a manual pause (the next update continues it). */
export function isHeld(status: unknown): status is RolloutStatus {
  return !!status && typeof status === "object" && (status as RolloutStatus).phase === "paused";
}
