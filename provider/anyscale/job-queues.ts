// Job queues (/api/v2/job_queues): create, read, search, resize, archive (seal), terminate, delete, and
// the list page the shared poller (watch.ts) refreshes waited queues from.
import { NotFoundError } from "../core/errors";
import type { Page } from "../core/paging";
import type { AnyscaleClient, CallOptions } from "./client";
import { createdJobQueueSchema, jobQueueSchema, type JobQueueModel } from "./job-queue-models";

const QUEUES = "/api/v2/job_queues";

export interface JobQueueSearch {
  /** Exact name (queue names are unique within a project). */
  name?: string;
  projectId?: string;
  /** Queues carrying every one of these tags. */
  tags?: Record<string, string>;
  includeArchived?: boolean;
}

export class JobQueuesApi {
  constructor(private readonly client: AnyscaleClient) {}

  /** Not resent on an ambiguous failure: callers look the queue up by name instead. */
  async create(body: Record<string, unknown>): Promise<{ id: string }> {
    return this.client.result(createdJobQueueSchema, "POST", `${QUEUES}/create`, { body, idempotent: false });
  }

  async get(jobQueueId: string, options: Pick<CallOptions, "maxAttempts"> = {}): Promise<JobQueueModel | undefined> {
    try {
      return await this.client.result(jobQueueSchema, "GET", `${QUEUES}/${encodeURIComponent(jobQueueId)}`, options);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** POST /api/v2/job_queues/ (JobQueuesQuery); exact-name and project matches are re-checked client-side. */
  async search(search: JobQueueSearch): Promise<JobQueueModel[]> {
    const queues = await this.client.listAll(jobQueueSchema, "POST", `${QUEUES}/`, {
      body: {
        name: search.name === undefined ? undefined : { equals: search.name },
        project_id: search.projectId,
        archive_status: search.includeArchived ? "ALL" : "NOT_ARCHIVED",
        tags_filter: search.tags ? Object.fromEntries(Object.entries(search.tags).map(([key, value]) => [key, [value]])) : undefined,
      },
    });
    return queues.filter(
      (queue) => (search.name === undefined || queue.name === search.name) && (!search.projectId || queue.project_id === search.projectId),
    );
  }

  /** One page of every queue (archived too: a queue being removed is sealed first), newest first, for the shared poller. */
  pollPage(pagingToken: string | undefined, options: Pick<CallOptions, "maxAttempts"> = {}): Promise<Page<JobQueueModel>> {
    return this.client.listPage(jobQueueSchema, "POST", `${QUEUES}/`, pagingToken, {
      ...options,
      body: { archive_status: "ALL", sorting_directives: [{ sort_field: "CREATED_AT", sort_order: "DESC" }] },
    });
  }

  async update(jobQueueId: string, changes: { max_concurrency?: number; idle_timeout_sec?: number }): Promise<JobQueueModel> {
    return this.client.result(jobQueueSchema, "PUT", `${QUEUES}/${encodeURIComponent(jobQueueId)}`, { body: changes });
  }

  /** "Seals" the queue: no new jobs are accepted. */
  async archive(jobQueueId: string): Promise<void> {
    await this.client.send("POST", `${QUEUES}/${encodeURIComponent(jobQueueId)}/archive`, { idempotent: true });
  }

  /** Terminates the queue's pending and running jobs. */
  async terminate(jobQueueId: string): Promise<void> {
    await this.client.send("POST", `${QUEUES}/${encodeURIComponent(jobQueueId)}/terminate`, { idempotent: true });
  }

  /** Refused while the queue still has active jobs or a running cluster. */
  async delete(jobQueueId: string): Promise<void> {
    await this.client.send("DELETE", `${QUEUES}/${encodeURIComponent(jobQueueId)}`);
  }
}
