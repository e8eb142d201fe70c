// Backend enum values exactly as the Anyscale API reports them (anyscale SDK models
// ha_job_states.py, ha_job_goal_states.py, base_job_status.py, job_queue_*.py, session_state.py).

export const HA_JOB_STATES = [
  "PENDING",
  "AWAITING_CLUSTER_START",
  "UPDATING",
  "RUNNING",
  "SUCCESS",
  "ERRORED",
  "TERMINATED",
  "CLEANING_UP",
  "BROKEN",
  "OUT_OF_RETRIES",
  "RESTARTING",
] as const;
export type HaJobState = (typeof HA_JOB_STATES)[number];

export type HaJobGoalState = "SCHEDULED" | "RUNNING" | "TERMINATED" | "SUCCESS";

/**
 * States a job never leaves. BROKEN is included although the SDK's own TERMINAL_HA_JOB_STATES
 * omits it: nothing moves a BROKEN job on, so archive/delete must accept it.
 */
export const TERMINAL_JOB_STATES: ReadonlySet<HaJobState> = new Set<HaJobState>(["SUCCESS", "TERMINATED", "OUT_OF_RETRIES", "BROKEN"]);
export const FAILED_JOB_STATES: ReadonlySet<HaJobState> = new Set<HaJobState>(["OUT_OF_RETRIES", "BROKEN"]);

export function isTerminalJobState(state: HaJobState): boolean {
  return TERMINAL_JOB_STATES.has(state);
}

/** Job run status (BaseJobStatus). A run stopped by terminate or timeout is STOPPED/FAILED. */
export type JobRunStatus = "RUNNING" | "COMPLETED" | "PENDING" | "STOPPED" | "SUCCEEDED" | "FAILED" | "UNKNOWN";

export const JOB_QUEUE_EXECUTION_MODES = ["FIFO", "LIFO", "PRIORITY"] as const;
export type JobQueueExecutionMode = (typeof JOB_QUEUE_EXECUTION_MODES)[number];

export type JobQueueState = "ACTIVE" | "SEALED";

/** SessionState values the local plane uses for a queue's shared cluster. */
export type ClusterState = "Terminated" | "StartingUp" | "Running";

export const HA_JOBS_SORT_FIELDS = ["STATUS", "CREATED_AT", "LAST_UPDATED_AT", "LAST_STATUS_UPDATED_AT", "ENDED_AT", "NAME", "ID"] as const;
export type HaJobsSortField = (typeof HA_JOBS_SORT_FIELDS)[number];

export const JOB_QUEUE_SORT_FIELDS = ["ID", "NAME", "CREATED_AT", "CREATOR_ID", "CREATOR_EMAIL", "PROJECT_ID", "CLOUD_ID", "QUEUE_STATE", "CLUSTER_STATE"] as const;
export type JobQueueSortField = (typeof JOB_QUEUE_SORT_FIELDS)[number];

export const JOB_RUN_SORT_FIELDS = ["CREATED_AT", "FINISHED_AT", "NAME"] as const;
export type JobRunSortField = (typeof JOB_RUN_SORT_FIELDS)[number];

export const SORT_ORDERS = ["ASC", "DESC"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const ARCHIVE_STATUSES = ["ARCHIVED", "NOT_ARCHIVED", "ALL"] as const;
export type ArchiveStatus = (typeof ARCHIVE_STATUSES)[number];
