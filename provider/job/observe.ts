// The outputs of a Job: the inputs echoed plus what the platform reports now (state, runs, log tail).
// The raw log lines come back beside the outputs, for a failure message, never inside them.
import type { JobModel } from "../anyscale/job-models";
import { AnyscaleError } from "../core/errors";
import { toPlainJson } from "../core/dynamic-support";
import { secretEnvValues, withoutProvider, type Inputs, type JobContext } from "./context";
import { logTailForOutput } from "./log-tail";
import { observedJobOutputs } from "./outputs";
import { DEFAULT_LOG_LINES } from "./schema";
import { submissionKeyFor } from "./submission-key";

export interface ObservedJob {
  outputs: Inputs;
  /** The log tail as read, unredacted: only for the caller's own message, which redacts it. */
  logLines: string[];
}

export async function requireJob(context: JobContext, jobId: string): Promise<JobModel> {
  const job = await context.client.jobs.get(jobId);
  if (!job) throw new AnyscaleError(`Job ${jobId} no longer exists on the platform (GET /api/v2/decorated_ha_jobs/${jobId} answered 404).`);
  return job;
}

/** A job the shared poller reported gone: neither a list nor a read by id found it. */
export function requireObserved(job: JobModel | undefined, jobId: string): JobModel {
  if (!job) throw new AnyscaleError(`Job ${jobId} no longer exists on the platform (it is in no job list and GET /api/v2/decorated_ha_jobs/${jobId} answered 404).`);
  return job;
}

export async function observeJob(context: JobContext, jobId: string, inputs: Inputs, model?: JobModel): Promise<ObservedJob> {
  const { client, settings } = context;
  const job = model ?? (await requireJob(context, jobId));
  const runs = await client.jobs.listRuns(jobId);
  const wanted = typeof inputs.logLines === "number" ? inputs.logLines : DEFAULT_LOG_LINES;
  const runId = job.last_job_run_id ?? runs[runs.length - 1]?.id;
  let logLines: string[] = [];
  let logError: string | undefined;
  if (runId && wanted > 0) {
    try {
      logLines = await client.jobs.logTail(runId, wanted);
    } catch (error) {
      // A job's outcome does not depend on whether its log can be read, so this is reported, not thrown.
      logError = error instanceof Error ? error.message : String(error);
    }
  }
  const observed = observedJobOutputs(job, runs, logTailForOutput(logLines, [settings.token, ...secretEnvValues(inputs)]), logError);
  return { outputs: toPlainJson({ ...withoutProvider(inputs), ...observed, jobId, submissionKey: submissionKeyFor(inputs) }), logLines };
}
