// Records -> wire shapes of the SDK's generated models (decorated_production_job.py,
// internal_production_job.py, sdk production_job.py, job_run_summary.py, mini_job_run.py,
// decorated_job_queue.py, job_queue.py, job_queue_job.py). Required fields are always present.
import type { JobQueueRecord, JobRecord, JobRunRecord } from "./records";
import { FAILED_JOB_STATES, isTerminalJobState } from "./wire-enums";

export interface RenderContext {
  baseUrl: string;
  project(id: string): { id: string; name: string; is_default: boolean; directory_name: string };
  user(id: string): { id: string; name: string; username: string; email: string };
  run(id: string): JobRunRecord | undefined;
  queue(id: string): JobQueueRecord | undefined;
  /** 0-based position among the queue's waiting jobs, null when not waiting. */
  positionInQueue(job: JobRecord): number | null;
}

function stateTransition(job: JobRecord) {
  const s = job.state;
  return {
    id: s.id,
    state_transitioned_at: s.state_transitioned_at,
    current_state: s.current_state,
    goal_state: s.goal_state,
    error: s.error,
    operation_message: s.operation_message,
    cluster_id: s.cluster_id,
  };
}

/** The ProductionJob fields shared by every job shape (external /ext/v0 and internal). */
export function renderProductionJob(job: JobRecord, ctx: RenderContext): Record<string, unknown> {
  return {
    id: job.id,
    name: job.name,
    description: job.description,
    created_at: job.created_at,
    updated_at: job.updated_at,
    status_updated_at: job.status_updated_at,
    creator_id: job.creator_id,
    config: job.config,
    job_queue_config: job.job_queue_id ? { priority: job.priority } : null,
    state: stateTransition(job),
    project_id: job.project_id,
    last_job_run_id: job.last_job_run_id,
    schedule_id: null,
    job_queue_id: job.job_queue_id,
    overview_url: `${ctx.baseUrl}/jobs/${job.id}`,
  };
}

export function renderInternalJob(job: JobRecord, ctx: RenderContext): Record<string, unknown> {
  return {
    ...renderProductionJob(job, ctx),
    is_service: false,
    url: null,
    token: null,
    access: null,
    healthcheck_url: null,
    archived_at: job.archived_at,
    cloud_id: job.cloud_id,
    is_imported: false,
    source_job_id: null,
  };
}

export function renderDecoratedJob(job: JobRecord, ctx: RenderContext): Record<string, unknown> {
  const base = renderInternalJob(job, ctx);
  const lastRun = job.last_job_run_id ? ctx.run(job.last_job_run_id) : undefined;
  const queue = job.job_queue_id ? ctx.queue(job.job_queue_id) : undefined;
  const clusterId = job.state.cluster_id;
  return {
    ...base,
    state: { ...stateTransition(job), cluster: clusterId ? { id: clusterId, name: clusterName(clusterId) } : null, ray_dashboard_url: null },
    project: ctx.project(job.project_id),
    creator: ctx.user(job.creator_id),
    last_job_run: lastRun ? renderMiniJobRun(lastRun) : null,
    schedule: null,
    job_queue: job.job_queue_id ? { id: job.job_queue_id, name: queue?.name ?? null } : null,
    integration_details: null,
    connections: [],
    position_in_job_queue: ctx.positionInQueue(job),
    secrets_masked: false,
  };
}

function clusterName(clusterId: string): string {
  return `local-cluster-${clusterId.slice(-8)}`;
}

export function renderMiniJobRun(run: JobRunRecord): Record<string, unknown> {
  return {
    id: run.id,
    ray_session_name: `session_${run.cluster_id}`,
    ray_job_id: run.name,
    name: run.name,
    status: run.status,
    created_at: run.created_at,
    finished_at: run.finished_at,
    ha_job_id: run.ha_job_id,
    ray_job_submission_id: run.name,
    cluster_id: run.cluster_id,
    namespace_id: null,
    environment_id: run.cluster_id,
    project_id: run.project_id,
    creator_id: run.creator_id,
    cluster: { id: run.cluster_id, name: clusterName(run.cluster_id) },
  };
}

/** DecoratedJob (a job run with its cluster), as the legacy `job logs --follow` path reads it. */
export function renderDecoratedJobRun(run: JobRunRecord, ctx: RenderContext): Record<string, unknown> {
  return {
    ...renderMiniJobRun(run),
    inserted_at: run.created_at,
    updated_at: run.finished_at ?? run.started_at ?? run.created_at,
    project: ctx.project(run.project_id),
    creator: ctx.user(run.creator_id),
    namespace: null,
    runtime_environment: { id: run.cluster_id, name: null },
    access: null,
  };
}

