// What the job side of the local plane keeps in the durable store. Wire shapes are rendered
// from these by render.ts; these stay close to the wire so rendering is a plain mapping.
import type { ClusterState, HaJobGoalState, HaJobState, JobQueueExecutionMode, JobQueueState, JobRunStatus } from "./wire-enums";

export const JOBS = "jobs";
export const JOB_RUNS = "job_runs";
export const JOB_QUEUES = "job_queues";

export interface JobStateRecord {
  id: string;
  current_state: HaJobState;
  goal_state: HaJobGoalState;
  state_transitioned_at: string;
  error: string | null;
  operation_message: string | null;
  cluster_id: string | null;
}

export interface JobRecord {
  id: string;
  name: string;
  description: string | null;
  project_id: string;
  cloud_id: string;
  creator_id: string;
  workspace_id: string | null;
  created_at: string;
  updated_at: string;
  status_updated_at: string;
  archived_at: string | null;
  ended_at: string | null;
  /** The production job config as submitted, with build/compute defaults and max_retries filled in. */
  config: Record<string, unknown> & { entrypoint: string; max_retries: number; timeout_s?: number | null };
  priority: number | null;
  job_queue_id: string | null;
  /** Monotonic submission sequence: FIFO/LIFO order independent of clock resolution. */
  submit_seq: number;
  state: JobStateRecord;
  last_job_run_id: string | null;
  /** Runs started so far (the first run is attempt 1). */
  attempts: number;
}

export interface JobRunRecord {
  id: string;
  name: string;
  ha_job_id: string;
  project_id: string;
  creator_id: string;
  cluster_id: string;
  status: JobRunStatus;
  attempt: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  /** Why the run ended when it did not simply exit 0 (failure, timeout, terminate, lost process). */
  error: string | null;
  /** Process group leader; used after a restart to find a process that outlived the server. */
  pid: number | null;
  log_file: string;
}

export interface JobQueueRecord {
  id: string;
  name: string;
  user_provided_id: string | null;
  project_id: string;
  cloud_id: string;
  creator_id: string;
  creator_email: string;
  compute_config_id: string;
  cluster_environment_build_id: string;
  execution_mode: JobQueueExecutionMode;
  max_concurrency: number;
  idle_timeout_sec: number;
  auto_termination_threshold_job_count: number | null;
  state: JobQueueState;
  created_at: string;
  sealed_at: string | null;
  cluster_id: string | null;
  cluster_state: ClusterState;
  /** When the queue's cluster last became idle (no active jobs); drives idle_timeout_sec. */
  idle_since: string | null;
}
