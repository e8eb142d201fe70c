// Generic waiter. Judging an observed state is a pure reducer (`WaitRules`), so every rule set can be
// tested by replaying recorded state sequences; only `waitFor` touches the clock and the network.
import { WaitError } from "./errors";
import { reportProgress } from "./progress";
import { formatDuration } from "./timeouts";

export type WaitDecision<Result> =
  | { kind: "success"; result: Result; summary: string }
  | { kind: "failure"; reason: string }
  | { kind: "retry"; progress: string };

/**
 * Pure judgement of one observation. `memory` carries what earlier observations taught (e.g. "the new
 * version has been seen"), so a rule can tell a stale state from a fresh one without global state.
 */
export interface WaitRules<Observed, Memory, Result> {
  initialMemory: Memory;
  decide(observed: Observed, memory: Memory): { decision: WaitDecision<Result>; memory: Memory };
}

/** Rules that need no memory. */
export function statelessRules<Observed, Result>(
  decide: (observed: Observed) => WaitDecision<Result>,
): WaitRules<Observed, undefined, Result> {
  return { initialMemory: undefined, decide: (observed) => ({ decision: decide(observed), memory: undefined }) };
}

/**
 * Feeds a recorded sequence of observations through the rules; returns the first final decision and its
 * index, or the last retry when the sequence ends first (what a timeout would report).
 */
export function replay<Observed, Memory, Result>(
  rules: WaitRules<Observed, Memory, Result>,
  observations: readonly Observed[],
): { decision: WaitDecision<Result>; index: number } {
  let memory = rules.initialMemory;
  let last: { decision: WaitDecision<Result>; index: number } = {
    decision: { kind: "retry", progress: "nothing observed" },
    index: -1,
  };
  for (let index = 0; index < observations.length; index++) {
    const step = rules.decide(observations[index], memory);
    memory = step.memory;
    last = { decision: step.decision, index };
    if (step.decision.kind !== "retry") return last;
  }
  return last;
}

export interface PollSchedule {
  /** First delay between polls. */
  initialDelayMs: number;
  /** Delays grow ×factor up to this cap. */
  maxDelayMs: number;
  factor?: number;
  /** 0..1: each delay is randomized by ±jitter×delay so parallel waiters do not poll in lockstep. */
  jitter?: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialDelayMs: 2000, maxDelayMs: 10_000, factor: 1.5, jitter: 0.2 };

/** Pure: the delay before poll number `attempt` (0-based) given a random number in [0,1). */
export function pollDelayMs(schedule: PollSchedule, attempt: number, random: number): number {
  const factor = schedule.factor ?? 1.5;
  const base = Math.min(schedule.maxDelayMs, schedule.initialDelayMs * Math.pow(factor, attempt));
  const jitter = schedule.jitter ?? 0;
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random - 1))));
}

export interface WaitClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    }),
  random: () => Math.random(),
};

export interface WaitOptions<Observed, Memory, Result> {
  /** What is being waited for, used in messages: "service my-svc to finish its rollout". */
  description: string;
  observe: () => Promise<Observed>;
  rules: WaitRules<Observed, Memory, Result>;
  timeoutMs: number;
  schedule?: PollSchedule;
  /** Called with each retry's progress text when it changes (for logs); it also goes to core/progress. */
  onProgress?: (progress: string) => void;
  /** Describes an observation for the error's "left in" part. */
  describe?: (observed: Observed) => string;
  signal?: AbortSignal;
  clock?: WaitClock;
}

export interface WaitSuccess<Observed, Result> {
  result: Result;
  observed: Observed;
  summary: string;
  polls: number;
}

/**
 * Polls until the rules decide. Failures and timeouts throw WaitError carrying the last observation,
 * the poll count and where things were left, so the caller can record partial state.
 * Errors thrown by `observe` propagate (the HTTP layer has already retried transient ones).
 */
export async function waitFor<Observed, Memory, Result>(
  options: WaitOptions<Observed, Memory, Result>,
): Promise<WaitSuccess<Observed, Result>> {
  const clock = options.clock ?? realClock;
  const schedule = options.schedule ?? DEFAULT_POLL_SCHEDULE;
  const deadline = clock.now() + options.timeoutMs;
  let memory = options.rules.initialMemory;
  let lastProgress = "";
  let polls = 0;
  for (;;) {
    if (options.signal?.aborted) {
      throw new WaitError("aborted", `Stopped waiting for ${options.description} after ${polls} polls (cancelled).`);
    }
    const observed = await options.observe();
    polls++;
    const step = options.rules.decide(observed, memory);
    memory = step.memory;
    const decision = step.decision;
    if (decision.kind === "success") return { result: decision.result, observed, summary: decision.summary, polls };
    const leftIn = options.describe ? ` Last observed: ${options.describe(observed)}.` : "";
    if (decision.kind === "failure") {
      throw new WaitError("failure", `${capitalize(options.description)} failed: ${decision.reason}.${leftIn}`, observed);
    }
    if (decision.progress !== lastProgress) {
      lastProgress = decision.progress;
      options.onProgress?.(decision.progress);
      reportProgress(decision.progress);
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new WaitError(
        "timeout",
        `Timed out after ${formatDuration(options.timeoutMs)} (${polls} polls) waiting for ${options.description}; ` +
          `still ${decision.progress}.${leftIn}`,
        observed,
      );
    }
    await clock.sleep(Math.min(remaining, pollDelayMs(schedule, polls - 1, clock.random())), options.signal);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
