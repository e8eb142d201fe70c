// Request bodies and queries of the job side, as the SDK's generated models define them
// (create_internal_production_job.py, create_production_job_config.py, create_job_queue_config.py,
// job_queue_spec.py, create_job_queue_requests.py, update_job_queue_request.py, job_queues_query.py,
// search_job_runs_request.py). Unknown fields are tolerated, as the platform does.
import { z } from "zod";
import {
  ARCHIVE_STATUSES,
  HA_JOB_STATES,
  HA_JOBS_SORT_FIELDS,
  JOB_QUEUE_EXECUTION_MODES,
  JOB_QUEUE_SORT_FIELDS,
  JOB_RUN_SORT_FIELDS,
  SORT_ORDERS,
} from "./wire-enums";

const nonNegativeInt = z.int().min(0);
/** 0 is the highest priority; the platform's upper bound (2**63-1) exceeds what JSON numbers carry exactly. */
const priority = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const stringMap = z.record(z.string(), z.string());

export const RuntimeEnvSchema = z.looseObject({
  working_dir: z.string().nullish(),
  py_modules: z.array(z.string()).nullish(),
  // Paths inside the cloud's data bucket, which the SDK sends instead of URIs when the compute
  // config has several cloud resources (one upload serves them all).
  relative_working_dir: z.string().nullish(),
  relative_py_modules: z.array(z.string()).nullish(),
  pip: z.array(z.string()).nullish(),
  env_vars: stringMap.nullish(),
  py_executable: z.string().nullish(),
});

export const ProductionJobConfigSchema = z.looseObject({
  entrypoint: z.string().trim().min(1, "entrypoint is required for a job"),
  runtime_env: RuntimeEnvSchema.nullish(),
  build_id: z.string().min(1).nullish(),
  compute_config_id: z.string().min(1).nullish(),
  max_retries: nonNegativeInt.nullish(),
  timeout_s: nonNegativeInt.nullish(),
  connection_ids: z.array(z.string()).nullish(),
  priority: priority.nullish(),
});

export const JobQueueSpecSchema = z.object({
  job_queue_name: z.string().min(1).nullish(),
  execution_mode: z.enum(JOB_QUEUE_EXECUTION_MODES).nullish(),
  compute_config_id: z.string().min(1).nullish(),
  cluster_environment_build_id: z.string().min(1).nullish(),
  max_concurrency: z.int().min(1).nullish(),
  idle_timeout_sec: nonNegativeInt,
  auto_termination_threshold_job_count: z.int().min(1).nullish(),
});

export const CreateJobQueueConfigSchema = z.object({
  priority: priority.nullish(),
  target_job_queue_id: z.string().min(1).nullish(),
  target_job_queue_name: z.string().min(1).nullish(),
  job_queue_spec: JobQueueSpecSchema.nullish(),
});

export const CreateJobSchema = z.object({
  name: z.string().trim().min(1, "name is required"),
  description: z.string().nullish(),
  project_id: z.string().min(1).nullish(),
  config: ProductionJobConfigSchema,
  job_queue_config: CreateJobQueueConfigSchema.nullish(),
  tags: stringMap.nullish(),
  workspace_id: z.string().nullish(),
  source_job_id: z.string().nullish(),
});
export type CreateJobBody = z.infer<typeof CreateJobSchema>;
export type JobQueueSpecBody = z.infer<typeof JobQueueSpecSchema>;

export const CreateJobQueueSchema = z.object({
  job_queue_name: z.string().min(1).nullish(),
  execution_mode: z.enum(JOB_QUEUE_EXECUTION_MODES).nullish(),
  compute_config_id: z.string().min(1),
  cluster_environment_build_id: z.string().min(1),
  max_concurrency: z.int().min(1).nullish(),
  idle_timeout_sec: nonNegativeInt,
  auto_termination_threshold_job_count: z.int().min(1).nullish(),
  project_id: z.string().min(1),
  tags: stringMap.nullish(),
});
export type CreateJobQueueBody = z.infer<typeof CreateJobQueueSchema>;

