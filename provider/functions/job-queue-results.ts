// What getJobQueue / listJobQueues return: the SDK's JobQueueStatus in camelCase.
import type { JobQueueModel } from "../anyscale/job-queue-models";
import { withoutUndefined } from "./service-results";

export interface JobQueueStatus {
  id: string;
  name?: string;
  /** ACTIVE, or SEALED once archived. */
  state: string;
  executionMode: string;
  maxConcurrency: number;
  idleTimeoutS: number;
  projectId?: string;
  cloudId?: string;
  creatorId?: string;
  creatorEmail?: string;
  createdAt?: string;
  sealedAt?: string;
  computeConfigId?: string;
  clusterId?: string;
  clusterState?: string;
  totalJobs?: number;
  activeJobs?: number;
  successfulJobs?: number;
  failedJobs?: number;
}

const present = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

export function toJobQueueStatus(queue: JobQueueModel): JobQueueStatus {
  return withoutUndefined({
    id: queue.id,
    name: present(queue.name),
    state: queue.current_job_queue_state,
    executionMode: queue.execution_mode,
    maxConcurrency: queue.max_concurrency,
    idleTimeoutS: queue.idle_timeout_sec,
    projectId: present(queue.project_id),
    cloudId: present(queue.cloud_id),
    creatorId: present(queue.creator_id),
    creatorEmail: present(queue.creator_email),
    createdAt: present(queue.created_at),
    sealedAt: present(queue.sealed_at),
    computeConfigId: present(queue.compute_config_id),
    clusterId: present(queue.cluster_id),
    clusterState: present(queue.current_cluster_state),
    totalJobs: present(queue.total_jobs),
    activeJobs: present(queue.active_jobs),
    successfulJobs: present(queue.successful_jobs),
    failedJobs: present(queue.failed_jobs),
  });
}
