// Pure rules for waiting on a submitted job, replayable over recorded state sequences.
import { statelessRules, type WaitDecision, type WaitRules } from "../core/waiter";
import { BACKEND_FINAL_STATES, jobStateFromBackend, type JobState } from "../anyscale/job-state";
import type { WaitFor } from "./schema";

/** What one poll of the job shows. */
export interface JobObservation {
  /** Backend HaJobStates value, e.g. AWAITING_CLUSTER_START. */
  backendState: string;
  /** The platform's explanation when a job errors, fails or is terminated. */
  error?: string | null;
  /** The newest line of the run's log (masked), when the wait follows the log. */
  newestLogLine?: string;
}

function describeState(observed: JobObservation): string {
  const state = jobStateFromBackend(observed.backendState);
  return state === observed.backendState ? state : `${state} (${observed.backendState})`;
}

function failureReason(state: JobState, observed: JobObservation): string {
  const why = observed.error ? `: ${observed.error}` : "";
  if (state === "TERMINATED") return `the job was terminated before it finished${why}`;
  return `the job ${describeState(observed)} failed${why}`;
}

/**
 * The SDK's `job.wait` target states (anyscale JobState) as lowercase waitFor values, in the order a
 * job passes through them: a job seen RUNNING has been STARTING, one seen SUCCEEDED has been both.
 */
const PROGRESSION: readonly JobState[] = ["STARTING", "RUNNING", "SUCCEEDED"];
const ENDED: ReadonlySet<JobState> = new Set(["SUCCEEDED", "FAILED", "TERMINATED"]);

function targetState(waitFor: Exclude<WaitFor, "submitted">): JobState {
  return waitFor.toUpperCase() as JobState;
}

function reached(state: JobState, target: JobState): boolean {
  if (state === target) return true;
  const at = PROGRESSION.indexOf(state);
  const wanted = PROGRESSION.indexOf(target);
  return at >= 0 && wanted >= 0 && at >= wanted;
}

/** Decision for one observation: the target reached, a state the job can never leave, or keep polling. */
export function decideJobWait(observed: JobObservation, waitFor: WaitFor): WaitDecision<JobState> {
  const state = jobStateFromBackend(observed.backendState);
  if (waitFor === "submitted") return { kind: "success", result: state, summary: `job submitted (${describeState(observed)})` };
  const target = targetState(waitFor);
  if (reached(state, target)) return { kind: "success", result: state, summary: state === "SUCCEEDED" ? "job succeeded" : `job is ${describeState(observed)}` };
  if (ENDED.has(state)) {
    // Waiting for a failure or a termination, an ended job of another kind is not the job's failure.
    if (target === "FAILED" || target === "TERMINATED" || target === "UNKNOWN") {
      return { kind: "failure", reason: `the job ended ${describeState(observed)}, so it will never be ${target} (waitFor: "${waitFor}")` };
    }
    return { kind: "failure", reason: failureReason(state, observed) };
  }
  // UNKNOWN is a state this provider does not know yet, not a verdict: keep waiting, say so.
  const followed = observed.newestLogLine ? ` · ${observed.newestLogLine}` : "";
  return { kind: "retry", progress: `job is ${describeState(observed)}${followed}` };
}

export function jobWaitRules(waitFor: WaitFor): WaitRules<JobObservation, undefined, JobState> {
  return statelessRules((observed: JobObservation) => decideJobWait(observed, waitFor));
}

/** Deleting a job that is still going: terminate, then wait until it is final (or gone) before archiving or deleting it. */
export function jobStoppedRules(): WaitRules<JobModelState | null, undefined, JobModelState | null> {
  return statelessRules((observed: JobModelState | null) =>
    observed === null || BACKEND_FINAL_STATES.has(observed.state.current_state)
      ? { kind: "success", result: observed, summary: "job stopped" }
      : { kind: "retry", progress: `job is ${observed.state.current_state}` },
  );
}

/** The part of a job model the stop rule reads. */
export interface JobModelState {
  state: { current_state: string };
  archived_at?: string | null;
}
