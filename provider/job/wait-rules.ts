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

/** Decision for one observation: the target reached, a state the job can never leave, or keep polling. */
export function decideJobWait(observed: JobObservation, waitFor: WaitFor): WaitDecision<JobState> {
  const state = jobStateFromBackend(observed.backendState);
  if (waitFor === "submitted") return { kind: "success", result: state, summary: `job submitted (${describeState(observed)})` };
  if (state === "FAILED" || state === "TERMINATED") return { kind: "failure", reason: failureReason(state, observed) };
  if (state === "SUCCEEDED") return { kind: "success", result: state, summary: "job succeeded" };
  // A job that already finished successfully has been running, so "running" is reached too.
  if (waitFor === "running" && state === "RUNNING") return { kind: "success", result: state, summary: "job is running" };
  // UNKNOWN is a state this provider does not know yet, not a verdict: keep waiting, say so.
  return { kind: "retry", progress: `job is ${describeState(observed)}` };
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
