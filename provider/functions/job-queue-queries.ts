// Pure translation of listJobQueues filters into the body of POST /api/v2/job_queues/ (JobQueuesQuery).
import type { ParsedListJobQueuesArgs } from "./job-queue-arguments";
import { JOB_QUEUE_MAX_PAGE_SIZE } from "./job-queue-arguments";
import type { ResolvedScope } from "./service-queries";
import { tagFilterToBody } from "./tag-filter";

export const SEARCH_JOB_QUEUES_PATH = "/api/v2/job_queues/";

type QueueQueryArgs = Pick<ParsedListJobQueuesArgs, "name" | "clusterStatus" | "tags" | "sort" | "includeArchived" | "pageSize" | "creatorId">;

export function searchJobQueuesBody(args: QueueQueryArgs, scope: ResolvedScope, pagingToken?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (args.name) body.name = { equals: args.name };
  const creatorId = scope.creatorId ?? args.creatorId;
  if (creatorId) body.creator_id = creatorId;
  if (args.clusterStatus) body.cluster_status = args.clusterStatus;
  if (scope.projectId) body.project_id = scope.projectId;
  if (scope.cloudId) body.cloud_id = scope.cloudId;
  body.archive_status = args.includeArchived ? "ALL" : "NOT_ARCHIVED";
  const tags = tagFilterToBody(args.tags);
  if (tags) body.tags_filter = tags;
  const paging: Record<string, unknown> = { count: args.pageSize ?? JOB_QUEUE_MAX_PAGE_SIZE };
  if (pagingToken) paging.paging_token = pagingToken;
  body.paging = paging;
  if (args.sort?.length) {
    body.sorting_directives = args.sort.map((directive) => ({ sort_field: directive.field, sort_order: directive.order ?? "ASC" }));
  }
  return body;
}
