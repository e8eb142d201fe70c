// anyscale.getJobQueue / anyscale.listJobQueues: reference job queues this program does not own.
import * as pulumi from "@pulumi/pulumi";
import type { GetJobQueueArgs, ListJobQueuesArgs } from "../../provider/functions/job-queue-arguments";
import type { JobQueueStatus } from "../../provider/functions/job-queue-results";
import * as queues from "../../provider/functions/job-queues";
import { programFunctionContext } from "../../provider/functions/program-context";
import { invokeWithInputs, type InputArgs } from "./inputs";

export type { GetJobQueueArgs, ListJobQueuesArgs, JobQueueStatus };
export type ListJobQueuesResult = queues.ListJobQueuesResult;

/** One job queue, by `id` or by `name` (unique within a project), like `anyscale.job_queue.status`. */
export async function getJobQueue(args: GetJobQueueArgs): Promise<JobQueueStatus> {
  return queues.getJobQueue(programFunctionContext(), args);
}

export function getJobQueueOutput(args: InputArgs<GetJobQueueArgs>): pulumi.Output<JobQueueStatus> {
  return invokeWithInputs(args, getJobQueue);
}

/** Job queues matching the filters of `anyscale.job_queue.list` (all pages, up to `maxItems`). */
export async function listJobQueues(args: ListJobQueuesArgs = {}): Promise<ListJobQueuesResult> {
  return queues.listJobQueues(programFunctionContext(), args);
}

export function listJobQueuesOutput(args: InputArgs<ListJobQueuesArgs> = {}): pulumi.Output<ListJobQueuesResult> {
  return invokeWithInputs(args, listJobQueues);
}
