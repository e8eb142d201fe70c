// Pure: the CreateJobQueueRequests body (anyscale SDK create_job_queue_requests.py).
import type { NormalizedJobQueueInputs } from "./schema";

export interface ResolvedQueueIds {
  projectId: string;
  computeConfigId: string;
  buildId: string;
}

export function buildCreateQueueBody(
  inputs: NormalizedJobQueueInputs,
  ids: ResolvedQueueIds,
  ownershipTags: Record<string, string>,
): Record<string, unknown> {
  return {
    job_queue_name: inputs.name,
    execution_mode: inputs.executionMode,
    compute_config_id: ids.computeConfigId,
    cluster_environment_build_id: ids.buildId,
    max_concurrency: inputs.maxConcurrency,
    idle_timeout_sec: inputs.idleTimeoutS,
    auto_termination_threshold_job_count: inputs.autoTerminationThresholdJobCount,
    project_id: ids.projectId,
    tags: { ...inputs.tags, ...ownershipTags },
  };
}
