// Job reads the shared JobsClient does not offer (a page of the filtered list, runs of many jobs at
// once, the run-log chunk listing for HEAD as well as TAIL), on the same client and transport.
import type { AnyscaleClient } from "../anyscale/client";
import { parseOrThrow } from "../anyscale/client";
import { JobsClient } from "../anyscale/jobs-client";
import { UnexpectedResponseError } from "../core/errors";
import type { QueryValue } from "../core/http";
import { registerSecret } from "../core/redact";
import { jobRunSearchSchema, logDownloadSchema, type JobRunModel } from "../anyscale/job-models";
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

/** One chunk's text, as the user's job wrote it (the JobsClient fetches it without the API token). */
export function downloadLogChunk(client: AnyscaleClient, url: string, bearerToken?: string): Promise<string> {
  return new JobsClient(client).downloadLogChunk(url, bearerToken);
}

