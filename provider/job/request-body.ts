// Pure: the CreateInternalProductionJob body (anyscale SDK create_internal_production_job.py,
// create_production_job_config.py, create_job_queue_config.py, job_queue_spec.py) from checked inputs
// and the ids the platform resolved for them.
import type { JobInputs, JobQueueInput } from "./schema";
import { SUBMISSION_KEY_TAG } from "./submission-key";

/** The SDK's current default when max_retries is not given (it warns it will become 0). */
export const DEFAULT_MAX_RETRIES = 1;
/** JobQueueSpec defaults in the SDK. */
export const DEFAULT_EXECUTION_MODE = "FIFO";
export const DEFAULT_MAX_CONCURRENCY = 1;

export interface ResolvedJobIds {
  projectId: string;
  computeConfigId: string;
  buildId: string;
  connectionIds?: string[];
  /** Compute config of an inline queue spec that names one. */
  queueComputeConfigId?: string;
}

export interface RuntimeEnv {
  working_dir?: string;
  /** What the user wrote, recorded next to the uploaded URI as the SDK does (the console shows it). */
  user_provided_working_dir?: string;
  py_modules?: string[];
  user_provided_py_modules?: string[];
  excludes?: string[];
  pip?: string[];
  env_vars?: Record<string, string>;
  py_executable?: string;
}

export function buildJobQueueConfig(queue: JobQueueInput | undefined, queueComputeConfigId?: string): Record<string, unknown> | undefined {
  if (!queue) return undefined;
  const spec = queue.jobQueueSpec;
  return {
    priority: queue.priority,
    // The id is exact; the name is what the SDK sends. Both go when both are known, so a server that
    // only reads one of them still finds the queue (the local plane checks that they agree).
    target_job_queue_id: queue.targetJobQueueId,
    target_job_queue_name: queue.targetJobQueueName,
    job_queue_spec: spec
      ? {
          job_queue_name: spec.name,
          execution_mode: spec.executionMode ?? DEFAULT_EXECUTION_MODE,
          compute_config_id: queueComputeConfigId,
          max_concurrency: spec.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
          idle_timeout_sec: spec.idleTimeoutS,
          auto_termination_threshold_job_count: spec.autoTerminationThresholdJobCount,
        }
      : undefined,
  };
}

export function buildSubmitJobBody(
  inputs: JobInputs & { name: string },
  ids: ResolvedJobIds,
  runtimeEnv: RuntimeEnv | undefined,
  submissionKey: string,
): Record<string, unknown> {
  const hasRuntimeEnv = runtimeEnv !== undefined && Object.values(runtimeEnv).some((value) => value !== undefined);
  return {
    name: inputs.name,
    project_id: ids.projectId,
    config: {
      entrypoint: inputs.entrypoint,
      runtime_env: hasRuntimeEnv ? runtimeEnv : undefined,
      build_id: ids.buildId,
      compute_config_id: ids.computeConfigId,
      max_retries: inputs.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout_s: inputs.timeoutS,
      connection_ids: ids.connectionIds,
      priority: inputs.priority,
    },
    job_queue_config: buildJobQueueConfig(inputs.jobQueue, ids.queueComputeConfigId),
    tags: { ...inputs.tags, [SUBMISSION_KEY_TAG]: submissionKey },
  };
}
