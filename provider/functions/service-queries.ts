// Pure translation of listServices filters into the query of GET /api/v2/services-v2/ (parameter names
// and archive semantics as the official SDK sends them).
import { normalizeServiceState } from "../anyscale/service-models";
import type { ParsedListServicesArgs } from "./service-arguments";
import { SERVICE_MAX_PAGE_SIZE } from "./service-arguments";
import { tagFilterToQueryValues } from "./tag-filter";

export type QueryParams = Record<string, string | string[]>;

export const LIST_SERVICES_PATH = "/api/v2/services-v2/";

/** Names and flags the caller resolved to ids before building the query. */
export interface ResolvedScope {
  cloudId?: string;
  projectId?: string;
  /** The caller's user id, when only their own objects are wanted. */
  creatorId?: string;
}

/** Whether a service in `state` passes a `states` filter (UNKNOWN: a state this provider does not know). */
export function matchesStateFilter(states: readonly string[] | undefined, state: string): boolean {
  if (!states?.length) return true;
  return states.includes(normalizeServiceState(state));
}

export function listServicesQuery(
  args: Omit<ParsedListServicesArgs, "id" | "cloud" | "project" | "createdByMe" | "maxItems">,
  scope: ResolvedScope,
  pagingToken?: string,
): QueryParams {
  const query: QueryParams = {};
  if (scope.projectId) query.project_id = scope.projectId;
  if (scope.cloudId) query.cloud_id = scope.cloudId;
  if (args.name) query.name = args.name;
  // UNKNOWN matches states the server may report but cannot filter on: the caller filters instead.
  if (args.states?.length && !args.states.includes("UNKNOWN")) query.state_filter = [...args.states];
  if (scope.creatorId) query.creator_id = scope.creatorId;
  // The SDK never asks for archived-only: include-archived means "all".
  query.archive_status = args.includeArchived ? "ALL" : "NOT_ARCHIVED";
  const tagValues = tagFilterToQueryValues(args.tags);
  if (tagValues.length) query.tag_filter = tagValues;
  if (args.sort) {
    query.sort_field = args.sort.field;
    query.sort_order = args.sort.order;
  }
  query.count = String(args.pageSize ?? SERVICE_MAX_PAGE_SIZE);
  if (pagingToken) query.paging_token = pagingToken;
  return query;
}
