// The data functions as engine invokes (`anyscale:index:getService`, ...): the same calls the TypeScript
// data functions make (provider/functions/), with the provider's configured client and defaults.
import type { z } from "zod";
import type { FunctionContext } from "../../functions/scope";
import * as services from "../../functions/services";
import * as jobs from "../../functions/jobs";
import * as jobQueues from "../../functions/job-queues";
import * as tags from "../../functions/tags";
import { getServiceArgsSchema, listServicesArgsSchema } from "../../functions/service-arguments";
import { getJobArgsSchema, getJobLogsArgsSchema, listJobsArgsSchema } from "../../functions/job-arguments";
import { getJobQueueArgsSchema, listJobQueuesArgsSchema } from "../../functions/job-queue-arguments";
import { getTagsArgsSchema } from "../../functions/tag-arguments";
import { serviceStatusSchema } from "../../functions/service-results";
import { jobStatusSchema } from "../../functions/job-results";
import { jobQueueStatusSchema } from "../../functions/job-queue-results";

type Props = Record<string, unknown>;

export interface InvokeSpec {
  token: string;
  description: string;
  args: z.ZodType;
  /** The result's declared shape (the package schema's outputs of the function). */
  result: z.ZodObject;
  call(context: FunctionContext, args: Props): Promise<unknown>;
  /**
   * Whether this call's result is secret as a whole: a verbose read carries workload configs with env
   * var values, as the TypeScript Output forms (sdk/functions/inputs.ts) know.
   */
  secretResult?(args: Props): boolean;
}

const whenVerbose = (args: Props): boolean => args.verbose === true;

export const INVOKES: readonly InvokeSpec[] = [
  { token: "anyscale:index:getService", description: "One service, by id or by name (like `anyscale service status`); never its query token.", args: getServiceArgsSchema, result: serviceStatusSchema, call: (c, a) => services.getService(c, a), secretResult: whenVerbose },
  { token: "anyscale:index:listServices", description: "Services matching the filters of `anyscale service list`.", args: listServicesArgsSchema, result: services.listServicesResultSchema, call: (c, a) => services.listServices(c, a), secretResult: whenVerbose },
  { token: "anyscale:index:getJob", description: "One job, by id or by name (like `anyscale job status`).", args: getJobArgsSchema, result: jobStatusSchema, call: (c, a) => jobs.getJob(c, a), secretResult: whenVerbose },
  { token: "anyscale:index:listJobs", description: "Jobs matching the filters of `anyscale job list`.", args: listJobsArgsSchema, result: jobs.listJobsResultSchema, call: (c, a) => jobs.listJobs(c, a), secretResult: whenVerbose },
  { token: "anyscale:index:getJobLogs", description: "A job run's log (like `anyscale job logs`), secrets redacted.", args: getJobLogsArgsSchema, result: jobs.getJobLogsResultSchema, call: (c, a) => jobs.getJobLogs(c, a as never) },
  { token: "anyscale:index:getJobQueue", description: "One job queue, by id or by name.", args: getJobQueueArgsSchema, result: jobQueueStatusSchema, call: (c, a) => jobQueues.getJobQueue(c, a) },
  { token: "anyscale:index:listJobQueues", description: "Job queues matching the filters of `anyscale job-queue list`.", args: listJobQueuesArgsSchema, result: jobQueues.listJobQueuesResultSchema, call: (c, a) => jobQueues.listJobQueues(c, a) },
  { token: "anyscale:index:getTags", description: "The tags of a service, job or job queue.", args: getTagsArgsSchema, result: tags.getTagsResultSchema, call: (c, a) => tags.getTags(c, a as never) },
];

export function invokeFor(token: string): InvokeSpec | undefined {
  return INVOKES.find((spec) => spec.token === token);
}
