import { filterJobs, filterQueues, pageOf, sortJobs, sortQueues } from "../../local/jobs/list-query";
import type { JobQueueRecord, JobRecord } from "../../local/jobs/records";
import { parseTagFilter } from "../../local/tags";

function job(id: string, seq: number, name: string, state: JobRecord["state"]["current_state"], archived = false): JobRecord {
  const at = `2026-01-0${seq}T00:00:00.000Z`;
  return {
    id,
    name,
    description: null,
    project_id: seq % 2 ? "prj_a" : "prj_b",
    cloud_id: "cld",
    creator_id: "usr",
    workspace_id: null,
    created_at: at,
    updated_at: at,
    status_updated_at: at,
    archived_at: archived ? at : null,
    ended_at: null,
    config: { entrypoint: "true", max_retries: 0 },
    priority: null,
    job_queue_id: null,
    submit_seq: seq,
    state: { id: "t", current_state: state, goal_state: "SUCCESS", state_transitioned_at: at, error: null, operation_message: null, cluster_id: null },
    last_job_run_id: null,
    attempts: 0,
  };
}

const jobs = [job("j1", 1, "train", "SUCCESS"), job("j2", 2, "Train-big", "RUNNING"), job("j3", 3, "eval", "OUT_OF_RETRIES"), job("j4", 4, "old", "SUCCESS", true)];
const tags: Record<string, Record<string, string>> = { j1: { team: "ml" }, j2: { team: "infra", env: "prod" }, j3: { team: "ml", env: "prod" } };
const ctx = (filters: string[] = []) => ({ tagFilter: parseTagFilter(filters), tagsOf: (id: string) => tags[id] ?? {} });
const ids = (list: JobRecord[]) => list.map((j) => j.id);

test("archive status defaults to NOT_ARCHIVED", () => {
  expect(ids(filterJobs(jobs, {}, ctx()))).toEqual(["j1", "j2", "j3"]);
  expect(ids(filterJobs(jobs, { archive_status: "ARCHIVED" }, ctx()))).toEqual(["j4"]);
  expect(ids(filterJobs(jobs, { archive_status: "ALL" }, ctx()))).toHaveLength(4);
});

test("name is a case-insensitive substring; states and projects filter exactly", () => {
  expect(ids(filterJobs(jobs, { name: "TRAIN" }, ctx()))).toEqual(["j1", "j2"]);
  expect(ids(filterJobs(jobs, { state_filter: ["SUCCESS", "OUT_OF_RETRIES"] }, ctx()))).toEqual(["j1", "j3"]);
  expect(ids(filterJobs(jobs, { project_id: "prj_b" }, ctx()))).toEqual(["j2"]);
  expect(ids(filterJobs(jobs, { type_filter: "SERVICE" }, ctx()))).toEqual([]);
});

test("tag filters: OR within a key, AND across keys", () => {
  expect(ids(filterJobs(jobs, {}, ctx(["team:ml", "team:infra"])))).toEqual(["j1", "j2", "j3"]);
  expect(ids(filterJobs(jobs, {}, ctx(["team:ml", "env:prod"])))).toEqual(["j3"]);
});

test("time ranges are inclusive", () => {
  expect(ids(filterJobs(jobs, { created_at_from: "2026-01-02T00:00:00Z", created_at_to: "2026-01-03T00:00:00Z" }, ctx()))).toEqual(["j2", "j3"]);
});

test("sorting: newest first by default, explicit fields with stable ties", () => {
  expect(ids(sortJobs(jobs))).toEqual(["j4", "j3", "j2", "j1"]);
  expect(ids(sortJobs(jobs, "NAME", "ASC"))).toEqual(["j2", "j3", "j4", "j1"]);
  expect(ids(sortJobs(jobs, "STATUS", "DESC"))).toEqual(["j1", "j4", "j2", "j3"]);
});

test("paging tokens walk the list and are validated", () => {
  const first = pageOf([1, 2, 3, 4, 5], 2, null);
  expect(first).toMatchObject({ results: [1, 2], metadata: { total: 5 } });
  const second = pageOf([1, 2, 3, 4, 5], 2, first.metadata.next_paging_token);
  const third = pageOf([1, 2, 3, 4, 5], 2, second.metadata.next_paging_token);
  expect([second.results, third.results, third.metadata.next_paging_token]).toEqual([[3, 4], [5], null]);
  expect(() => pageOf([1], 2, "garbage")).toThrow(/paging_token/);
});

function queue(id: string, name: string, state: "ACTIVE" | "SEALED", created: string): JobQueueRecord {
  return {
    id,
    name,
    user_provided_id: null,
    project_id: "prj",
    cloud_id: "cld",
    creator_id: "usr",
    creator_email: "u@x",
    compute_config_id: "cpt",
    cluster_environment_build_id: "bld",
    execution_mode: "FIFO",
    max_concurrency: 1,
    idle_timeout_sec: 0,
    auto_termination_threshold_job_count: null,
    state,
    created_at: created,
    sealed_at: null,
    cluster_id: null,
    cluster_state: "Terminated",
    idle_since: null,
  };
}

test("queue search: exact name, sealed counts as archived, tags, directives", () => {
  const queues = [queue("q1", "alpha", "ACTIVE", "2026-01-01"), queue("q2", "alphabet", "SEALED", "2026-01-02"), queue("q3", "beta", "ACTIVE", "2026-01-03")];
  const qtags: Record<string, Record<string, string>> = { q3: { env: "prod" } };
  const qctx = { tagsOf: (id: string) => qtags[id] ?? {} };
  expect(filterQueues(queues, { name: { equals: "alpha" } }, qctx).map((q) => q.id)).toEqual(["q1"]);
  expect(filterQueues(queues, { name: { contains: "ALPHA" }, archive_status: "ALL" }, qctx).map((q) => q.id)).toEqual(["q1", "q2"]);
  expect(filterQueues(queues, { archive_status: "ARCHIVED" }, qctx).map((q) => q.id)).toEqual(["q2"]);
  expect(filterQueues(queues, { tags_filter: { env: ["dev", "prod"] } }, qctx).map((q) => q.id)).toEqual(["q3"]);
  expect(sortQueues(queues, undefined).map((q) => q.id)).toEqual(["q3", "q2", "q1"]);
  expect(sortQueues(queues, [{ sort_field: "QUEUE_STATE", sort_order: "DESC" }, { sort_field: "NAME", sort_order: "ASC" }]).map((q) => q.id)).toEqual(["q2", "q1", "q3"]);
});
