// getJob / listJobs / getJobLogs: argument checks first (no request on bad input), then the same
// calls as anyscale.job.status / .list / .get_logs.
import { z } from "zod";
import { parseOrThrow } from "../anyscale/parse";
import { resolveCloudId, resolveProjectId } from "../anyscale/catalog";
import { redact } from "../core/redact";
import { ObjectNotFoundError } from "../core/errors";
import {
  getJobArgsSchema,
  getJobLogsArgsSchema,
  listJobsArgsSchema,
  type GetJobArgs,
  type GetJobLogsArgs,
  type ListJobsArgs,
  type ParsedGetJobArgs,
} from "./job-arguments";
import { readLogLines } from "./job-logs";
import { LIST_JOBS_PATH, listJobsQuery } from "./job-queries";
import { jobDetailsSchema, jobStatusSchema, toJobStatus, type JobDetailsModel, type JobStatus } from "./job-results";
import { paginate } from "../core/paging";
import { Lookups } from "./catalog-reads";
import { readJobConfig } from "./job-details";
import { parseArguments } from "./parse-arguments";
import { currentUserId, resolveListScope, type FunctionContext } from "./scope";

export const GET_JOB = "anyscale.getJob";
export const LIST_JOBS = "anyscale.listJobs";
export const GET_JOB_LOGS = "anyscale.getJobLogs";

export const listJobsResultSchema = z.strictObject({
  jobs: z.array(jobStatusSchema).meta({ description: "The matching jobs." }),
});
export type ListJobsResult = z.infer<typeof listJobsResultSchema>;

export const getJobLogsResultSchema = z.strictObject({
  jobId: z.string().meta({ description: "Id of the job." }),
  runId: z.string().optional().meta({ description: "The run the log belongs to; absent when the job has not started a run yet." }),
  logs: z.string().meta({ description: "The selected lines, newline-terminated (token-shaped and registered secrets redacted)." }),
});
export type GetJobLogsResult = z.infer<typeof getJobLogsResultSchema>;

/**
 * The job a lookup designates. By name, as the SDK: within the given (else configured, else default)
 * cloud and project, any user's jobs, the newest job with exactly that name (names are not unique).
 */
export async function findJob(context: FunctionContext, functionName: string, lookup: ParsedGetJobArgs): Promise<JobDetailsModel> {
  const jobs = context.client.jobs;
  if (lookup.id !== undefined) {
    const job = await jobs.get(lookup.id);
    if (!job) throw new ObjectNotFoundError(functionName, `job with id '${lookup.id}'`);
    return parseOrThrow(jobDetailsSchema, job, `GET ${LIST_JOBS_PATH}${lookup.id}`);
  }
  const name = lookup.name!;
  const cloudId = await resolveCloudId(context.client, lookup.cloud ?? context.defaultCloud);
  const projectId = await resolveProjectId(context.client, lookup.project ?? context.defaultProject, cloudId);
  const pages = paginate(
    // The SDK's lookup pages by 50 (its LIST_ENDPOINT_COUNT).
    (token) => context.client.jobs.listPage(jobDetailsSchema, listJobsQuery({ name, includeArchived: lookup.includeArchived, pageSize: 50 }, { cloudId, projectId }, token)),
    { endpoint: `GET ${LIST_JOBS_PATH}` },
  );
  let newest: JobDetailsModel | undefined;
  for await (const job of pages) {
    if (job.name !== name) continue; // the endpoint's name filter matches substrings
    if (!newest || (job.created_at ?? "") > (newest.created_at ?? "")) newest = job;
  }
  if (!newest) {
    throw new ObjectNotFoundError(functionName, `job named '${name}' in project ${projectId}${lookup.includeArchived ? "" : " (archived jobs are skipped unless includeArchived is set)"}`);
  }
  return newest;
}

export async function getJob(context: FunctionContext, args: GetJobArgs): Promise<JobStatus> {
  const parsed = parseArguments(GET_JOB, getJobArgsSchema, args);
  const job = await findJob(context, GET_JOB, parsed);
  const runs = await context.client.jobs.listRuns(job.id);
  return toJobStatus(job, runs, parsed.verbose ? await readJobConfig(new Lookups(context.client), job) : undefined);
}

export async function listJobs(context: FunctionContext, args: ListJobsArgs = {}): Promise<ListJobsResult> {
  const parsed = parseArguments(LIST_JOBS, listJobsArgsSchema, args);
  const lookups = new Lookups(context.client);
  if (parsed.id !== undefined) {
    // As anyscale.job.list(job_id=…): that job, or nothing.
    const job = await context.client.jobs.get(parsed.id);
    if (!job) return { jobs: [] };
    const details = parseOrThrow(jobDetailsSchema, job, `GET ${LIST_JOBS_PATH}${parsed.id}`);
    const config = parsed.verbose ? await readJobConfig(lookups, details) : undefined;
    return { jobs: [toJobStatus(details, await context.client.jobs.listRuns(parsed.id), config)] };
  }
  const scope = await resolveListScope(context, { cloud: parsed.cloud, project: parsed.project });
  // anyscale.job.list shows only the caller's jobs unless asked for everyone's.
  const creatorId = parsed.includeAllUsers ? undefined : await currentUserId(context.client);
  const fetchPage = async (token: string | undefined) => {
    const page = await context.client.jobs.listPage(jobDetailsSchema, listJobsQuery(parsed, { ...scope, creatorId }, token));
    const runs = await context.client.jobs.searchRuns(page.items.map((job) => job.id));
    const configs = parsed.verbose ? await Promise.all(page.items.map((job) => readJobConfig(lookups, job))) : [];
    return { ...page, items: page.items.map((job, index) => toJobStatus(job, runs[job.id] ?? [], configs[index])) };
  };
  const jobs: JobStatus[] = [];
  for await (const job of paginate(fetchPage, { maxItems: parsed.maxItems, endpoint: `GET ${LIST_JOBS_PATH}` })) jobs.push(job);
  return { jobs };
}

export async function getJobLogs(context: FunctionContext, args: GetJobLogsArgs): Promise<GetJobLogsResult> {
  const parsed = parseArguments(GET_JOB_LOGS, getJobLogsArgsSchema, args);
  const job = await findJob(context, GET_JOB_LOGS, parsed);
  let runId: string | undefined;
  if (parsed.run !== undefined) {
    const runs = (await context.client.jobs.searchRuns([job.id], parsed.run))[job.id] ?? [];
    const run = runs.find((candidate) => candidate.name === parsed.run);
    if (!run) throw new ObjectNotFoundError(GET_JOB_LOGS, `run '${parsed.run}' of job '${job.name}' (${job.id})`);
    runId = run.id;
  } else {
    runId = job.last_job_run_id ?? undefined;
  }
  if (!runId) return { jobId: job.id, logs: "" };
  const chunks = await context.client.jobs.listLogChunks(runId);
  const logs = await readLogLines(chunks.urls.length, (index) => context.client.jobs.downloadLogChunk(chunks.urls[index], chunks.bearerToken), {
    mode: parsed.mode ?? "TAIL",
    maxLines: parsed.maxLines,
  });
  return { jobId: job.id, runId, logs: redact(logs) };
}

