// Pure: the Job resource's outputs from what the platform reports, next to the inputs they came
// from (the engine diffs the next program against these, so every input is echoed back).
import { jobRunStateFromBackend, jobStateFromBackend, type JobRunState, type JobState } from "../anyscale/job-state";
import type { JobModel, JobRunModel } from "../anyscale/job-models";
import { DEFAULT_MAX_RETRIES } from "./request-body";
import { JOB_OUTPUT_FIELDS } from "./schema";

// The list itself is part of the resource's public face (schema.ts), which the SDK class reads.
export { JOB_OUTPUT_FIELDS };

/** The new inputs echoed beside the outputs last observed: an update that asks the platform nothing. */
export function recordedOutputs(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _provider, ...inputs } = news;
  const observed = Object.fromEntries(JOB_OUTPUT_FIELDS.filter((field) => olds[field] !== undefined).map((field) => [field, olds[field]]));
  return { ...inputs, ...observed };
}

export interface JobRunOutput {
  id: string;
  name: string;
  state: JobRunState;
}

export interface ObservedJobOutputs {
  state: JobState;
  /** The platform's own state name (HaJobStates), for detail the SDK's JobState folds away. */
  backendState: string;
  /** The platform's explanation of a failure or termination; absent when there is none. */
  error?: string;
  runs: JobRunOutput[];
  lastRunId?: string;
  /** Email of the user who submitted the job. */
  creator?: string;
  creatorId?: string;
  createdAt?: string;
  projectId?: string;
  cloudId?: string;
  jobQueueId?: string;
  archived: boolean;
  logTail: string;
  /** Why the log could not be read (the endpoint and status), when it could not. */
  logError?: string;
}

export function runsToOutputs(runs: readonly JobRunModel[]): JobRunOutput[] {
  return runs.map((run) => ({ id: run.id, name: run.name ?? run.id, state: jobRunStateFromBackend(run.status) }));
}

export function observedJobOutputs(job: JobModel, runs: readonly JobRunModel[], logTail: string, logError?: string): ObservedJobOutputs {
  const outputs: ObservedJobOutputs = {
    state: jobStateFromBackend(job.state.current_state),
    backendState: job.state.current_state,
    error: job.state.error ?? undefined,
    runs: runsToOutputs(runs),
    lastRunId: job.last_job_run_id ?? runs[runs.length - 1]?.id,
    creator: job.creator?.email ?? undefined,
    creatorId: job.creator_id ?? undefined,
    createdAt: job.created_at ?? undefined,
    projectId: job.project_id ?? undefined,
    cloudId: job.cloud_id ?? undefined,
    jobQueueId: job.job_queue_id ?? undefined,
    archived: Boolean(job.archived_at),
    logTail,
    logError,
  };
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined)) as unknown as ObservedJobOutputs;
}

/**
 * Inputs reconstructed from the platform's copy of the job, for `Job.get` (a job this program did
 * not create). Uploaded directories come back as their storage URIs.
 */
export function inputsFromJobModel(job: JobModel): Record<string, unknown> {
  const config = (job.config ?? {}) as Record<string, unknown>;
  const runtimeEnv = (config.runtime_env ?? {}) as Record<string, unknown>;
  const queueConfig = (job.job_queue_config ?? {}) as Record<string, unknown>;
  const inputs: Record<string, unknown> = {
    name: job.name,
    entrypoint: config.entrypoint,
    workingDir: runtimeEnv.working_dir,
    pyModules: runtimeEnv.py_modules,
    requirements: runtimeEnv.pip,
    envVars: runtimeEnv.env_vars,
    pyExecutable: runtimeEnv.py_executable,
    maxRetries: typeof config.max_retries === "number" && config.max_retries >= 0 ? config.max_retries : DEFAULT_MAX_RETRIES,
    timeoutS: config.timeout_s,
    priority: config.priority,
    jobQueue: job.job_queue_id ? { targetJobQueueId: job.job_queue_id, priority: queueConfig.priority ?? undefined } : undefined,
  };
  return Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined && value !== null));
}
