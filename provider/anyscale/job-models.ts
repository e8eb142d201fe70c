// Zod schemas of the job responses this provider reads (anyscale SDK models production_job.py,
// decorated_production_job.py, job_run_summary.py, log_download_result.py). Loose: new fields pass
// through; fields the provider decides on are checked, so a malformed response names its endpoint.
import { z } from "zod";

const optionalString = z.string().nullish();

export const jobStateTransitionSchema = z.looseObject({
  current_state: z.string(),
  goal_state: optionalString,
  error: optionalString,
  operation_message: optionalString,
  state_transitioned_at: optionalString,
});

export const jobSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  created_at: optionalString,
  creator_id: optionalString,
  creator: z.looseObject({ email: optionalString }).nullish(),
  project_id: optionalString,
  cloud_id: optionalString,
  config: z.record(z.string(), z.unknown()).nullish(),
  job_queue_config: z.record(z.string(), z.unknown()).nullish(),
  job_queue_id: optionalString,
  last_job_run_id: optionalString,
  archived_at: optionalString,
  state: jobStateTransitionSchema,
});
export type JobModel = z.infer<typeof jobSchema>;

export const jobRunSchema = z.looseObject({
  id: z.string(),
  name: optionalString,
  status: optionalString,
  created_at: optionalString,
  finished_at: optionalString,
  ha_job_id: optionalString,
});
export type JobRunModel = z.infer<typeof jobRunSchema>;

/** POST /api/v2/decorated_ha_jobs/job_runs/search answers {results: {<job id>: [runs]}} — not a list envelope. */
export const jobRunSearchSchema = z.looseObject({
  results: z.record(z.string(), z.array(jobRunSchema)),
});

export const logDownloadSchema = z.looseObject({
  log_chunks: z.array(z.looseObject({ chunk_url: z.string() })),
  next_page_token: optionalString,
  bearer_token: optionalString,
});
