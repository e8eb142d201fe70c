// Job and job-queue endpoints, on the AnyscaleClient's transport and envelope helpers. Paths and
// bodies follow the official SDK (anyscale/_private/anyscale_client/anyscale_client.py): jobs under
// /api/v2/decorated_ha_jobs, runs via job_runs/search, logs via job_logs_download_v2, queues under
// /api/v2/job_queues.
import { z } from "zod";
import { NotFoundError, UnexpectedResponseError } from "../core/errors";
import { jobRunSearchSchema, jobSchema, logDownloadSchema, type JobModel, type JobRunModel } from "./job-models";
import { createdJobQueueSchema, jobQueueSchema, type JobQueueModel } from "./job-queue-models";
import { parseOrThrow, type AnyscaleClient } from "./client";

const JOBS = "/api/v2/decorated_ha_jobs";
const QUEUES = "/api/v2/job_queues";
/** The SDK asks for at most this many runs per job. */
const MAX_RUNS_PER_JOB = 100;
/** The SDK's page size when downloading log chunk lists. */
const LOG_CHUNK_PAGE_SIZE = 1000;
/** Guards against a server that never stops handing out chunk pages. */
const MAX_LOG_CHUNK_PAGES = 1000;

const submittedJobSchema = z.looseObject({ id: z.string(), name: z.string().nullish() });

export interface JobSearch {
  /** `key:value` filters, ANDed across keys (the API's tag_filter). */
  tags?: Record<string, string>;
  name?: string;
  projectId?: string;
  includeArchived?: boolean;
}

export interface JobQueueSearch {
  /** Exact name (queue names are unique within a project). */
  name?: string;
  projectId?: string;
  /** Queues carrying every one of these tags. */
  tags?: Record<string, string>;
  includeArchived?: boolean;
}

export class JobsClient {
  constructor(readonly client: AnyscaleClient) {}

  // ---- jobs ----

  /** Never resent on an ambiguous failure: a repeat would start a second job (callers look the job up instead). */
  async submitJob(body: Record<string, unknown>): Promise<{ id: string; name?: string | null }> {
    return this.client.result(submittedJobSchema, "POST", `${JOBS}/create`, { body, idempotent: false });
  }

  /** The job, or undefined when the API says 404. */
  async getJob(jobId: string): Promise<JobModel | undefined> {
    try {
      return await this.client.result(jobSchema, "GET", `${JOBS}/${encodeURIComponent(jobId)}`);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** Batch jobs matching the filters. The `name` filter is a substring match on the platform: callers compare exactly. */
  async searchJobs(search: JobSearch): Promise<JobModel[]> {
    return this.client.listAll(jobSchema, "GET", `${JOBS}/`, {
      query: {
        name: search.name,
        project_id: search.projectId,
        type_filter: "BATCH_JOB",
        archive_status: search.includeArchived ? "ALL" : "NOT_ARCHIVED",
        tag_filter: Object.entries(search.tags ?? {}).map(([key, value]) => `${key}:${value}`),
      },
    });
  }

  /** Runs of a job, oldest first. */
  async listJobRuns(jobId: string): Promise<JobRunModel[]> {
    const endpoint = `POST ${JOBS}/job_runs/search`;
    const response = await this.client.transport.json({
      method: "POST",
      path: `${JOBS}/job_runs/search`,
      body: {
        ha_job_ids: [jobId],
        max_runs_per_job: MAX_RUNS_PER_JOB,
        sort_by_clauses: [{ sort_field: "CREATED_AT", sort_order: "ASC" }],
      },
      idempotent: true,
    });
    // Older servers wrap the map in {"result": …}; accept both rather than guess.
    const unwrapped = response && typeof response === "object" && "result" in response ? (response as { result: unknown }).result : response;
    return parseOrThrow(jobRunSearchSchema, unwrapped, endpoint).results[jobId] ?? [];
  }

  /** Terminating twice is harmless, so transient failures are retried. */
  async terminateJob(jobId: string): Promise<void> {
    await this.client.send("POST", `${JOBS}/${encodeURIComponent(jobId)}/terminate`, { idempotent: true });
  }

  /** Accepted only for a job in a final state. */
  async archiveJob(jobId: string): Promise<void> {
    await this.client.send("POST", `${JOBS}/${encodeURIComponent(jobId)}/archive`, { idempotent: true });
  }

  /** Accepted only for a job in a final state; removes the job and its runs. */
  async deleteJob(jobId: string): Promise<void> {
    await this.client.send("DELETE", `${JOBS}/${encodeURIComponent(jobId)}`);
  }

  /**
   * The last `maxLines` lines of a run's log. Chunk URLs are presigned (and may need the bearer token the
   * listing hands out), so the API token is never sent to them. Reads chunks from the end until enough
   * lines are collected, as the SDK's TAIL mode does.
   */
  async logTail(jobRunId: string, maxLines: number): Promise<string[]> {
    if (maxLines <= 0) return [];
    const path = `/api/v2/logs/job_logs_download_v2/${encodeURIComponent(jobRunId)}`;
    const chunkUrls: string[] = [];
    let bearerToken: string | undefined;
    let pageToken: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= MAX_LOG_CHUNK_PAGES) throw new UnexpectedResponseError(`GET ${path}`, `more than ${MAX_LOG_CHUNK_PAGES} pages of log chunks`);
      const result = await this.client.result(logDownloadSchema, "GET", path, {
        query: { page_size: LOG_CHUNK_PAGE_SIZE, next_page_token: pageToken },
      });
      bearerToken ??= result.bearer_token ?? undefined;
      chunkUrls.push(...result.log_chunks.map((chunk) => chunk.chunk_url));
      if (!result.next_page_token || result.log_chunks.length === 0 || result.next_page_token === pageToken) break;
      pageToken = result.next_page_token;
    }
    const lines: string[] = [];
    for (let index = chunkUrls.length - 1; index >= 0 && lines.length < maxLines; index--) {
      const text = await this.downloadLogChunk(chunkUrls[index], bearerToken);
      const chunkLines = text.split(/\r?\n/);
      if (chunkLines[chunkLines.length - 1] === "") chunkLines.pop();
      lines.unshift(...chunkLines.slice(Math.max(0, chunkLines.length - (maxLines - lines.length))));
    }
    return lines;
  }

