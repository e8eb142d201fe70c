// What getJob / listJobs return: the SDK's JobStatus in camelCase. The job's runtime env (which may
// carry secret env vars) and any job token are deliberately left out.
import { z } from "zod";
import { JOB_RUN_STATES, JOB_STATES, jobRunStateFromBackend, jobStateFromBackend } from "../anyscale/job-state";
import { jobSchema, type JobRunModel } from "../anyscale/job-models";
import { withoutUndefined } from "./service-results";
import { jobConfigSchema, type JobConfig } from "./workload-config-schemas";

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

const text = (description: string) => z.string().optional().meta({ description });

export const jobRunStatusSchema = z.strictObject({
  id: z.string().meta({ description: "The run's id." }),
  name: text("The run's name (what getJobLogs' `run` takes)."),
  state: z.enum(JOB_RUN_STATES).meta({ description: `The run's state: ${JOB_RUN_STATES.join(", ")}.` }),
  backendStatus: text("The run status as the API reports it (e.g. SUCCEEDED, STOPPED)."),
  createdAt: text("When the run started (ISO 8601)."),
  finishedAt: text("When the run finished (ISO 8601)."),
}).meta({ id: "JobRunStatus" });
export type JobRunStatus = z.infer<typeof jobRunStatusSchema>;

export const jobStatusSchema = z.strictObject({
  id: z.string().meta({ description: "The job's id." }),
  name: z.string().meta({ description: "The job's name." }),
  state: z.enum(JOB_STATES).meta({ description: `The job's state: ${JOB_STATES.join(", ")}.` }),
  backendState: z.string().meta({ description: "The backend state (HaJobStates), e.g. OUT_OF_RETRIES where `state` says FAILED." }),
  goalState: text("The state the platform is moving the job to."),
  error: text("The platform's error for the job."),
  projectId: text("Id of the job's project."),
  projectName: text("The project's name."),
  cloudId: text("Id of the job's cloud."),
  creatorId: text("Id of the creator."),
  creatorEmail: text("Email of the creator."),
  createdAt: text("When the job was submitted (ISO 8601)."),
  updatedAt: text("When the job last changed (ISO 8601)."),
  statusUpdatedAt: text("When the job's state last changed (ISO 8601)."),
  archivedAt: text("When the job was archived (ISO 8601)."),
  entrypoint: text("The command the job runs."),
  maxRetries: z.number().optional().meta({ description: "Retries allowed after a failed run (absent when unlimited or unknown)." }),
  timeoutS: z.number().optional().meta({ description: "Timeout of one run, in seconds." }),
  buildId: text("Id of the image build the job runs."),
  computeConfigId: text("Id of the compute config version the job runs on."),
  jobQueueId: text("Id of the job queue the job was submitted to."),
  lastJobRunId: text("Id of the job's latest run."),
  runs: z.array(jobRunStatusSchema).meta({ description: "The job's runs, oldest first (the last entry is the latest run)." }),
  config: jobConfigSchema.optional().meta({ description: "The job's config as `anyscale job status -v` shows it (env var values included); only with `verbose: true`." }),
}).meta({ id: "JobStatus" });
export type JobStatus = z.infer<typeof jobStatusSchema>;

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
