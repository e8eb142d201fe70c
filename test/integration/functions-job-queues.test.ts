// Data functions for job queues (get, list with every filter) and their tags, against the local control plane.
import { AnyscaleClient } from "../../provider/anyscale/client";
import { InvalidArgumentError, ObjectNotFoundError } from "../../provider/core/errors";
import { getJobQueue, listJobQueues } from "../../provider/functions/job-queues";
import type { FunctionContext } from "../../provider/functions/scope";
import { getTags } from "../../provider/functions/tags";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();

const QUEUES: Array<{ name: string; mode: string; tags: Record<string, string> }> = [
  { name: "fnq-alpha", mode: "FIFO", tags: { team: "mlops", env: "prod" } },
  { name: "fnq-bravo", mode: "LIFO", tags: { team: "infra", env: "prod" } },
  { name: "fnq-charlie", mode: "PRIORITY", tags: { team: "web", env: "prod" } },
  { name: "fnq-delta", mode: "FIFO", tags: { team: "mlops", env: "dev" } },
  { name: "fnq-echo", mode: "FIFO", tags: { team: "infra", env: "dev" } },
];
const SEALED = "fnq-sealed";

let context: FunctionContext;
const ids: Record<string, string> = {};

async function requestLog(): Promise<Array<{ method: string; path: string; body: unknown }>> {
  return (await api(plane()).get("/_local/requests")).body;
}

beforeAll(async () => {
  context = { client: new AnyscaleClient({ host: plane().url, token: plane().token }) };
  const caller = api(plane());
  const cloud = (await caller.get("/ext/v0/clouds/default")).body.result;
  const project = (await caller.get(`/ext/v0/projects/default_project?parent_cloud_id=${cloud.id}`)).body.result;
  const compute = (await caller.get(`/ext/v0/cluster_computes/default?cloud_id=${cloud.id}`)).body.result;
  const build = (await caller.get("/ext/v0/cluster_environment_builds/default?python_version=py311&ray_version=2.59.0")).body.result;
  for (const spec of [...QUEUES, { name: SEALED, mode: "FIFO", tags: { team: "mlops", env: "prod" } }]) {
    const created = await caller.post("/api/v2/job_queues/create", {
      job_queue_name: spec.name,
      execution_mode: spec.mode,
      compute_config_id: compute.id,
      cluster_environment_build_id: build.id,
      max_concurrency: 2,
      idle_timeout_sec: 60,
      project_id: project.id,
    });
    expect(created.status).toBeLessThan(300);
    ids[spec.name] = created.body.result.id;
    expect((await caller.put("/api/v2/tags/resource", { resource_type: "job_queue", resource_id: ids[spec.name], tags: spec.tags })).status).toBe(200);
  }
  expect((await caller.post(`/api/v2/job_queues/${ids[SEALED]}/archive`)).status).toBeLessThan(300);
});

const names = (result: { jobQueues: Array<{ name?: string }> }) => result.jobQueues.map((queue) => queue.name).sort();
const ACTIVE = QUEUES.map((queue) => queue.name).sort();

