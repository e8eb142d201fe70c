// The schedule planner: pure functions from the declared steps and what the platform shows (the
// canary's weight and where it is heading) to where a rollout stands and what comes next. Resume
// after a killed `pulumi up` relies on this: the platform, not provider memory, says which step.
import { formatDuration, parseDurationMs } from "../core/timeouts";
import { MANUAL_PAUSE, type RolloutStep } from "./rollout-schema";

/** The declared steps, always ending at 100%: a schedule that stops short completes after its last step. */
export function effectiveSteps(steps: readonly RolloutStep[]): RolloutStep[] {
  const last = steps[steps.length - 1];
  return last && last.percent === 100 ? [...steps] : [...steps, { percent: 100 }];
}

/** What the platform shows of the version being rolled out. */
export type ObservedRollout =
  /** Our version is not live (nothing started yet, or it was rolled back). */
  | { kind: "absent" }
  /** Our version is the canary: its configured weight and the weight it is heading to. */
  | { kind: "canary"; weight: number; targetWeight?: number }
  /** Our version is the primary and no canary is left: the rollout is done. */
  | { kind: "primary" };

export type SchedulePosition =
  | { kind: "start" }
  | { kind: "at"; index: number }
  | { kind: "complete" };

/**
 * Where the rollout stands. A canary heading to a step's share is at that step (the move was sent);
 * otherwise it is at the first step whose share is at least its weight: a weight between two steps
 * (someone moved it) continues to the next step up, and a weight equal to a step re-runs that step's
 * pause and gate, since nothing recorded that they finished.
 */
export function locateInSchedule(steps: readonly RolloutStep[], observed: ObservedRollout): SchedulePosition {
  if (observed.kind === "absent") return { kind: "start" };
  if (observed.kind === "primary") return { kind: "complete" };
  const all = effectiveSteps(steps);
  const target = observed.targetWeight;
  if (target !== undefined && target !== observed.weight) {
    const heading = all.findIndex((step) => step.percent === target);
    if (heading >= 0) return { kind: "at", index: heading };
  }
  const index = all.findIndex((step) => step.percent >= observed.weight);
  return { kind: "at", index: index >= 0 ? index : all.length - 1 };
}

export type StepPause = { kind: "none" } | { kind: "timed"; ms: number } | { kind: "manual" };

export function pauseOf(step: RolloutStep): StepPause {
  if (step.pause === undefined) return { kind: "none" };
  if (step.pause === MANUAL_PAUSE) return { kind: "manual" };
  const ms = parseDurationMs(step.pause);
  return ms === undefined ? { kind: "none" } : { kind: "timed", ms };
}

/** What follows once step `index` is RUNNING at its share. */
export type StepAction =
  /** The last step (100%): the version is primary, the rollout is complete. */
  | { kind: "done" }
  /** Hold here until the program changes (gate first, when there is one). */
  | { kind: "hold" }
  /** Wait (and gate) for `pauseMs`, then move to step `next`. */
  | { kind: "advance"; pauseMs: number; next: number };

export function actionAfter(steps: readonly RolloutStep[], index: number): StepAction {
  const all = effectiveSteps(steps);
  if (index >= all.length - 1) return { kind: "done" };
  const pause = pauseOf(all[index]);
  if (pause.kind === "manual") return { kind: "hold" };
  return { kind: "advance", pauseMs: pause.kind === "timed" ? pause.ms : 0, next: index + 1 };
}

/** "step 2 of 3 (50%)": how every message and progress line names a step. */
export function stepLabel(steps: readonly RolloutStep[], index: number): string {
  const all = effectiveSteps(steps);
  return `step ${index + 1} of ${all.length} (${all[index].percent}%)`;
}

/**
 * The step-deadline judgement: how long the wait for a step may last and what running out means.
 * The progress deadline is the step's own bound (running out rolls the canary back); the operation's
 * remaining time bounds everything (running out is an ordinary update timeout).
 */
export function stepBudget(progressDeadlineMs: number | undefined, operationRemainingMs: number): { timeoutMs: number; onTimeout: "progressDeadline" | "operationTimeout" } {
  const remaining = Math.max(0, operationRemainingMs);
  if (progressDeadlineMs !== undefined && progressDeadlineMs <= remaining) return { timeoutMs: progressDeadlineMs, onTimeout: "progressDeadline" };
  return { timeoutMs: remaining, onTimeout: "operationTimeout" };
}

/** Where a step stopped, for the deadline's message: the canary's weight and state, or that it is gone. */
export function describeStop(percent: number, canary: { weight?: number | null; current_state?: string | null } | undefined, deadlineMs: number): string {
  const where = canary ? `it stopped at ${canary.weight ?? 0}% (${canary.current_state ?? "unknown state"})` : "it is no longer live";
  return `the canary was not RUNNING at ${percent}% within progressDeadline ${formatDuration(deadlineMs)}; ${where}`;
}