  /**
   * Chunk URLs are presigned, so the API token is never sent to them; chunks are immutable, so a
   * download may be repeated. Their text is the user's (often JSON lines) and is returned as-is.
   */
  async downloadLogChunk(url: string, bearerToken?: string): Promise<string> {
    return this.client.transport.json<string>({
      method: "GET",
      path: url,
      noAuth: true,
      idempotent: true,
      responseType: "text",
      headers: bearerToken ? { authorization: `Bearer ${bearerToken}` } : {},
    });
  }

  // ---- job queues ----

  /** Not resent on an ambiguous failure: callers look the queue up by name instead. */
  async createJobQueue(body: Record<string, unknown>): Promise<{ id: string }> {
    return this.client.result(createdJobQueueSchema, "POST", `${QUEUES}/create`, { body, idempotent: false });
  }

  async getJobQueue(jobQueueId: string): Promise<JobQueueModel | undefined> {
    try {
      return await this.client.result(jobQueueSchema, "GET", `${QUEUES}/${encodeURIComponent(jobQueueId)}`);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** POST /api/v2/job_queues/ (JobQueuesQuery); exact-name and project matches are re-checked client-side. */
  async searchJobQueues(search: JobQueueSearch): Promise<JobQueueModel[]> {
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

  async updateJobQueue(jobQueueId: string, changes: { max_concurrency?: number; idle_timeout_sec?: number }): Promise<JobQueueModel> {
    return this.client.result(jobQueueSchema, "PUT", `${QUEUES}/${encodeURIComponent(jobQueueId)}`, { body: changes });
  }

  /** "Seals" the queue: no new jobs are accepted. */
  async archiveJobQueue(jobQueueId: string): Promise<void> {
    await this.client.send("POST", `${QUEUES}/${encodeURIComponent(jobQueueId)}/archive`, { idempotent: true });
  }

  /** Terminates the queue's pending and running jobs. */
  async terminateJobQueue(jobQueueId: string): Promise<void> {
    await this.client.send("POST", `${QUEUES}/${encodeURIComponent(jobQueueId)}/terminate`, { idempotent: true });
  }

  /** Refused while the queue still has active jobs or a running cluster. */
  async deleteJobQueue(jobQueueId: string): Promise<void> {
    await this.client.send("DELETE", `${QUEUES}/${encodeURIComponent(jobQueueId)}`);
  }
}
