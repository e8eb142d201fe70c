import { api, errorText, applyBody, planeDefaults, waitUntil, withLocalPlane, type PlaneDefaults } from "../helpers/local-plane";

describe("local control plane: service list filters, paging and tags", () => {
  const plane = withLocalPlane();
  let d: PlaneDefaults;
  const a = () => api(plane());
  const ids: Record<string, string> = {};
  const names = (body: any) => body.results.map((s: any) => s.name).sort();

  beforeAll(async () => {
    d = await planeDefaults(a());
    const specs: Array<[string, Record<string, string>]> = [
      ["Alpha-API", { team: "ml", env: "prod" }],
      ["alpha-worker", { team: "infra", env: "prod" }],
      ["beta-api", { team: "ml", env: "dev" }],
      ["gamma", {}],
    ];
    for (const [name, tags] of specs) {
      ids[name] = (await a().put("/api/v2/services-v2/apply", applyBody(d, name, { tags }))).body.result.id;
    }
    await waitUntil(async () => (await a().get("/api/v2/services-v2/?state_filter=RUNNING")).body.results.length === 4);
    await a().post(`/api/v2/services-v2/${ids.gamma}/terminate`);
    await waitUntil(async () => (await a().get(`/api/v2/services-v2/${ids.gamma}`)).body.result.current_state === "TERMINATED");
  });

  test("name is a case-insensitive substring match", async () => {
    expect(names((await a().get("/api/v2/services-v2/?name=ALPHA")).body)).toEqual(["Alpha-API", "alpha-worker"]);
  });

  test("state_filter repeats; project_id and cloud_id filter; unknown creator matches nothing", async () => {
    expect(names((await a().get("/api/v2/services-v2/?state_filter=TERMINATED")).body)).toEqual(["gamma"]);
    expect((await a().get("/api/v2/services-v2/?state_filter=TERMINATED&state_filter=RUNNING")).body.results).toHaveLength(4);
    expect((await a().get(`/api/v2/services-v2/?project_id=${d.projectId}&cloud_id=${d.cloudId}`)).body.results).toHaveLength(4);
    expect((await a().get("/api/v2/services-v2/?creator_id=usr_nobody")).body.results).toHaveLength(0);
  });

  test("tag_filter: OR within a key, AND across keys", async () => {
    expect(names((await a().get("/api/v2/services-v2/?tag_filter=team:ml")).body)).toEqual(["Alpha-API", "beta-api"]);
    expect(names((await a().get("/api/v2/services-v2/?tag_filter=team:ml&tag_filter=team:infra")).body)).toEqual(["Alpha-API", "alpha-worker", "beta-api"]);
    expect(names((await a().get("/api/v2/services-v2/?tag_filter=team:ml&tag_filter=env:prod")).body)).toEqual(["Alpha-API"]);
    const bad = await a().get("/api/v2/services-v2/?tag_filter=nocolon");
    expect(bad.status).toBe(400);
    expect(errorText(bad.body)).toContain("tag_filter");
  });

  test("paging: count, next_paging_token and metadata.total; count > 50 rejected", async () => {
    const first = (await a().get("/api/v2/services-v2/?count=3&sort_field=NAME&sort_order=ASC")).body;
    expect(first.metadata.total).toBe(4);
    expect(first.results).toHaveLength(3);
    expect(first.metadata.next_paging_token).toEqual(expect.any(String));
    const second = (await a().get(`/api/v2/services-v2/?count=3&sort_field=NAME&sort_order=ASC&paging_token=${first.metadata.next_paging_token}`)).body;
    expect(second.results.map((s: any) => s.name)).toEqual(["gamma"]);
    expect(second.metadata.next_paging_token).toBeNull();
    expect(first.results.map((s: any) => s.name)).toEqual(["Alpha-API", "alpha-worker", "beta-api"]);
    expect((await a().get("/api/v2/services-v2/?count=51")).status).toBe(422);
    expect((await a().get("/api/v2/services-v2/?paging_token=garbage!")).status).toBe(400);
  });

  test("tags endpoints: get, upsert, delete keys; unknown resource 404", async () => {
    const id = ids["beta-api"];
    const tagsOf = async () =>
      Object.fromEntries((await a().get(`/api/v2/tags/resource?resource_type=service&resource_id=${id}`)).body.result.tags.map((t: any) => [t.key, t.value]));
    expect(await tagsOf()).toEqual({ team: "ml", env: "dev" });
    expect((await a().put("/api/v2/tags/resource", { resource_type: "service", resource_id: id, tags: { env: "staging", owner: "ana" } })).status).toBe(200);
    expect(await tagsOf()).toEqual({ team: "ml", env: "staging", owner: "ana" });
    const deleted = await a().del("/api/v2/tags/resource", { resource_type: "service", resource_id: id, keys: ["owner", "missing"] });
    expect(deleted.body.result.deleted).toBe(1);
    expect(await tagsOf()).toEqual({ team: "ml", env: "staging" });
    const unknown = await a().put("/api/v2/tags/resource", { resource_type: "service", resource_id: "service2_nope", tags: { a: "b" } });
    expect(unknown.status).toBe(404);
    const badType = await a().put("/api/v2/tags/resource", { resource_type: "cluster", resource_id: id, tags: {} });
    expect(badType.status).toBe(422);
    expect(errorText(badType.body)).toContain("resource_type");
  });
});
