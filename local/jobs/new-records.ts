// Pure: the records of a newly submitted job and a newly created queue, from the request and the ids
// the engine resolved.
import type { UserRecord } from "../catalog/seed";
import { newState } from "./job-transition";
import type { JobQueueRecord, JobRecord } from "./records";
import type { CreateJobBody } from "./schemas";

export interface NewJobIds {
  id: string;
  projectId: string;
  cloudId: string;
  creatorId: string;
  buildId: string;
  computeConfigId: string;
  queueId: string | null;
  /** Submission order, for FIFO/LIFO scheduling. */
  seq: number;
}

export function newJobRecord(body: CreateJobBody, ids: NewJobIds): JobRecord {
  const now = new Date().toISOString();
  return {
    id: ids.id,
    name: body.name,
    description: body.description ?? null,
    project_id: ids.projectId,
    cloud_id: ids.cloudId,
    creator_id: ids.creatorId,
    workspace_id: body.workspace_id ?? null,
    created_at: now,
    updated_at: now,
    status_updated_at: now,
    archived_at: null,
    ended_at: null,
    config: {
      ...body.config,
      entrypoint: body.config.entrypoint,
      build_id: ids.buildId,
      compute_config_id: ids.computeConfigId,
      // The SDK always sends max_retries (default 1); other clients get the same default.
      max_retries: body.config.max_retries ?? 1,
    },
    priority: body.job_queue_config?.priority ?? body.config.priority ?? null,
    job_queue_id: ids.queueId,
    submit_seq: ids.seq,
    state: newState("PENDING", "SUCCESS", null),
    last_job_run_id: null,
    attempts: 0,
  };
}

export interface NewQueueOptions {
  name: string | undefined;
  projectId: string;
  cloudId: string;
  computeConfigId: string;
  buildId: string;
  spec: { execution_mode?: JobQueueRecord["execution_mode"] | null; max_concurrency?: number | null; idle_timeout_sec: number; auto_termination_threshold_job_count?: number | null };
}

export function newQueueRecord(opts: NewQueueOptions, id: string, creator: Pick<UserRecord, "id" | "email">): JobQueueRecord {
  return {
    id,
    name: opts.name ?? `job-queue-${id.slice(-8)}`,
    user_provided_id: null,
    project_id: opts.projectId,
    cloud_id: opts.cloudId,
    creator_id: creator.id,
    creator_email: creator.email,
    compute_config_id: opts.computeConfigId,
    cluster_environment_build_id: opts.buildId,
    execution_mode: opts.spec.execution_mode ?? "FIFO",
    max_concurrency: opts.spec.max_concurrency ?? 1,
    idle_timeout_sec: opts.spec.idle_timeout_sec,
    auto_termination_threshold_job_count: opts.spec.auto_termination_threshold_job_count ?? null,
    state: "ACTIVE",
    created_at: new Date().toISOString(),
    sealed_at: null,
    cluster_id: null,
    cluster_state: "Terminated",
    idle_since: null,
  };
}
