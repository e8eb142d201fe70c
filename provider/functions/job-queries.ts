// Pure translation of listJobs filters into the query of GET /api/v2/decorated_ha_jobs/ (as the
// official SDK's list_jobs sends it), and of the job-run search body.
import type { ParsedListJobsArgs } from "./job-arguments";
import { JOB_STATE_TO_BACKEND_STATES } from "./job-arguments";
import type { QueryParams, ResolvedScope } from "./service-queries";
import { tagFilterToQueryValues } from "./tag-filter";

export { LIST_JOBS_PATH } from "../anyscale/jobs";

export function backendJobStates(states: ReadonlyArray<keyof typeof JOB_STATE_TO_BACKEND_STATES>): string[] {
  return [...new Set(states.flatMap((state) => JOB_STATE_TO_BACKEND_STATES[state]))];
}

type JobQueryArgs = Omit<ParsedListJobsArgs, "id" | "cloud" | "project" | "includeAllUsers" | "maxItems">;

export function listJobsQuery(args: JobQueryArgs, scope: ResolvedScope, pagingToken?: string): QueryParams {
  const query: QueryParams = {};
  if (scope.projectId) query.project_id = scope.projectId;
  if (scope.cloudId) query.cloud_id = scope.cloudId;
  if (args.name) query.name = args.name;
  if (scope.creatorId) query.creator_id = scope.creatorId;
  // Services share the endpoint's storage; the SDK always restricts the list to batch jobs.
  query.type_filter = "BATCH_JOB";
  query.archive_status = args.includeArchived ? "ALL" : "NOT_ARCHIVED";
  if (args.states?.length) query.state_filter = backendJobStates(args.states);
  const tagValues = tagFilterToQueryValues(args.tags);
  if (tagValues.length) query.tag_filter = tagValues;
  if (args.sortField) query.sort_field = args.sortField;
  if (args.sortOrder) query.sort_order = args.sortOrder;
  const times: Array<[string, string | undefined]> = [
    ["created_at_from", args.createdAtFrom],
    ["created_at_to", args.createdAtTo],
    ["updated_at_from", args.updatedAtFrom],
    ["updated_at_to", args.updatedAtTo],
    ["status_updated_at_from", args.statusUpdatedAtFrom],
    ["status_updated_at_to", args.statusUpdatedAtTo],
  ];
  for (const [key, value] of times) if (value) query[key] = value;
  if (args.pageSize !== undefined) query.count = String(args.pageSize);
  if (pagingToken) query.paging_token = pagingToken;
  return query;
}

/** Body of the batch run search: oldest run first, so the last run is the latest. */
