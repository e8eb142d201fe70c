// Jobs (/api/v2/decorated_ha_jobs), their runs (job_runs/search) and run logs (job_logs_download_v2).
// Paths and bodies follow the official SDK (anyscale/_private/anyscale_client/anyscale_client.py).
import { z } from "zod";
import { NotFoundError, UnexpectedResponseError } from "../core/errors";
import type { QueryValue } from "../core/http";
import type { Page } from "../core/paging";
import { registerSecret } from "../core/redact";
import type { AnyscaleClient, CallOptions } from "./client";
import { jobRunSearchSchema, jobSchema, logDownloadSchema, type JobModel, type JobRunModel } from "./job-models";
import { parseOrThrow } from "./parse";

const JOBS = "/api/v2/decorated_ha_jobs";
export const LIST_JOBS_PATH = `${JOBS}/`;
export const RUNS_SEARCH = `${JOBS}/job_runs/search`;
/** The SDK asks for at most this many runs per job. */
export const MAX_RUNS_PER_JOB = 100;
/** The SDK's page size when downloading log chunk lists. */
export const LOG_CHUNK_PAGE_SIZE = 1000;
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

export interface LogChunks {
  urls: string[];
  /** Some storage wants this on each chunk download; a secret (registered for redaction). */
  bearerToken?: string;
}

/** The SDK's runs search: by job ids, oldest first; with a run name, only that run. */
export function searchRunsBody(jobIds: readonly string[], runName?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ha_job_ids: [...jobIds],
    sort_by_clauses: [{ sort_field: "CREATED_AT", sort_order: "ASC" }],
    max_runs_per_job: runName ? 1 : MAX_RUNS_PER_JOB,
  };
  if (runName) body.run_name = runName;
  return body;
}

/** Older servers wrap the runs map in {"result": …}; accept both rather than guess. */
function unwrapResult(response: unknown): unknown {
  return response && typeof response === "object" && "result" in response ? (response as { result: unknown }).result : response;
}

export class JobsApi {
  constructor(private readonly client: AnyscaleClient) {}

  /** Never resent on an ambiguous failure: a repeat would start a second job (callers look the job up instead). */
  async submit(body: Record<string, unknown>): Promise<{ id: string; name?: string | null }> {
    return this.client.result(submittedJobSchema, "POST", `${JOBS}/create`, { body, idempotent: false });
  }

  /** The job, or undefined when the API says 404. */
  async get(jobId: string, options: Pick<CallOptions, "maxAttempts"> = {}): Promise<JobModel | undefined> {
    try {
      return await this.client.result(jobSchema, "GET", `${JOBS}/${encodeURIComponent(jobId)}`, options);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** Batch jobs matching the filters. The `name` filter is a substring match on the platform: callers compare exactly. */
  async search(search: JobSearch): Promise<JobModel[]> {
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

  /** One page of the non-archived batch jobs, newest first, for the shared poller (a waited job was just submitted). */
  pollPage(pagingToken: string | undefined, options: Pick<CallOptions, "maxAttempts"> = {}): Promise<Page<JobModel>> {
    return this.client.listPage(jobSchema, "GET", `${JOBS}/`, pagingToken, {
      ...options,
      query: { type_filter: "BATCH_JOB", archive_status: "NOT_ARCHIVED", sort_field: "CREATED_AT", sort_order: "DESC" },
    });
  }

  /** Runs of a job, oldest first. */
  async listRuns(jobId: string): Promise<JobRunModel[]> {
    return (await this.searchRuns([jobId]))[jobId] ?? [];
  }

  /** Terminating twice is harmless, so transient failures are retried. */
  async terminate(jobId: string): Promise<void> {
    await this.client.send("POST", `${JOBS}/${encodeURIComponent(jobId)}/terminate`, { idempotent: true });
  }

  /** Accepted only for a job in a final state. */
  async archive(jobId: string): Promise<void> {
    await this.client.send("POST", `${JOBS}/${encodeURIComponent(jobId)}/archive`, { idempotent: true });
  }

  /** Accepted only for a job in a final state; removes the job and its runs. */
  async delete(jobId: string): Promise<void> {
    await this.client.send("DELETE", `${JOBS}/${encodeURIComponent(jobId)}`);
  }

  /**
   * The last `maxLines` lines of a run's log. Chunk URLs are presigned (and may need the bearer token the
   * listing hands out), so the API token is never sent to them. Reads chunks from the end until enough
   * lines are collected, as the SDK's TAIL mode does.
   */
  async logTail(jobRunId: string, maxLines: number): Promise<string[]> {
    if (maxLines <= 0) return [];
    const { urls: chunkUrls, bearerToken } = await this.listLogChunks(jobRunId);
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

  /** One page of the filtered job list (GET /api/v2/decorated_ha_jobs/), decorated as the data functions read it. */
  listPage<S extends z.ZodType>(itemSchema: S, query: Record<string, QueryValue>): Promise<Page<z.output<S>>> {
    return this.client.page(itemSchema, "GET", `${JOBS}/`, { query });
  }

  /** Runs of several jobs in one call (as the SDK does per page), oldest first; optionally only the run with this name. */
  async searchRuns(jobIds: readonly string[], runName?: string): Promise<Record<string, JobRunModel[]>> {
    if (jobIds.length === 0) return {};
    const response = await this.client.transport.json({ method: "POST", path: RUNS_SEARCH, body: searchRunsBody(jobIds, runName), idempotent: true });
    return parseOrThrow(jobRunSearchSchema, unwrapResult(response), `POST ${RUNS_SEARCH}`).results;
  }

  /** Every chunk URL of a run's log, in order (GET /api/v2/logs/job_logs_download_v2/{run id}, all pages). */
  async listLogChunks(jobRunId: string): Promise<LogChunks> {
    const path = `/api/v2/logs/job_logs_download_v2/${encodeURIComponent(jobRunId)}`;
    const urls: string[] = [];
    let bearerToken: string | undefined;
    let pageToken: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_LOG_CHUNK_PAGES; page++) {
      const result = await this.client.result(logDownloadSchema, "GET", path, { query: { page_size: LOG_CHUNK_PAGE_SIZE, next_page_token: pageToken } });
      if (result.bearer_token) {
        registerSecret(result.bearer_token);
        bearerToken ??= result.bearer_token;
      }
      urls.push(...result.log_chunks.map((chunk) => chunk.chunk_url));
      const next = result.next_page_token ?? undefined;
      if (!next || result.log_chunks.length === 0) return { urls, bearerToken };
      if (seen.has(next)) throw new UnexpectedResponseError(`GET ${path}`, "the same next_page_token was returned twice");
      seen.add(next);
      pageToken = next;
    }
    throw new UnexpectedResponseError(`GET ${path}`, `more than ${MAX_LOG_CHUNK_PAGES} pages of log chunks`);
  }
}