describe("listJobQueues", () => {
  test("pages through every page, with the paging in the body", async () => {
    await api(plane()).del("/_local/requests");
    const result = await listJobQueues(context, { pageSize: 2 });
    expect(names(result)).toEqual(ACTIVE);
    const searches = (await requestLog()).filter((entry) => entry.method === "POST" && entry.path.replace(/\/$/, "") === "/api/v2/job_queues");
    expect(searches).toHaveLength(3);
    expect(JSON.stringify(searches[1].body)).toContain("paging_token");
  });

  test("maxItems", async () => {
    expect((await listJobQueues(context, { pageSize: 2, maxItems: 3 })).jobQueues).toHaveLength(3);
  });

  test("tags: OR within a key, AND across keys", async () => {
    expect(names(await listJobQueues(context, { tags: { team: ["mlops", "web"] } }))).toEqual(["fnq-alpha", "fnq-charlie", "fnq-delta"]);
    expect(names(await listJobQueues(context, { tags: { team: ["mlops", "web"], env: "dev" } }))).toEqual(["fnq-delta"]);
  });

  test("includeArchived adds sealed queues", async () => {
    expect(names(await listJobQueues(context, {}))).not.toContain(SEALED);
    const all = await listJobQueues(context, { includeArchived: true });
    expect(names(all)).toContain(SEALED);
    expect(all.jobQueues.find((queue) => queue.name === SEALED)?.state).toBe("SEALED");
  });

  test("name is exact", async () => {
    expect(names(await listJobQueues(context, { name: "fnq-bravo" }))).toEqual(["fnq-bravo"]);
    expect(names(await listJobQueues(context, { name: "fnq-" }))).toEqual([]);
  });

  test("sort directives", async () => {
    const byNameDesc = await listJobQueues(context, { sort: [{ field: "name", order: "DESC" }], pageSize: 2 });
    expect(byNameDesc.jobQueues.map((queue) => queue.name)).toEqual([...ACTIVE].reverse());
  });

  test("createdByMe and creatorId filter on the creator", async () => {
    const me = (await api(plane()).get("/api/v2/userinfo/")).body.result.id;
    expect(names(await listJobQueues(context, { createdByMe: true }))).toEqual(ACTIVE);
    expect(names(await listJobQueues(context, { creatorId: me }))).toEqual(ACTIVE);
    expect((await listJobQueues(context, { creatorId: "usr_someone_else" })).jobQueues).toEqual([]);
  });

  test("cluster status, cloud and project", async () => {
    const cloud = (await api(plane()).get("/ext/v0/clouds/default")).body.result;
    const any = await listJobQueues(context, { cloud: cloud.name });
    expect(names(any)).toEqual(ACTIVE);
    const state = any.jobQueues[0].clusterState;
    expect(state).toBeTruthy();
    expect((await listJobQueues(context, { clusterStatus: state! })).jobQueues.length).toBeGreaterThan(0);
    expect((await listJobQueues(context, { clusterStatus: state === "Running" ? "Stopped" : "Running" })).jobQueues.every((queue) => queue.clusterState !== state)).toBe(true);
  });

  test("contradicting filters are rejected before any request", async () => {
    await api(plane()).del("/_local/requests");
    await expect(listJobQueues(context, { createdByMe: true, creatorId: "usr_x" })).rejects.toThrow("'creatorId'");
    await expect(listJobQueues(context, { id: "jq_1", name: "x" })).rejects.toThrow(InvalidArgumentError);
    expect((await requestLog()).filter((entry) => !entry.path.startsWith("/_local"))).toEqual([]);
  });
});

describe("getJobQueue", () => {
  test("by name and by id", async () => {
    const byName = await getJobQueue(context, { name: "fnq-charlie" });
    expect(byName).toMatchObject({ id: ids["fnq-charlie"], executionMode: "PRIORITY", maxConcurrency: 2, idleTimeoutS: 60, state: "ACTIVE" });
    expect((await getJobQueue(context, { id: ids["fnq-delta"] })).name).toBe("fnq-delta");
  });

  test("sealed only with includeArchived; unknown ids are reported", async () => {
    await expect(getJobQueue(context, { name: SEALED })).rejects.toThrow(ObjectNotFoundError);
    expect((await getJobQueue(context, { name: SEALED, includeArchived: true })).id).toBe(ids[SEALED]);
    await expect(getJobQueue(context, { id: "jq_nope" })).rejects.toThrow("jq_nope");
  });
});

describe("getTags for job queues", () => {
  test("by name and by id", async () => {
    expect((await getTags(context, { resource: "jobQueue", name: "fnq-echo" })).tags).toEqual({ team: "infra", env: "dev" });
    expect((await getTags(context, { resource: "jobQueue", id: ids["fnq-alpha"] })).tags).toEqual({ team: "mlops", env: "prod" });
  });
});
