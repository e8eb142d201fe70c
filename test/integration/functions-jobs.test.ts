// Data functions for jobs (get, list with every filter, logs) against the local control plane.
import { AnyscaleClient } from "../../provider/anyscale/client";
import { InvalidArgumentError, ObjectNotFoundError } from "../../provider/core/errors";
import { getJob, getJobLogs, listJobs } from "../../provider/functions/jobs";
import type { FunctionContext } from "../../provider/functions/scope";
import { getTags } from "../../provider/functions/tags";
import { api, waitUntil, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(90_000);

const plane = withLocalPlane();

interface SubmittedJob {
  id: string;
  name: string;
  createdAt: string;
}

const LOG_LINES = 30;
const JOBS: Array<{ name: string; entrypoint: string; tags: Record<string, string>; final: string[] }> = [
  { name: "fnjob-first", entrypoint: "echo first-run", tags: { team: "mlops", env: "prod" }, final: ["SUCCESS"] },
  { name: "fnjob-build", entrypoint: "echo build", tags: { team: "infra", env: "prod" }, final: ["SUCCESS"] },
  { name: "fnjob-broken", entrypoint: "echo failing; exit 3", tags: { team: "web", env: "dev" }, final: ["OUT_OF_RETRIES", "BROKEN"] },
  {
    name: "fnjob-logs",
    entrypoint: `for i in $(seq 1 ${LOG_LINES}); do echo "line $i"; done; echo '{"asctime": "2026-01-01 00:00:00", "message": "structured done"}'`,
    tags: { team: "mlops", env: "dev" },
    final: ["SUCCESS"],
  },
  { name: "fnjob-first", entrypoint: "echo second-run", tags: { team: "mlops", env: "prod" }, final: ["SUCCESS"] },
  { name: "fnjob-sleeper", entrypoint: "sleep 120", tags: { team: "infra", env: "dev" }, final: ["RUNNING"] },
];
const ARCHIVED = "fnjob-archived";

let context: FunctionContext;
const submitted: SubmittedJob[] = [];
let archivedId: string;

async function requestLog(): Promise<Array<{ method: string; path: string; query: unknown; body: unknown }>> {
  return (await api(plane()).get("/_local/requests")).body;
}

async function submit(name: string, entrypoint: string, tags: Record<string, string>): Promise<SubmittedJob> {
  const response = await api(plane()).post("/api/v2/decorated_ha_jobs/create", { name, config: { entrypoint, max_retries: 0 }, tags });
  expect(response.status).toBeLessThan(300);
  return { id: response.body.result.id, name, createdAt: response.body.result.created_at };
}

async function backendState(id: string): Promise<string> {
  return (await api(plane()).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result.state.current_state;
}

beforeAll(async () => {
  context = { client: new AnyscaleClient({ host: plane().url, token: plane().token }) };
  for (const spec of JOBS) {
    const job = await submit(spec.name, spec.entrypoint, spec.tags);
    submitted.push(job);
    await waitUntil(async () => spec.final.includes(await backendState(job.id)), { what: `${spec.name} in ${spec.final.join("/")}`, timeoutMs: 30_000 });
  }
  const archived = await submit(ARCHIVED, "echo archived", { team: "mlops", env: "prod" });
  await waitUntil(async () => (await backendState(archived.id)) === "SUCCESS", { what: "archived job done", timeoutMs: 30_000 });
  expect((await api(plane()).post(`/api/v2/decorated_ha_jobs/${archived.id}/archive`)).status).toBeLessThan(300);
  archivedId = archived.id;
});

const names = (result: { jobs: Array<{ name: string }> }) => result.jobs.map((job) => job.name).sort();
const ALL_ACTIVE = JOBS.map((job) => job.name).sort();

describe("listJobs", () => {
  test("pages through every page", async () => {
    await api(plane()).del("/_local/requests");
    const result = await listJobs(context, { name: "fnjob-", pageSize: 2 });
    expect(names(result)).toEqual(ALL_ACTIVE);
    const listCalls = (await requestLog()).filter((entry) => entry.method === "GET" && entry.path.replace(/\/$/, "") === "/api/v2/decorated_ha_jobs");
    expect(listCalls).toHaveLength(3);
    // One batch run search per page, as the SDK does.
    expect((await requestLog()).filter((entry) => entry.path === "/api/v2/decorated_ha_jobs/job_runs/search")).toHaveLength(3);
  });

  test("maxItems", async () => {
    expect((await listJobs(context, { name: "fnjob-", pageSize: 2, maxItems: 3 })).jobs).toHaveLength(3);
  });

  test("states map to the SDK's user-facing states", async () => {
    expect(names(await listJobs(context, { name: "fnjob-", states: ["FAILED"] }))).toEqual(["fnjob-broken"]);
    expect(names(await listJobs(context, { name: "fnjob-", states: ["running", "STARTING"] }))).toEqual(["fnjob-sleeper"]);
    const succeeded = await listJobs(context, { name: "fnjob-", states: ["SUCCEEDED"], pageSize: 2 });
    expect(names(succeeded)).toEqual(["fnjob-build", "fnjob-first", "fnjob-first", "fnjob-logs"]);
    expect(succeeded.jobs.every((job) => job.state === "SUCCEEDED" && job.backendState === "SUCCESS")).toBe(true);
  });

  test("tags: OR within a key, AND across keys", async () => {
    expect(names(await listJobs(context, { tags: { team: ["infra", "web"] } }))).toEqual(["fnjob-broken", "fnjob-build", "fnjob-sleeper"]);
    expect(names(await listJobs(context, { tags: { team: ["infra", "web"], env: "dev" } }))).toEqual(["fnjob-broken", "fnjob-sleeper"]);
  });

  test("includeArchived", async () => {
    expect(names(await listJobs(context, { name: "fnjob-" }))).not.toContain(ARCHIVED);
    expect(names(await listJobs(context, { name: "fnjob-", includeArchived: true }))).toContain(ARCHIVED);
  });

  test("created-at range, bounded by the server's own timestamps", async () => {
    const third = submitted[2];
    const fromThird = await listJobs(context, { name: "fnjob-", createdAtFrom: third.createdAt });
    expect(fromThird.jobs.map((job) => job.id).sort()).toEqual(submitted.slice(2).map((job) => job.id).sort());
    const untilThird = await listJobs(context, { name: "fnjob-", createdAtTo: third.createdAt });
    expect(untilThird.jobs.map((job) => job.id).sort()).toEqual(submitted.slice(0, 3).map((job) => job.id).sort());
  });

  test("updated-at and status-updated-at ranges", async () => {
    const first = submitted[0].createdAt;
    expect((await listJobs(context, { name: "fnjob-", updatedAtFrom: first, statusUpdatedAtFrom: first })).jobs).toHaveLength(JOBS.length);
    expect((await listJobs(context, { name: "fnjob-", updatedAtTo: "2000-01-01T00:00:00Z" })).jobs).toEqual([]);
    expect((await listJobs(context, { name: "fnjob-", statusUpdatedAtTo: "2000-01-01T00:00:00Z" })).jobs).toEqual([]);
    const log = JSON.stringify(await requestLog());
    expect(log).toContain("status_updated_at_to");
    expect(log).toContain("updated_at_from");
  });

  test("sort field and order", async () => {
    const byNameDesc = await listJobs(context, { name: "fnjob-", sortField: "NAME", sortOrder: "DESC", pageSize: 2 });
    expect(byNameDesc.jobs.map((job) => job.name)).toEqual([...ALL_ACTIVE].reverse());
    const byCreated = await listJobs(context, { name: "fnjob-", sortField: "CREATED_AT", sortOrder: "ASC" });
    expect(byCreated.jobs.map((job) => job.id)).toEqual(submitted.map((job) => job.id));
  });

  test("only the caller's jobs unless includeAllUsers", async () => {
    await api(plane()).del("/_local/requests");
    await listJobs(context, { name: "fnjob-" });
    await listJobs(context, { name: "fnjob-", includeAllUsers: true });
    const lists = (await requestLog()).filter((entry) => entry.path.replace(/\/$/, "") === "/api/v2/decorated_ha_jobs");
    expect(JSON.stringify(lists[0].query)).toContain("creator_id");
    expect(JSON.stringify(lists[1].query)).not.toContain("creator_id");
  });

  test("id selects one job", async () => {
    expect(names(await listJobs(context, { id: submitted[1].id }))).toEqual(["fnjob-build"]);
    expect((await listJobs(context, { id: "prodjob_nope" })).jobs).toEqual([]);
  });

  test("contradicting filters are rejected before any request", async () => {
    await api(plane()).del("/_local/requests");
    await expect(listJobs(context, { createdAtFrom: "2026-03-01T00:00:00Z", createdAtTo: "2026-02-01T00:00:00Z" })).rejects.toThrow("'createdAtFrom'");
    await expect(listJobs(context, { sortOrder: "ASC" })).rejects.toThrow(InvalidArgumentError);
    await expect(listJobs(context, { states: ["UNKNOWN"] })).rejects.toThrow("'states[0]'");
    expect((await requestLog()).filter((entry) => !entry.path.startsWith("/_local"))).toEqual([]);
  });
});

describe("getJob", () => {
  test("by name: the newest job of that exact name, with its runs", async () => {
    const job = await getJob(context, { name: "fnjob-first" });
    expect(job.id).toBe(submitted[4].id);
    expect(job.state).toBe("SUCCEEDED");
    expect(job.runs).toHaveLength(1);
    expect(job.runs[0].state).toBe("SUCCEEDED");
    expect(job.entrypoint).toBe("echo second-run");
  });

  test("by id; failed jobs report FAILED", async () => {
    const job = await getJob(context, { id: submitted[2].id });
    expect(job.name).toBe("fnjob-broken");
    expect(job.state).toBe("FAILED");
  });

  test("not found, and archived only on request", async () => {
    await expect(getJob(context, { name: "fnjob-" })).rejects.toThrow(ObjectNotFoundError);
    await expect(getJob(context, { name: ARCHIVED })).rejects.toThrow("includeArchived");
    expect((await getJob(context, { name: ARCHIVED, includeArchived: true })).id).toBe(archivedId);
  });
});

describe("getJobLogs", () => {
  test("TAIL (default) and HEAD with maxLines", async () => {
    const tail = await getJobLogs(context, { name: "fnjob-logs", maxLines: 3 });
    expect(tail.logs).toBe(`line ${LOG_LINES - 1}\nline ${LOG_LINES}\n2026-01-01 00:00:00 structured done\n`);
    const head = await getJobLogs(context, { name: "fnjob-logs", mode: "HEAD", maxLines: 2 });
    expect(head.logs).toBe("line 1\nline 2\n");
    expect(head.runId).toBeTruthy();
  });

  test("the whole log without maxLines", async () => {
    const all = await getJobLogs(context, { id: submitted[3].id });
    expect(all.logs.split("\n").filter(Boolean)).toHaveLength(LOG_LINES + 1);
  });

  test("a log made only of structured (JSON) lines shows their messages", async () => {
    const job = await submit("structured-json-job", `echo '{"message": "one"}'; echo '{"message": "two", "asctime": "t2"}'`, {});
    await waitUntil(async () => (await backendState(job.id)) === "SUCCESS", { what: "json job done", timeoutMs: 30_000 });
    expect((await getJobLogs(context, { id: job.id })).logs).toBe("one\nt2 two\n");
  });

  test("a named run, and an unknown run", async () => {
    const job = await getJob(context, { name: "fnjob-build" });
    const logs = await getJobLogs(context, { id: job.id, run: job.runs[0].name! });
    expect(logs.logs).toBe("build\n");
    await expect(getJobLogs(context, { id: job.id, run: "raysubmit_nope" })).rejects.toThrow("raysubmit_nope");
  });
});

describe("getTags for jobs", () => {
  test("by name resolves the newest job", async () => {
    const tags = await getTags(context, { resource: "job", name: "fnjob-sleeper" });
    expect(tags).toEqual({ resource: "job", id: submitted[5].id, tags: { team: "infra", env: "dev" } });
  });
});