export const UpdateJobQueueSchema = z.object({
  idle_timeout_sec: nonNegativeInt.nullish(),
  max_concurrency: z.int().min(1).nullish(),
  tags: stringMap.nullish(),
});

const TextQuerySchema = z.object({ equals: z.string().nullish(), not_equal: z.string().nullish(), contains: z.string().nullish() });
const PageQuerySchema = z.object({ count: z.int().min(0).max(1000).nullish(), paging_token: z.string().nullish() });

export const JobQueuesQuerySchema = z.object({
  name: TextQuerySchema.nullish(),
  creator_id: z.string().nullish(),
  cluster_status: z.string().nullish(),
  project_id: z.string().nullish(),
  cloud_id: z.string().nullish(),
  archive_status: z.enum(ARCHIVE_STATUSES).nullish(),
  paging: PageQuerySchema.nullish(),
  sorting_directives: z.array(z.object({ sort_field: z.enum(JOB_QUEUE_SORT_FIELDS), sort_order: z.enum(SORT_ORDERS) })).nullish(),
  tags_filter: z.record(z.string(), z.array(z.string())).nullish(),
});
export type JobQueuesQuery = z.infer<typeof JobQueuesQuerySchema>;

export const SearchJobRunsSchema = z.object({
  ha_job_ids: z.array(z.string()),
  max_runs_per_job: z.int().min(1).nullish(),
  sort_by_clauses: z.array(z.object({ sort_field: z.enum(JOB_RUN_SORT_FIELDS), sort_order: z.enum(SORT_ORDERS) })).nullish(),
  run_name: z.string().nullish(),
});

/** The external (ext/v0) job runs search, JobsQuery. */
export const ExternalJobsQuerySchema = z.looseObject({
  ha_job_id: z.string().nullish(),
  name: TextQuerySchema.nullish(),
  creator_id: z.string().nullish(),
  project_id: z.string().nullish(),
  state_filter: z.array(z.string()).nullish(),
  paging: PageQuerySchema.nullish(),
});

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "expected an ISO 8601 date-time");

/** GET /api/v2/decorated_ha_jobs/ query, after repeated keys are gathered into arrays. */
export const ListJobsQuerySchema = z.object({
  project_id: z.string().optional(),
  workspace_id: z.string().optional(),
  name: z.string().optional(),
  state_filter: z.array(z.enum(HA_JOB_STATES)).optional(),
  type_filter: z.enum(["BATCH_JOB", "SERVICE"]).optional(),
  creator_id: z.string().optional(),
  source_cron_job_id: z.string().optional(),
  archive_status: z.enum(ARCHIVE_STATUSES).optional(),
  cloud_id: z.string().optional(),
  job_queue_id: z.string().optional(),
  tag_filter: z.array(z.string()).optional(),
  created_at_from: isoDate.optional(),
  created_at_to: isoDate.optional(),
  updated_at_from: isoDate.optional(),
  updated_at_to: isoDate.optional(),
  status_updated_at_from: isoDate.optional(),
  status_updated_at_to: isoDate.optional(),
  count_limit: z.coerce.number().int().min(0).optional(),
  sort_field: z.enum(HA_JOBS_SORT_FIELDS).optional(),
  sort_order: z.enum(SORT_ORDERS).optional(),
  paging_token: z.string().optional(),
  count: z.coerce.number().int().min(0).max(1000).optional(),
});
export type ListJobsQuery = z.infer<typeof ListJobsQuerySchema>;

export const QueueJobsQuerySchema = z.object({
  count: z.coerce.number().int().min(0).max(1000).optional(),
  paging_token: z.string().optional(),
});

export const LogDownloadQuerySchema = z.object({
  next_page_token: z.string().optional(),
  page_size: z.coerce.number().int().min(1).max(10000).optional(),
});
