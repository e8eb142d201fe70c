// Job run logs as the SDK downloads them: GET /api/v2/logs/job_logs_download_v2/{job_run_id} returns
// presigned chunk URLs (served by this server), which the SDK then GETs one by one.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { LocalApiError, type LocalApp } from "../types";
import { parseInput } from "../validation";
import type { JobEngine } from "./engine";
import { renderDecoratedJobRun } from "./render";
import { renderContextFor } from "./render-context";
import { pageOfChunks, sealNewChunks } from "./log-chunks";
import { signChunkPath, verifyChunkSignature } from "./presign";
import type { JobRunRecord } from "./records";
import { LogDownloadQuerySchema } from "./schemas";

const CHUNK_URL_TTL_S = 3600;
const DEFAULT_PAGE_SIZE = 100;

export function registerLogEndpoints(app: LocalApp, engine: JobEngine): void {
  const secret = createHash("sha256").update(`job-log-chunks:${app.options.token}`).digest("hex");
  // Sealed chunk ends per run; rebuilt from the files after a restart (all runs are finished by then).
  const sealed = new Map<string, number[]>();

  const chunkEnds = (runId: string, logFile: string, finished: boolean): number[] => {
    const ends = sealed.get(runId) ?? [];
    const sealedEnd = ends.length ? ends[ends.length - 1] : 0;
    const tail = readRange(logFile, sealedEnd, Number.MAX_SAFE_INTEGER);
    ends.push(...sealNewChunks(sealedEnd, tail, finished));
    sealed.set(runId, ends);
    return ends;
  };

  app.router.add("GET", "/api/v2/logs/job_logs_download_v2/:runId", (req) => {
    const query = parseInput(LogDownloadQuerySchema, Object.fromEntries(req.query), "query");
    const run = engine.run(req.params.runId);
    if (!run) throw new LocalApiError(404, `Job run with id '${req.params.runId}' not found.`);
    const finished = run.finished_at !== null && !engine.isRunLive(run.id);
    const ends = chunkEnds(run.id, engine.runLogFile(run), finished);
    const page = pageOfChunks(ends.length, query.next_page_token ?? null, query.page_size ?? DEFAULT_PAGE_SIZE);
    const expires = Math.floor(Date.now() / 1000) + CHUNK_URL_TTL_S;
    const fileName = `job-driver-${run.name}.log`;
    const log_chunks = [];
    for (let i = page.from; i < page.to; i++) {
      const start = i === 0 ? 0 : ends[i - 1];
      const end = ends[i];
      const pathname = `/_local/job_logs/${run.id}/${start}-${end}`;
      const signature = signChunkPath(secret, pathname, expires);
      log_chunks.push({
        cluster_id: run.cluster_id,
        chunk_name: `${fileName}.${String(i).padStart(6, "0")}`,
        chunk_url: `${app.baseUrl()}${pathname}?expires=${expires}&signature=${signature}`,
        size: end - start,
        file_name: fileName,
        node_type: "head-node",
        node_ip: "127.0.0.1",
        instance_id: "local",
        session_id: run.cluster_id,
        job_id: run.id,
      });
    }
    const previous = page.from > 0 ? String(Math.max(0, page.from - (query.page_size ?? DEFAULT_PAGE_SIZE))) : null;
    return { status: 200, body: { result: { log_chunks, next_page_token: page.next, previous_page_token: previous, bearer_token: null } } };
  });

  // A job without a run yet: the SDK asks with an empty run id (`job_logs_download_v2/`); answer
  // with no chunks so `anyscale job logs` prints nothing rather than failing.
  app.router.add("GET", "/api/v2/logs/job_logs_download_v2", () => ({
    status: 200,
    body: { result: { log_chunks: [], next_page_token: null, previous_page_token: null, bearer_token: null } },
  }));

  // The legacy follow path (`anyscale job logs --follow`) reads the run and its cluster's journal.
  app.router.add("GET", "/api/v2/decorated_jobs/:runId", (req) => {
    const run = engine.run(req.params.runId);
    if (!run) throw new LocalApiError(404, `Job run with id '${req.params.runId}' not found.`);
    return { status: 200, body: { result: renderDecoratedJobRun(run, renderContextFor(app, engine)) } };
  });

  app.router.add("GET", "/api/v2/sessions/:clusterId/startup_logs", (req) => {
    const runs = engine.runsOnCluster(req.params.clusterId);
    if (runs.length === 0) throw new LocalApiError(404, `Cluster '${req.params.clusterId}' not found.`);
    const journal = clusterJournal(runs);
    const start = Math.max(0, Number(req.query.get("start_line") ?? 0) || 0);
    const end = Math.max(start, Number(req.query.get("end_line") ?? journal.length) || journal.length);
    const lines = journal.slice(start, end);
    const finished = runs.every((r) => r.finished_at !== null);
    return { status: 200, body: { result: { lines: lines.map((l) => l + "\n").join(""), num_lines: lines.length, start_line: start, finished } } };
  });

  // The chunk URLs are presigned, so this route takes no API token (like a bucket URL).
  app.router.add(
    "GET",
    "/_local/job_logs/:runId/:range",
    (req) => {
      if (!verifyChunkSignature(secret, req.path, req.query.get("expires"), req.query.get("signature"), Math.floor(Date.now() / 1000))) {
        throw new LocalApiError(403, "Log chunk URL signature is invalid or expired.");
      }
      const run = engine.run(req.params.runId);
      const m = /^(\d+)-(\d+)$/.exec(req.params.range);
      if (!run || !m) throw new LocalApiError(404, "Log chunk not found.");
      return { status: 200, raw: readRange(engine.runLogFile(run), Number(m[1]), Number(m[2])), contentType: "text/plain; charset=utf-8" };
    },
    { auth: false },
  );
}

function readRange(file: string, start: number, end: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const to = Math.min(end, size);
    if (to <= start) return Buffer.alloc(0);
    const buf = Buffer.alloc(to - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    return buf;
  } finally {
    fs.closeSync(fd);
  }
}

/** The cluster events a job's cluster journal shows: each run starting and ending. */
function clusterJournal(runs: readonly JobRunRecord[]): string[] {
  const events: Array<[string, string]> = [];
  for (const run of runs) {
    events.push([run.created_at, `Job run ${run.name} (attempt ${run.attempt}) submitted to the cluster.`]);
    if (run.finished_at) events.push([run.finished_at, `Job run ${run.name} finished: ${run.status}.`]);
  }
  return events.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([at, text]) => `${at} ${text}`);
}
