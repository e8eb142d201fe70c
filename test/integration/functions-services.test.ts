// Data functions for services against the local control plane, over real HTTP.
import { AnyscaleClient } from "../../provider/anyscale/client";
import { InvalidArgumentError, ObjectNotFoundError } from "../../provider/core/errors";
import type { FunctionContext } from "../../provider/functions/scope";
import { getService, listServices } from "../../provider/functions/services";
import { getTags } from "../../provider/functions/tags";
import { api, waitUntil, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();

interface Fixture {
  context: FunctionContext;
  ids: Record<string, string>;
  tokens: string[];
}

const SERVICES: Array<{ name: string; tags: Record<string, string> }> = [
  { name: "fn-alpha", tags: { team: "mlops", env: "prod" } },
  { name: "fn-bravo", tags: { team: "infra", env: "prod" } },
  { name: "fn-charlie", tags: { team: "web", env: "prod" } },
  { name: "fn-delta", tags: { team: "mlops", env: "dev" } },
  { name: "fn-echo", tags: { team: "infra", env: "dev" } },
];
const ARCHIVED = "fn-foxtrot";

let fixture: Fixture;

async function requestLog(): Promise<Array<{ method: string; path: string; query: string | Record<string, unknown> }>> {
  return (await api(plane()).get("/_local/requests")).body;
}

async function clearRequestLog(): Promise<void> {
  await api(plane()).del("/_local/requests");
}

beforeAll(async () => {
  const caller = api(plane());
  const cloud = (await caller.get("/ext/v0/clouds/default")).body.result;
  const compute = (await caller.get(`/ext/v0/cluster_computes/default?cloud_id=${cloud.id}`)).body.result;
  const build = (await caller.get("/ext/v0/cluster_environment_builds/default?python_version=py311&ray_version=2.59.0")).body.result;
  const ids: Record<string, string> = {};
  const tokens: string[] = [];
  for (const spec of [...SERVICES, { name: ARCHIVED, tags: { team: "mlops", env: "prod" } }]) {
    const response = await caller.put("/api/v2/services-v2/apply", {
      name: spec.name,
      ray_serve_config: { applications: [{ import_path: "main:app" }] },
      build_id: build.id,
      compute_config_id: compute.id,
      config: { access: { use_bearer_token: true } },
      tags: spec.tags,
    });
    expect(response.status).toBeLessThan(300);
    ids[spec.name] = response.body.result.id;
    if (response.body.result.auth_token) tokens.push(response.body.result.auth_token);
  }
  for (const id of Object.values(ids)) {
    await waitUntil(async () => (await caller.get(`/api/v2/services-v2/${id}`)).body.result.current_state === "RUNNING", { what: `service ${id} running` });
  }
  // One archived service: terminate, wait, archive.
  await caller.post(`/api/v2/services-v2/${ids[ARCHIVED]}/terminate`);
  await waitUntil(async () => (await caller.get(`/api/v2/services-v2/${ids[ARCHIVED]}`)).body.result.current_state === "TERMINATED", { what: "terminated" });
  expect((await caller.post(`/api/v2/services-v2/${ids[ARCHIVED]}/archive`)).status).toBeLessThan(300);
  fixture = { context: { client: new AnyscaleClient({ host: plane().url, token: plane().token }) }, ids, tokens };
});

const namesOf = (result: { services: Array<{ name: string }> }) => result.services.map((service) => service.name).sort();

describe("listServices", () => {
  test("pages through every page (page size 2, 5 services)", async () => {
    await clearRequestLog();
    const result = await listServices(fixture.context, { name: "fn-", pageSize: 2 });
    expect(namesOf(result)).toEqual(SERVICES.map((s) => s.name).sort());
    const listCalls = (await requestLog()).filter((entry) => entry.method === "GET" && entry.path.replace(/\/$/, "") === "/api/v2/services-v2");
    expect(listCalls.length).toBe(3);
    expect(JSON.stringify(listCalls[1].query)).toContain("paging_token");
  });

  test("maxItems stops paging once reached", async () => {
    await clearRequestLog();
    const result = await listServices(fixture.context, { name: "fn-", pageSize: 2, maxItems: 3 });
    expect(result.services).toHaveLength(3);
    const listCalls = (await requestLog()).filter((entry) => entry.method === "GET" && entry.path.replace(/\/$/, "") === "/api/v2/services-v2");
    expect(listCalls.length).toBe(2);
  });

  test("tags: OR within a key, AND across keys", async () => {
    const orWithin = await listServices(fixture.context, { tags: { team: ["mlops", "infra"] }, pageSize: 2 });
    expect(namesOf(orWithin)).toEqual(["fn-alpha", "fn-bravo", "fn-delta", "fn-echo"]);
    const andAcross = await listServices(fixture.context, { tags: { team: ["mlops", "infra"], env: "prod" }, pageSize: 2 });
    expect(namesOf(andAcross)).toEqual(["fn-alpha", "fn-bravo"]);
    const none = await listServices(fixture.context, { tags: { team: "web", env: "dev" } });
    expect(none.services).toEqual([]);
  });

  test("includeArchived adds archived services", async () => {
    expect(namesOf(await listServices(fixture.context, { name: "fn-" }))).not.toContain(ARCHIVED);
    expect(namesOf(await listServices(fixture.context, { name: "fn-", includeArchived: true }))).toContain(ARCHIVED);
  });

  test("states filter (case-insensitive, repeatable)", async () => {
    const running = await listServices(fixture.context, { name: "fn-", states: ["running"] });
    expect(namesOf(running)).toEqual(SERVICES.map((s) => s.name).sort());
    const terminated = await listServices(fixture.context, { name: "fn-", states: ["TERMINATED", "TERMINATING"], includeArchived: true });
    expect(namesOf(terminated)).toEqual([ARCHIVED]);
  });

  test("sort by name, descending and ascending", async () => {
    const descending = await listServices(fixture.context, { name: "fn-", sort: "-name", pageSize: 2 });
    expect(descending.services.map((s) => s.name)).toEqual(SERVICES.map((s) => s.name).sort().reverse());
    const ascending = await listServices(fixture.context, { name: "fn-", sort: "NAME" });
    expect(ascending.services.map((s) => s.name)).toEqual(SERVICES.map((s) => s.name).sort());
  });

  test("sort by creation time follows the order the services were created in", async () => {
    const newestFirst = await listServices(fixture.context, { name: "fn-", sort: "-created_at", pageSize: 2 });
    expect(newestFirst.services.map((s) => s.name)).toEqual(SERVICES.map((s) => s.name).reverse());
  });

  test("createdByMe sends the caller's user id", async () => {
    await clearRequestLog();
    const mine = await listServices(fixture.context, { name: "fn-", createdByMe: true });
    expect(namesOf(mine)).toEqual(SERVICES.map((s) => s.name).sort());
    const log = await requestLog();
    expect(log.some((entry) => entry.path.startsWith("/api/v2/userinfo"))).toBe(true);
    expect(JSON.stringify(log.filter((entry) => entry.path.startsWith("/api/v2/services-v2")))).toContain("creator_id");
  });

  test("cloud and project names are resolved to ids; unknown names are reported", async () => {
    const cloud = (await api(plane()).get("/ext/v0/clouds/default")).body.result;
    const project = (await api(plane()).get(`/ext/v0/projects/default_project?parent_cloud_id=${cloud.id}`)).body.result;
    const scoped = await listServices(fixture.context, { name: "fn-", cloud: cloud.name, project: project.name });
    expect(scoped.services).toHaveLength(SERVICES.length);
    await expect(listServices(fixture.context, { project: "no-such-project" })).rejects.toThrow("no-such-project");
  });

  test("id selects one service; an unknown id gives an empty list", async () => {
    expect(namesOf(await listServices(fixture.context, { id: fixture.ids["fn-bravo"] }))).toEqual(["fn-bravo"]);
    expect((await listServices(fixture.context, { id: "service2_doesnotexist" })).services).toEqual([]);
  });

  test("bad filters are rejected naming the argument, before any request", async () => {
    await clearRequestLog();
    await expect(listServices(fixture.context, { states: ["SLEEPING"] })).rejects.toThrow(InvalidArgumentError);
    await expect(listServices(fixture.context, { id: "x", tags: { a: "b" } })).rejects.toThrow("'tags'");
    await expect(listServices(fixture.context, { pageSize: 500 })).rejects.toThrow("'pageSize'");
    const log = await requestLog();
    expect(log.filter((entry) => !entry.path.startsWith("/_local"))).toEqual([]);
  });
});

describe("getService", () => {
  test("by name: exact match only, although the server matches substrings", async () => {
    const service = await getService(fixture.context, { name: "fn-alpha" });
    expect(service.id).toBe(fixture.ids["fn-alpha"]);
    expect(service.state).toBe("RUNNING");
    expect(service.queryUrl).toBeTruthy();
    expect(service.primaryVersion?.weight).toBe(100);
    await expect(getService(fixture.context, { name: "fn-" })).rejects.toThrow(ObjectNotFoundError);
  });

  test("by id", async () => {
    expect((await getService(fixture.context, { id: fixture.ids["fn-echo"] })).name).toBe("fn-echo");
    await expect(getService(fixture.context, { id: "service2_doesnotexist" })).rejects.toThrow("service2_doesnotexist");
  });

  test("archived services only with includeArchived", async () => {
    await expect(getService(fixture.context, { name: ARCHIVED })).rejects.toThrow("includeArchived");
    expect((await getService(fixture.context, { name: ARCHIVED, includeArchived: true })).id).toBe(fixture.ids[ARCHIVED]);
  });

  test("the query auth token is never returned", async () => {
    const service = await getService(fixture.context, { name: "fn-alpha" });
    expect(service.queryAuthTokenEnabled).toBe(true);
    const listed = await listServices(fixture.context, { name: "fn-" });
    const text = JSON.stringify([service, listed]);
    expect(fixture.tokens.length).toBeGreaterThan(0);
    for (const token of fixture.tokens) expect(text).not.toContain(token);
    expect(text).not.toContain("auth_token");
  });
});

describe("getTags for services", () => {
  test("by name and by id", async () => {
    expect((await getTags(fixture.context, { resource: "service", name: "fn-charlie" })).tags).toEqual({ team: "web", env: "prod" });
    const byId = await getTags(fixture.context, { resource: "service", id: fixture.ids["fn-delta"] });
    expect(byId).toEqual({ resource: "service", id: fixture.ids["fn-delta"], tags: { team: "mlops", env: "dev" } });
  });
});
