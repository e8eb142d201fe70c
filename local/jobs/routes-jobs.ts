// Job endpoints: internal /api/v2/decorated_ha_jobs and external /ext/v0/production_jobs, plus job runs.
import { getTags, parseTagFilter } from "../tags";
import { LocalApiError, type LocalApp, type RouteContext } from "../types";
import { parseInput } from "../validation";
import type { JobEngine } from "./engine";
import { filterJobs, pageOf, sortJobs } from "./list-query";
import type { JobRunRecord } from "./records";
import { renderDecoratedJob, renderExternalJobRun, renderInternalJob, renderJobRunSummary, renderProductionJob } from "./render";
import { renderContextFor } from "./render-context";
import { CreateJobSchema, ExternalJobsQuerySchema, ListJobsQuerySchema, SearchJobRunsSchema } from "./schemas";
import type { JobRunSortField, SortOrder } from "./wire-enums";

/** Query keys the platform accepts repeated (collection format "multi"). */
const REPEATED_QUERY_KEYS = new Set(["state_filter", "tag_filter"]);

const DEFAULT_MAX_RUNS_PER_JOB = 100;

export function registerJobEndpoints(app: LocalApp, engine: JobEngine): void {
  const ctx = () => renderContextFor(app, engine);
  const r = app.router;

  r.add("POST", "/api/v2/decorated_ha_jobs/create", (req) => {
    const body = parseInput(CreateJobSchema, req.body);
    const job = engine.submit(body);
    return { status: 200, body: { result: renderInternalJob(job, ctx()) } };
  });

  r.add("GET", "/api/v2/decorated_ha_jobs", (req) => {
    const query = parseInput(ListJobsQuerySchema, gatherQuery(req.query), "query");
    const tagFilter = parseTagFilter(query.tag_filter ?? []);
    const matched = filterJobs(engine.jobs(), query, { tagFilter, tagsOf: (id) => getTags(app.store, "job", id) });
    const page = pageOf(sortJobs(matched, query.sort_field, query.sort_order), query.count, query.paging_token);
    const c = ctx();
    return { status: 200, body: { results: page.results.map((j) => renderDecoratedJob(j, c)), metadata: page.metadata } };
  });

  r.add("POST", "/api/v2/decorated_ha_jobs/batch_get", (req) => {
    if (!Array.isArray(req.body) || !req.body.every((id) => typeof id === "string")) {
      throw new LocalApiError(422, "Invalid request body: expected a JSON array of job ids.");
    }
    const c = ctx();
    const results = (req.body as string[]).map((id) => engine.job(id)).filter((j) => j !== undefined).map((j) => renderDecoratedJob(j, c));
    return { status: 200, body: { results, metadata: { total: results.length, next_paging_token: null } } };
  });

  r.add("GET", "/api/v2/decorated_ha_jobs/:id", (req) => ({ status: 200, body: { result: renderDecoratedJob(engine.requireJob(req.params.id), ctx()) } }));

  r.add("POST", "/api/v2/decorated_ha_jobs/:id/terminate", (req) => ({ status: 200, body: { result: renderInternalJob(engine.terminate(req.params.id), ctx()) } }));

  // The SDK ignores this body (response_type None); other clients get the archived job.
  r.add("POST", "/api/v2/decorated_ha_jobs/:id/archive", (req) => ({ status: 200, body: { result: renderDecoratedJob(engine.archive(req.params.id), ctx()) } }));

  r.add("DELETE", "/api/v2/decorated_ha_jobs/:id", (req) => {
    engine.delete(req.params.id);
    return { status: 204 };
  });

  r.add("POST", "/api/v2/decorated_ha_jobs/job_runs/search", (req) => {
    const body = parseInput(SearchJobRunsSchema, req.body);
    const clauses = body.sort_by_clauses?.length ? body.sort_by_clauses : [{ sort_field: "CREATED_AT" as const, sort_order: "ASC" as const }];
    const results: Record<string, unknown[]> = {};
    for (const jobId of body.ha_job_ids) {
      if (!engine.job(jobId)) continue;
      const runs = sortRuns(
        engine.runsOf(jobId).filter((run) => !body.run_name || run.name === body.run_name),
        clauses,
      );
      results[jobId] = runs.slice(0, body.max_runs_per_job ?? DEFAULT_MAX_RUNS_PER_JOB).map(renderJobRunSummary);
    }
    return { status: 200, body: { results } };
  });

  // External API (the SDK reads a job by id and terminates through it).
  r.add("GET", "/ext/v0/production_jobs/:id", (req) => ({ status: 200, body: { result: renderProductionJob(engine.requireJob(req.params.id), ctx()) } }));

  r.add("POST", "/ext/v0/production_jobs/:id/terminate", (req) => ({
    status: 200,
    body: { result: renderProductionJob(engine.terminate(req.params.id), ctx()) },
  }));

  r.add("POST", "/ext/v0/jobs/search", (req) => {
    const body = parseInput(ExternalJobsQuerySchema, req.body);
    const states = body.state_filter?.length ? new Set(body.state_filter) : undefined;
    const runs = sortRuns(
      (body.ha_job_id ? engine.runsOf(body.ha_job_id) : engine.jobs().flatMap((j) => engine.runsOf(j.id))).filter(
        (run) =>
          (!body.name?.equals || run.name === body.name.equals) &&
          (!body.creator_id || run.creator_id === body.creator_id) &&
          (!body.project_id || run.project_id === body.project_id) &&
          (!states || states.has(run.status)),
      ),
      [{ sort_field: "CREATED_AT", sort_order: "DESC" }],
    );
    const page = pageOf(runs, body.paging?.count, body.paging?.paging_token);
    return { status: 200, body: { results: page.results.map(renderExternalJobRun), metadata: page.metadata } };
  });
}

function sortRuns(runs: JobRunRecord[], clauses: ReadonlyArray<{ sort_field: JobRunSortField; sort_order: SortOrder }>): JobRunRecord[] {
  const key = (run: JobRunRecord, field: JobRunSortField) =>
    field === "NAME" ? run.name : field === "FINISHED_AT" ? (run.finished_at ?? "") : run.created_at;
  return [...runs].sort((a, b) => {
    for (const clause of clauses) {
      const ka = key(a, clause.sort_field);
      const kb = key(b, clause.sort_field);
      if (ka !== kb) return (ka < kb ? -1 : 1) * (clause.sort_order === "DESC" ? -1 : 1);
    }
    // Same timestamp: attempt order is the true creation order.
    return a.attempt - b.attempt;
  });
}

/** Query parameters as an object: repeated keys become arrays, others keep their first value. */
export function gatherQuery(query: RouteContext["query"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    out[key] = REPEATED_QUERY_KEYS.has(key) ? query.getAll(key) : query.get(key)!;
  }
  return out;
}
