// Backend (HaJobStates) → the SDK's user-facing JobState, exactly as anyscale/job/_private/job_sdk.py
// maps them, plus the run-status mapping. Unknown values become UNKNOWN instead of throwing, because
// the API grows new states and a refresh must not crash on one.

export const JOB_STATES = ["STARTING", "RUNNING", "FAILED", "SUCCEEDED", "TERMINATED", "UNKNOWN"] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_RUN_STATES = ["STARTING", "RUNNING", "FAILED", "SUCCEEDED", "UNKNOWN"] as const;
export type JobRunState = (typeof JOB_RUN_STATES)[number];

const BACKEND_TO_JOB_STATE: Record<string, JobState> = {
  PENDING: "STARTING",
  AWAITING_CLUSTER_START: "STARTING",
  UPDATING: "RUNNING",
  RUNNING: "RUNNING",
  RESTARTING: "RUNNING",
  CLEANING_UP: "RUNNING",
  // ERRORED is transient: the job restarts while retries remain, so it is not a failure yet.
  ERRORED: "RUNNING",
  SUCCESS: "SUCCEEDED",
  TERMINATED: "TERMINATED",
  BROKEN: "FAILED",
  OUT_OF_RETRIES: "FAILED",
};

const BACKEND_TO_RUN_STATE: Record<string, JobRunState> = {
  RUNNING: "RUNNING",
  COMPLETED: "SUCCEEDED",
  PENDING: "STARTING",
  STOPPED: "FAILED",
  SUCCEEDED: "SUCCEEDED",
  FAILED: "FAILED",
  UNKNOWN: "UNKNOWN",
};

export function jobStateFromBackend(backendState: string | null | undefined): JobState {
  return (backendState && BACKEND_TO_JOB_STATE[backendState]) || "UNKNOWN";
}

export function jobRunStateFromBackend(backendStatus: string | null | undefined): JobRunState {
  return (backendStatus && BACKEND_TO_RUN_STATE[backendStatus]) || "UNKNOWN";
}

/** States after which a job never runs again on its own. */
export function isFinalJobState(state: JobState): boolean {
  return state === "SUCCEEDED" || state === "FAILED" || state === "TERMINATED";
}

/**
 * Backend states in which archive and delete are accepted. The SDK's TERMINAL_HA_JOB_STATES omits
 * BROKEN, but nothing moves a BROKEN job on, so the provider treats it as final too.
 */
export const BACKEND_FINAL_STATES: ReadonlySet<string> = new Set(["SUCCESS", "TERMINATED", "OUT_OF_RETRIES", "BROKEN"]);
