// Job queue endpoints under /api/v2/job_queues.
import { getTags } from "../tags";
import { LocalApiError, type LocalApp } from "../types";
import { parseInput } from "../validation";
import type { JobEngine } from "./engine";
import { filterQueues, pageOf, sortQueues } from "./list-query";
import type { JobQueueRecord } from "./records";
import { countQueueJobs, renderDecoratedQueue, renderQueue, renderQueueJob } from "./render";
import { renderContextFor } from "./render-context";
import { CreateJobQueueSchema, JobQueuesQuerySchema, QueueJobsQuerySchema, UpdateJobQueueSchema } from "./schemas";

export function registerQueueEndpoints(app: LocalApp, engine: JobEngine): void {
  const r = app.router;
  const decorated = (queue: JobQueueRecord) => renderDecoratedQueue(queue, countQueueJobs(engine.jobsOfQueue(queue.id)));

  r.add("POST", "/api/v2/job_queues/create", (req) => {
    const body = parseInput(CreateJobQueueSchema, req.body);
    return { status: 200, body: { result: renderQueue(engine.createQueue(body)) } };
  });

  // Search (JobQueuesQuery in the body), as the SDK's list_job_queues sends it.
  r.add("POST", "/api/v2/job_queues", (req) => {
    const query = parseInput(JobQueuesQuerySchema, req.body);
    const matched = filterQueues(engine.queues(), query, { tagsOf: (id) => getTags(app.store, "job_queue", id) });
    const page = pageOf(sortQueues(matched, query.sorting_directives), query.paging?.count, query.paging?.paging_token);
    return { status: 200, body: { results: page.results.map(decorated), metadata: page.metadata } };
  });

  r.add("GET", "/api/v2/job_queues/:id", (req) => ({ status: 200, body: { result: decorated(engine.requireQueue(req.params.id)) } }));

  r.add("PUT", "/api/v2/job_queues/:id", (req) => {
    const body = parseInput(UpdateJobQueueSchema, req.body);
    if (body.max_concurrency == null && body.idle_timeout_sec == null && !body.tags) {
      throw new LocalApiError(400, "Nothing to update: provide max_concurrency, idle_timeout_sec or tags.");
    }
    return { status: 200, body: { result: decorated(engine.updateQueue(req.params.id, body)) } };
  });

  r.add("POST", "/api/v2/job_queues/:id/archive", (req) => ({ status: 200, body: { result: decorated(engine.sealQueue(req.params.id)) } }));

  r.add("POST", "/api/v2/job_queues/:id/terminate", (req) => {
    const marked = engine.terminateQueue(req.params.id);
    const queue = engine.requireQueue(req.params.id);
    return { status: 200, body: { result: { job_queue_id: queue.id, session_id: queue.cluster_id, total_jobs_marked_for_termination: marked } } };
  });

  r.add("DELETE", "/api/v2/job_queues/:id", (req) => {
    engine.deleteQueue(req.params.id);
    return { status: 204 };
  });

  r.add("GET", "/api/v2/job_queues/:id/jobs", (req) => {
    const queue = engine.requireQueue(req.params.id);
    const ctx = renderContextFor(app, engine);
    const jobs = engine.jobsOfQueue(queue.id).sort((a, b) => a.submit_seq - b.submit_seq);
    const query = parseInput(QueueJobsQuerySchema, Object.fromEntries(req.query), "query");
    const page = pageOf(jobs, query.count, query.paging_token);
    return { status: 200, body: { results: page.results.map((j) => renderQueueJob(j, queue, ctx)), metadata: page.metadata } };
  });
}
