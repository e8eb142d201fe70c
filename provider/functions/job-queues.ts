// getJobQueue / listJobQueues: argument checks first (no request on bad input), then the queue
// search (POST /api/v2/job_queues/) page by page, as anyscale.job_queue.status / .list.
import { z } from "zod";
import { jobQueueSchema, type JobQueueModel } from "../anyscale/job-queue-models";
import { AmbiguousNameError, ObjectNotFoundError } from "../core/errors";
import {
  getJobQueueArgsSchema,
  listJobQueuesArgsSchema,
  type GetJobQueueArgs,
  type ListJobQueuesArgs,
  type ParsedGetJobQueueArgs,
} from "./job-queue-arguments";
import { SEARCH_JOB_QUEUES_PATH, searchJobQueuesBody } from "./job-queue-queries";
import { jobQueueStatusSchema, toJobQueueStatus, type JobQueueStatus } from "./job-queue-results";
import { collect, paginate } from "../core/paging";
import { parseArguments } from "./parse-arguments";
import { lookupScope, resolveListScope, type FunctionContext } from "./scope";
import type { ResolvedScope } from "./service-queries";

export const GET_JOB_QUEUE = "anyscale.getJobQueue";
export const LIST_JOB_QUEUES = "anyscale.listJobQueues";

export const listJobQueuesResultSchema = z.strictObject({
  jobQueues: z.array(jobQueueStatusSchema).meta({ description: "The matching job queues." }),
});
export type ListJobQueuesResult = z.infer<typeof listJobQueuesResultSchema>;

function queuePages(context: FunctionContext, args: Parameters<typeof searchJobQueuesBody>[0], scope: ResolvedScope, maxItems?: number) {
  return paginate(
    (token) =>
      context.client.page(jobQueueSchema, "POST", SEARCH_JOB_QUEUES_PATH, {
        body: searchJobQueuesBody(args, scope, token),
        // A search: safe to resend.
        idempotent: true,
      }),
    { maxItems, endpoint: `POST ${SEARCH_JOB_QUEUES_PATH}` },
  );
}

export async function getJobQueue(context: FunctionContext, args: GetJobQueueArgs): Promise<JobQueueStatus> {
  const parsed = parseArguments(GET_JOB_QUEUE, getJobQueueArgsSchema, args);
  return toJobQueueStatus(await findJobQueue(context, GET_JOB_QUEUE, parsed));
}

/** The queue a lookup designates: by id, or the one queue with exactly that name in scope. */
export async function findJobQueue(context: FunctionContext, functionName: string, parsed: ParsedGetJobQueueArgs): Promise<JobQueueModel> {
  if (parsed.id !== undefined) {
    const queue = await context.client.jobQueues.get(parsed.id);
    if (!queue) throw new ObjectNotFoundError(functionName, `job queue with id '${parsed.id}'`);
    return queue;
  }
  const name = parsed.name!;
  const scope = await lookupScope(context, parsed);
  const matches = (await collect(queuePages(context, { name, includeArchived: parsed.includeArchived }, scope))).filter((queue) => queue.name === name);
  if (matches.length === 0) {
    const where = scope.projectId ? ` in project ${scope.projectId}` : "";
    throw new ObjectNotFoundError(functionName, `job queue named '${name}'${where}${parsed.includeArchived ? "" : " (archived queues are skipped unless includeArchived is set)"}`);
  }
  if (matches.length > 1) {
    const projects = [...new Set(matches.map((queue) => queue.project_id ?? "?"))].join(", ");
    throw new AmbiguousNameError(functionName, `${matches.length} job queues are named '${name}' (projects ${projects}); pass 'project' or 'id'`);
  }
  return matches[0];
}

export async function listJobQueues(context: FunctionContext, args: ListJobQueuesArgs = {}): Promise<ListJobQueuesResult> {
  const parsed = parseArguments(LIST_JOB_QUEUES, listJobQueuesArgsSchema, args);
  if (parsed.id !== undefined) {
    const queue = await context.client.jobQueues.get(parsed.id);
    return { jobQueues: queue ? [toJobQueueStatus(queue)] : [] };
  }
  const scope = await resolveListScope(context, parsed);
  const jobQueues: JobQueueStatus[] = [];
  for await (const queue of queuePages(context, parsed, scope, parsed.maxItems)) jobQueues.push(toJobQueueStatus(queue));
  return { jobQueues };
}
