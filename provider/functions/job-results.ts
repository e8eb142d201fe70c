// What getJob / listJobs return: the SDK's JobStatus in camelCase. The job's runtime env (which may
// carry secret env vars) and any job token are deliberately left out.
import { z } from "zod";
import { jobRunStateFromBackend, jobStateFromBackend, type JobRunState, type JobState } from "../anyscale/job-state";
import { jobSchema, type JobRunModel } from "../anyscale/job-models";
import { withoutUndefined } from "./service-results";
import type { JobConfig } from "./workload-config";

const optionalString = z.string().nullish();
const optionalNumber = z.number().nullish();

/** The job model plus the fields only data functions read (timestamps, project name, config scalars). */
export const jobDetailsSchema = jobSchema.extend({
  updated_at: optionalString,
  status_updated_at: optionalString,
  project: z.looseObject({ name: optionalString }).nullish(),
  config: z
    .looseObject({
      entrypoint: optionalString,
      max_retries: optionalNumber,
      timeout_s: optionalNumber,
      build_id: optionalString,
      compute_config_id: optionalString,
      runtime_env: z.record(z.string(), z.unknown()).nullish(),
      connection_ids: z.array(z.string()).nullish(),
      priority: optionalNumber,
    })
    .nullish(),
});
export type JobDetailsModel = z.infer<typeof jobDetailsSchema>;

export interface JobRunStatus {
  id: string;
  name?: string;
  state: JobRunState;
  /** The run status as the API reports it (e.g. SUCCEEDED, STOPPED). */
  backendStatus?: string;
  createdAt?: string;
  finishedAt?: string;
}

export interface JobStatus {
  id: string;
  name: string;
  state: JobState;
  /** The backend state (HaJobStates), e.g. OUT_OF_RETRIES where `state` says FAILED. */
  backendState: string;
  goalState?: string;
  error?: string;
  projectId?: string;
  projectName?: string;
  cloudId?: string;
  creatorId?: string;
  creatorEmail?: string;
  createdAt?: string;
  updatedAt?: string;
  statusUpdatedAt?: string;
  archivedAt?: string;
  entrypoint?: string;
  maxRetries?: number;
  timeoutS?: number;
  buildId?: string;
  computeConfigId?: string;
  jobQueueId?: string;
  lastJobRunId?: string;
  /** Oldest first, so the last entry is the latest run. */
  runs: JobRunStatus[];
  /** The job's config as the SDK's JobStatus.config shows it (env var values included); only with `verbose: true`. */
  config?: JobConfig;
}

const present = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

export function toJobRunStatus(run: JobRunModel): JobRunStatus {
  return withoutUndefined({
    id: run.id,
    name: present(run.name),
    state: jobRunStateFromBackend(run.status),
    backendStatus: present(run.status),
    createdAt: present(run.created_at),
    finishedAt: present(run.finished_at),
  });
}

export function toJobStatus(job: JobDetailsModel, runs: readonly JobRunModel[], config?: JobConfig): JobStatus {
  // The maximum retries is reported as -1 when unlimited/unknown; the SDK hides negative values.
  const maxRetries = present(job.config?.max_retries);
  return withoutUndefined({
    id: job.id,
    name: job.name,
    state: jobStateFromBackend(job.state.current_state),
    backendState: job.state.current_state,
    goalState: present(job.state.goal_state),
    error: present(job.state.error),
    projectId: present(job.project_id),
    projectName: present(job.project?.name),
    cloudId: present(job.cloud_id),
    creatorId: present(job.creator_id),
    creatorEmail: present(job.creator?.email),
    createdAt: present(job.created_at),
    updatedAt: present(job.updated_at),
    statusUpdatedAt: present(job.status_updated_at),
    archivedAt: present(job.archived_at),
    entrypoint: present(job.config?.entrypoint),
    maxRetries: maxRetries !== undefined && maxRetries >= 0 ? maxRetries : undefined,
    timeoutS: present(job.config?.timeout_s),
    buildId: present(job.config?.build_id),
    computeConfigId: present(job.config?.compute_config_id),
    jobQueueId: present(job.job_queue_id),
    lastJobRunId: present(job.last_job_run_id),
    runs: runs.map(toJobRunStatus),
    config,
  });
}