/** JobRunSummary, as /api/v2/decorated_ha_jobs/job_runs/search returns. */
export function renderJobRunSummary(run: JobRunRecord): Record<string, unknown> {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    created_at: run.created_at,
    ha_job_id: run.ha_job_id,
    cluster_id: run.cluster_id,
    finished_at: run.finished_at,
    ray_job_submission_id: run.name,
  };
}

/** The external Job model, as /ext/v0/jobs/search returns. */
export function renderExternalJobRun(run: JobRunRecord): Record<string, unknown> {
  return {
    id: run.id,
    ray_session_name: `session_${run.cluster_id}`,
    ray_job_id: run.name,
    name: run.name,
    status: run.status,
    created_at: run.created_at,
    finished_at: run.finished_at,
    ray_job_submission_id: run.name,
    cluster_id: run.cluster_id,
    namespace_id: null,
    runtime_environment_id: run.cluster_id,
    project_id: run.project_id,
    creator_id: run.creator_id,
  };
}

export interface QueueCounts {
  total_jobs: number;
  active_jobs: number;
  successful_jobs: number;
  failed_jobs: number;
}

/** active = not yet finished (waiting or running); failed = OUT_OF_RETRIES or BROKEN. */
export function countQueueJobs(jobs: readonly JobRecord[]): QueueCounts {
  let active = 0;
  let successful = 0;
  let failed = 0;
  for (const job of jobs) {
    const state = job.state.current_state;
    if (!isTerminalJobState(state)) active += 1;
    else if (state === "SUCCESS") successful += 1;
    else if (FAILED_JOB_STATES.has(state)) failed += 1;
  }
  return { total_jobs: jobs.length, active_jobs: active, successful_jobs: successful, failed_jobs: failed };
}

export function renderDecoratedQueue(queue: JobQueueRecord, counts: QueueCounts): Record<string, unknown> {
  return {
    id: queue.id,
    user_provided_id: queue.user_provided_id,
    name: queue.name,
    current_job_queue_state: queue.state,
    execution_mode: queue.execution_mode,
    max_concurrency: queue.max_concurrency,
    idle_timeout_sec: queue.idle_timeout_sec,
    auto_termination_threshold_job_count: queue.auto_termination_threshold_job_count,
    created_at: queue.created_at,
    creator_id: queue.creator_id,
    creator_email: queue.creator_email,
    compute_config_id: queue.compute_config_id,
    current_cluster_state: queue.cluster_state,
    cluster_id: queue.cluster_id,
    project_id: queue.project_id,
    cloud_id: queue.cloud_id,
    sealed_at: queue.sealed_at,
    ...counts,
  };
}

/** The plain JobQueue model, as POST /api/v2/job_queues/create returns. */
export function renderQueue(queue: JobQueueRecord): Record<string, unknown> {
  return {
    id: queue.id,
    name: queue.name,
    user_provided_id: queue.user_provided_id,
    created_at: queue.created_at,
    creator_id: queue.creator_id,
    project_id: queue.project_id,
    cloud_id: queue.cloud_id,
    compute_config_id: queue.compute_config_id,
    cluster_environment_build_id: queue.cluster_environment_build_id,
    max_concurrency: queue.max_concurrency,
    idle_timeout_sec: queue.idle_timeout_sec,
    execution_mode: queue.execution_mode,
    state: queue.state,
  };
}

/** JobQueueJob, as GET /api/v2/job_queues/{id}/jobs returns. */
export function renderQueueJob(job: JobRecord, queue: JobQueueRecord, ctx: RenderContext): Record<string, unknown> {
  const lastRun = job.last_job_run_id ? ctx.run(job.last_job_run_id) : undefined;
  return {
    id: job.id,
    name: job.name,
    archived_at: job.archived_at,
    project_id: job.project_id,
    cloud_id: job.cloud_id,
    created_at: job.created_at,
    state: { current_state: job.state.current_state, goal_state: job.state.goal_state, state_transitioned_at: job.state.state_transitioned_at },
    creator: ctx.user(job.creator_id),
    job_queue_config: {
      priority: job.priority,
      job_queue_spec: {
        name: queue.name,
        execution_mode: queue.execution_mode,
        compute_config: queue.compute_config_id,
        max_concurrency: queue.max_concurrency,
        idle_timeout_s: queue.idle_timeout_sec,
      },
    },
    position_in_job_queue: ctx.positionInQueue(job),
    last_job_run: lastRun ? { id: lastRun.id, created_at: lastRun.created_at, finished_at: lastRun.finished_at } : null,
  };
}
