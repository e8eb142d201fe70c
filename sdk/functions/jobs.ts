// anyscale.getJob / anyscale.listJobs / anyscale.getJobLogs: reference jobs this program does not own
// (the last run of a nightly job, its log).
import * as pulumi from "@pulumi/pulumi";
import type { GetJobArgs, GetJobLogsArgs, ListJobsArgs } from "../../provider/functions/job-arguments";
import type { JobStatus, JobRunStatus } from "../../provider/functions/job-results";
import * as jobs from "../../provider/functions/jobs";
import { programFunctionContext } from "../../provider/functions/program-context";
import { invokeVerboseAware, invokeWithInputs, type InputArgs } from "./inputs";

export type { GetJobArgs, GetJobLogsArgs, ListJobsArgs, JobStatus, JobRunStatus };
export type ListJobsResult = jobs.ListJobsResult;
export type GetJobLogsResult = jobs.GetJobLogsResult;

/**
 * One job, by `id` or by `name` (the newest job of that name in `cloud` / `project`, else the stack's
 * configured or the organization's default ones), with its runs — like `anyscale.job.status`.
 */
export async function getJob(args: GetJobArgs): Promise<JobStatus> {
  return jobs.getJob(programFunctionContext(), args);
}

export function getJobOutput(args: InputArgs<GetJobArgs>): pulumi.Output<JobStatus> {
  return invokeVerboseAware(args, getJob);
}

/**
 * Jobs matching the filters of `anyscale.job.list` (all pages, up to `maxItems`). Only the caller's
 * own jobs unless `includeAllUsers` is set, as in the SDK.
 */
export async function listJobs(args: ListJobsArgs = {}): Promise<ListJobsResult> {
  return jobs.listJobs(programFunctionContext(), args);
}

export function listJobsOutput(args: InputArgs<ListJobsArgs> = {}): pulumi.Output<ListJobsResult> {
  return invokeVerboseAware(args, listJobs);
}

/** A run's log (`run` by name, else the last run): the first (`HEAD`) or last (`TAIL`, default) `maxLines` lines. */
export async function getJobLogs(args: GetJobLogsArgs): Promise<GetJobLogsResult> {
  return jobs.getJobLogs(programFunctionContext(), args);
}

export function getJobLogsOutput(args: InputArgs<GetJobLogsArgs>): pulumi.Output<GetJobLogsResult> {
  return invokeWithInputs(args, getJobLogs);
}
