// Pure filtering, sorting and paging for the job and job-queue lists.
import { LocalApiError } from "../types";
import { matchesTagFilter, type TagFilter } from "../tags";
import type { JobQueueRecord, JobRecord } from "./records";
import type { JobQueuesQuery, ListJobsQuery } from "./schemas";
import type { HaJobsSortField, JobQueueSortField, SortOrder } from "./wire-enums";

export const DEFAULT_PAGE_SIZE = 10;

export interface Page<T> {
  results: T[];
  metadata: { total: number; next_paging_token: string | null };
}

/** Paging tokens are opaque to clients; here they encode the offset of the next page. */
export function pageOf<T>(items: readonly T[], count: number | null | undefined, pagingToken: string | null | undefined): Page<T> {
  const offset = decodePagingToken(pagingToken);
  const size = count === undefined || count === null || count === 0 ? DEFAULT_PAGE_SIZE : count;
  const results = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodePagingToken(offset + size) : null;
  return { results, metadata: { total: items.length, next_paging_token: next } };
}

function encodePagingToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodePagingToken(token: string | null | undefined): number {
  if (!token) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!m) throw new LocalApiError(400, `Invalid paging_token '${token}'.`);
  return Number(m[1]);
}

export interface JobListContext {
  tagsOf: (jobId: string) => Record<string, string>;
  tagFilter: TagFilter;
}

export function filterJobs(jobs: readonly JobRecord[], q: ListJobsQuery, ctx: JobListContext): JobRecord[] {
  const within = (value: string | null, from?: string, to?: string) => {
    if (!from && !to) return true;
    if (!value) return false;
    const t = Date.parse(value);
    return (!from || t >= Date.parse(from)) && (!to || t <= Date.parse(to));
  };
  const archive = q.archive_status ?? "NOT_ARCHIVED";
  const states = q.state_filter && q.state_filter.length > 0 ? new Set(q.state_filter) : undefined;
  const nameNeedle = q.name?.toLowerCase();
  return jobs.filter(
    (job) =>
      q.type_filter !== "SERVICE" &&
      (!q.project_id || job.project_id === q.project_id) &&
      (!q.workspace_id || job.workspace_id === q.workspace_id) &&
      (!q.cloud_id || job.cloud_id === q.cloud_id) &&
      (!q.creator_id || job.creator_id === q.creator_id) &&
      (!q.job_queue_id || job.job_queue_id === q.job_queue_id) &&
      // No job here comes from a cron schedule, so a cron filter matches nothing.
      !q.source_cron_job_id &&
      // name is a case-insensitive substring match, as on the platform; clients filter exact names.
      (!nameNeedle || job.name.toLowerCase().includes(nameNeedle)) &&
      (!states || states.has(job.state.current_state)) &&
      (archive === "ALL" || (archive === "ARCHIVED") === (job.archived_at !== null)) &&
      within(job.created_at, q.created_at_from, q.created_at_to) &&
      within(job.updated_at, q.updated_at_from, q.updated_at_to) &&
      within(job.status_updated_at, q.status_updated_at_from, q.status_updated_at_to) &&
      (ctx.tagFilter.size === 0 || matchesTagFilter(ctx.tagsOf(job.id), ctx.tagFilter)),
  );
}

const JOB_SORT_KEYS: Record<HaJobsSortField, (job: JobRecord) => string> = {
  STATUS: (j) => j.state.current_state,
  CREATED_AT: (j) => j.created_at,
  LAST_UPDATED_AT: (j) => j.updated_at,
  LAST_STATUS_UPDATED_AT: (j) => j.status_updated_at,
  ENDED_AT: (j) => j.ended_at ?? "",
  NAME: (j) => j.name,
  ID: (j) => j.id,
};

/** Without a sort field, newest first (the console's order for batch jobs). */
export function sortJobs(jobs: readonly JobRecord[], field?: HaJobsSortField, order?: SortOrder): JobRecord[] {
  const sorted = [...jobs];
  if (!field) return sorted.sort((a, b) => b.submit_seq - a.submit_seq);
  const key = JOB_SORT_KEYS[field];
  const sign = order === "DESC" ? -1 : 1;
  // Ties fall back to submission order so pages are stable.
  return sorted.sort((a, b) => sign * compare(key(a), key(b)) || a.submit_seq - b.submit_seq);
}

export interface QueueListContext {
  tagsOf: (queueId: string) => Record<string, string>;
}

export function filterQueues(queues: readonly JobQueueRecord[], q: JobQueuesQuery, ctx: QueueListContext): JobQueueRecord[] {
  const archive = q.archive_status ?? "NOT_ARCHIVED";
  const tagFilter = new Map(Object.entries(q.tags_filter ?? {}).map(([k, values]) => [k, new Set(values)]));
  return queues.filter(
    (queue) =>
      (!q.name?.equals || queue.name === q.name.equals) &&
      (!q.name?.not_equal || queue.name !== q.name.not_equal) &&
      (!q.name?.contains || queue.name.toLowerCase().includes(q.name.contains.toLowerCase())) &&
      (!q.creator_id || queue.creator_id === q.creator_id) &&
      (!q.cluster_status || queue.cluster_state === q.cluster_status) &&
      (!q.project_id || queue.project_id === q.project_id) &&
      (!q.cloud_id || queue.cloud_id === q.cloud_id) &&
      // An archived queue is a sealed one: the SDK's archive call seals it.
      (archive === "ALL" || (archive === "ARCHIVED") === (queue.state === "SEALED")) &&
      (tagFilter.size === 0 || matchesTagFilter(ctx.tagsOf(queue.id), tagFilter)),
  );
}

const QUEUE_SORT_KEYS: Record<JobQueueSortField, (q: JobQueueRecord) => string> = {
  ID: (q) => q.id,
  NAME: (q) => q.name,
  CREATED_AT: (q) => q.created_at,
  CREATOR_ID: (q) => q.creator_id,
  CREATOR_EMAIL: (q) => q.creator_email,
  PROJECT_ID: (q) => q.project_id,
  CLOUD_ID: (q) => q.cloud_id,
  QUEUE_STATE: (q) => q.state,
  CLUSTER_STATE: (q) => q.cluster_state,
};

/** Without directives, newest first. */
export function sortQueues(queues: readonly JobQueueRecord[], directives: JobQueuesQuery["sorting_directives"]): JobQueueRecord[] {
  const sorted = [...queues];
  if (!directives || directives.length === 0) return sorted.sort((a, b) => compare(b.created_at, a.created_at) || compare(b.id, a.id));
  return sorted.sort((a, b) => {
    for (const d of directives) {
      const c = compare(QUEUE_SORT_KEYS[d.sort_field](a), QUEUE_SORT_KEYS[d.sort_field](b));
      if (c !== 0) return d.sort_order === "DESC" ? -c : c;
    }
    return compare(a.id, b.id);
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
