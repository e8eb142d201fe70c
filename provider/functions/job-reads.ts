// Job reads the shared JobsClient does not offer (a page of the filtered list, runs of many jobs at
// once, the run-log chunk listing for HEAD as well as TAIL), on the same client and transport.
import type { AnyscaleClient } from "../anyscale/client";
import { parseOrThrow } from "../anyscale/client";
import { request, type Dispatcher } from "undici";
import { AnyscaleConnectionError, AnyscaleTimeoutError, UnexpectedResponseError, apiErrorFor } from "../core/errors";
import { extractDetail, type QueryValue } from "../core/http";
import { redact, registerSecret } from "../core/redact";
import { jobRunSearchSchema, logDownloadSchema, type JobRunModel } from "../job/models";
import { LIST_JOBS_PATH, SEARCH_JOB_RUNS_PATH, searchJobRunsBody } from "./job-queries";
import { jobDetailsSchema, type JobDetailsModel } from "./job-results";
import type { Page } from "./paging";

export function listJobsPage(client: AnyscaleClient, query: Record<string, QueryValue>): Promise<Page<JobDetailsModel>> {
  return client.page(jobDetailsSchema, "GET", LIST_JOBS_PATH, { query });
}

/** Runs of several jobs in one call (as the SDK does per page), oldest first; optionally only the run with this name. */
export async function searchJobRuns(client: AnyscaleClient, jobIds: readonly string[], runName?: string): Promise<Record<string, JobRunModel[]>> {
  if (jobIds.length === 0) return {};
  const response = await client.transport.json({ method: "POST", path: SEARCH_JOB_RUNS_PATH, body: searchJobRunsBody(jobIds, runName), idempotent: true });
  return parseOrThrow(jobRunSearchSchema, response, `POST ${SEARCH_JOB_RUNS_PATH}`).results;
}

export const LOG_CHUNK_PAGE_SIZE = 1000;
const MAX_LOG_CHUNK_PAGES = 1000;

export interface LogChunks {
  urls: string[];
  /** Some storage wants this on each chunk download; a secret (registered for redaction). */
  bearerToken?: string;
}

/** Every chunk URL of a run's log, in order (GET /api/v2/logs/job_logs_download_v2/{run id}, all pages). */
export async function listLogChunks(client: AnyscaleClient, jobRunId: string): Promise<LogChunks> {
  const path = `/api/v2/logs/job_logs_download_v2/${encodeURIComponent(jobRunId)}`;
  const urls: string[] = [];
  let bearerToken: string | undefined;
  let pageToken: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; page < MAX_LOG_CHUNK_PAGES; page++) {
    const result = await client.result(logDownloadSchema, "GET", path, { query: { page_size: LOG_CHUNK_PAGE_SIZE, next_page_token: pageToken } });
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

/**
 * One chunk's text. Chunk URLs are presigned: the API token is never sent to them.
 *
 * Fetched with undici directly, not the shared transport, because the transport parses any body that
 * starts with "{" as JSON, and a structured (JSON-lines) log then fails as "not valid JSON".
 * TODO(lead): once HttpRequestSpec has a text response mode, use client.transport here.
 */
export async function downloadLogChunk(client: AnyscaleClient, url: string, bearerToken?: string): Promise<string> {
  const absolute = /^https?:\/\//.test(url) ? url : `${client.host}${url.startsWith("/") ? "" : "/"}${url}`;
  const displayPath = redact(new URL(absolute).pathname);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(absolute, {
      method: "GET",
      headers: bearerToken ? { authorization: `Bearer ${bearerToken}` } : {},
      signal: AbortSignal.timeout(CHUNK_TIMEOUT_MS),
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") throw new AnyscaleTimeoutError("GET", displayPath, CHUNK_TIMEOUT_MS);
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    throw new AnyscaleConnectionError("GET", displayPath, code, error);
  }
  const text = await response.body.text();
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw apiErrorFor({ api: "Anyscale", status: response.statusCode, detail: redact(extractDetail(text)), method: "GET", path: displayPath });
  }
  return text;
}

const CHUNK_TIMEOUT_MS = 60_000;
