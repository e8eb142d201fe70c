// Pure: the JobQueue resource's outputs from the platform's DecoratedJobQueue.
import type { JobQueueModel } from "../anyscale/job-queue-models";
import type { JobQueueComputed } from "./output-schema";

/** Typed by the declaration: a key it lacks, or one it does not declare, fails to compile. */
export function observedQueueOutputs(queue: JobQueueModel): JobQueueComputed {
  // Every declared key, each of its declared type (an absent optional value is dropped below).
  const outputs: Record<keyof JobQueueComputed, unknown> & Partial<JobQueueComputed> = {
    queueId: queue.id,
    state: queue.current_job_queue_state,
    totalJobs: queue.total_jobs ?? 0,
    activeJobs: queue.active_jobs ?? 0,
    successfulJobs: queue.successful_jobs ?? 0,
    failedJobs: queue.failed_jobs ?? 0,
    createdAt: queue.created_at ?? undefined,
    creatorId: queue.creator_id ?? undefined,
    projectId: queue.project_id ?? undefined,
    cloudId: queue.cloud_id ?? undefined,
    computeConfigId: queue.compute_config_id ?? undefined,
    clusterState: queue.current_cluster_state ?? undefined,
  };
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined)) as JobQueueComputed;
}

/** The inputs the platform's copy of a queue implies (refresh and `JobQueue.get`). */
export function liveQueueInputs(queue: JobQueueModel): Record<string, unknown> {
  return {
    name: queue.name ?? undefined,
    executionMode: queue.execution_mode,
    maxConcurrency: queue.max_concurrency,
    idleTimeoutS: queue.idle_timeout_sec,
  };
}
