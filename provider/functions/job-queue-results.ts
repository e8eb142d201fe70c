// What getJobQueue / listJobQueues return: the SDK's JobQueueStatus in camelCase.
import { z } from "zod";
import type { JobQueueModel } from "../anyscale/job-queue-models";
import { withoutUndefined } from "./service-results";

const text = (description: string) => z.string().optional().meta({ description });
const count = (description: string) => z.number().optional().meta({ description });

export const jobQueueStatusSchema = z.strictObject({
  id: z.string().meta({ description: "The job queue's id." }),
  name: text("The job queue's name."),
  state: z.string().meta({ description: "ACTIVE, or SEALED once archived." }),
  executionMode: z.string().meta({ description: "How queued jobs are picked: FIFO, LIFO or PRIORITY." }),
  maxConcurrency: z.number().meta({ description: "How many jobs run at once." }),
  idleTimeoutS: z.number().meta({ description: "Seconds the queue's cluster stays up with no job." }),
  projectId: text("Id of the queue's project."),
  cloudId: text("Id of the queue's cloud."),
  creatorId: text("Id of the creator."),
  creatorEmail: text("Email of the creator."),
  createdAt: text("When the queue was created (ISO 8601)."),
  sealedAt: text("When the queue was sealed (ISO 8601)."),
  computeConfigId: text("Id of the compute config version of the queue's cluster."),
  clusterId: text("Id of the queue's cluster."),
  clusterState: text("State of the queue's cluster."),
  totalJobs: count("Jobs submitted to the queue."),
  activeJobs: count("Jobs queued or running."),
  successfulJobs: count("Jobs that succeeded."),
  failedJobs: count("Jobs that failed."),
}).meta({ id: "JobQueueStatus" });
export type JobQueueStatus = z.infer<typeof jobQueueStatusSchema>;

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
