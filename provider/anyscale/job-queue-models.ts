// Zod schemas of the job-queue responses (anyscale SDK models job_queue.py for create,
// decorated_job_queue.py for get/search/update).
import { z } from "zod";

export const EXECUTION_MODES = ["FIFO", "LIFO", "PRIORITY"] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

const optionalString = z.string().nullish();
const optionalNumber = z.number().nullish();

/** POST /api/v2/job_queues/create answers the plain JobQueue model. */
export const createdJobQueueSchema = z.looseObject({
  id: z.string(),
  name: optionalString,
  state: optionalString,
});

export const jobQueueSchema = z.looseObject({
  id: z.string(),
  name: optionalString,
  current_job_queue_state: z.string(),
  execution_mode: z.string(),
  max_concurrency: z.number(),
  idle_timeout_sec: z.number(),
  created_at: optionalString,
  creator_id: optionalString,
  creator_email: optionalString,
  compute_config_id: optionalString,
  current_cluster_state: optionalString,
  cluster_id: optionalString,
  project_id: optionalString,
  cloud_id: optionalString,
  sealed_at: optionalString,
  total_jobs: optionalNumber,
  successful_jobs: optionalNumber,
  failed_jobs: optionalNumber,
  active_jobs: optionalNumber,
});
export type JobQueueModel = z.infer<typeof jobQueueSchema>;
