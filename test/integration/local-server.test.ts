import { api, errorText, withLocalPlane } from "../helpers/local-plane";

describe("local control plane: framework", () => {
  const plane = withLocalPlane();

  test("userinfo with cookie and bearer auth; every response has x-trace-id", async () => {
    const a = api(plane());
    const viaCookie = await a.get("/api/v2/userinfo/");
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.result.email).toBeTruthy();
    expect(viaCookie.headers["x-trace-id"]).toMatch(/^[0-9a-f]{32}$/);
    const viaBearer = await a.call("GET", "/api/v2/userinfo", undefined, { token: null, headers: { authorization: `Bearer ${plane().token}` } });
    expect(viaBearer.status).toBe(200);
  });

  test("a W3C traceparent from the client becomes the response's x-trace-id", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const res = await api(plane()).call("GET", "/api/v2/userinfo/", undefined, { headers: { traceparent: `00-${traceId}-0000000000000000-01` } });
    expect(res.headers["x-trace-id"]).toBe(traceId);
  });

  test.each([
    ["no token", null],
    ["wrong token", "sss_wrong"],
  ])("401 envelope with %s", async (_label, token) => {
    const res = await api(plane()).call("GET", "/api/v2/userinfo/", undefined, { token });
    expect(res.status).toBe(401);
    expect(typeof errorText(res.body)).toBe("string");
    expect(res.headers["x-trace-id"]).toBeTruthy();
  });

  test("unknown route is a 404 in the error envelope", async () => {
    const res = await api(plane()).get("/api/v2/no_such_thing");
    expect(res.status).toBe(404);
    expect(errorText(res.body)).toContain("/api/v2/no_such_thing");
  });

  test("malformed JSON is a 400; schema violations name the field", async () => {
    const a = api(plane());
    const malformed = await a.post("/api/v2/clouds/find_by_name", "{not json");
    expect(malformed.status).toBe(400);
    expect(errorText(malformed.body)).toMatch(/malformed json/i);
    const missing = await a.post("/api/v2/clouds/find_by_name", { nam: "x" });
    expect(missing.status).toBe(422);
    expect(errorText(missing.body)).toContain("name");
  });

  test("seeded defaults resolve like the platform's lookups", async () => {
    const a = api(plane());
    const cloud = (await a.get("/ext/v0/clouds/default")).body.result;
    expect(cloud.id).toMatch(/^cld_/);
    expect((await a.post("/api/v2/clouds/find_by_name", { name: cloud.name })).body.result.id).toBe(cloud.id);
    const missingCloud = await a.post("/api/v2/clouds/find_by_name", { name: "nope" });
    expect(missingCloud.status).toBe(404);
    expect(errorText(missingCloud.body)).toContain("nope");

    const project = (await a.get(`/ext/v0/projects/default_project?parent_cloud_id=${cloud.id}`)).body.result;
    const search = await a.post("/ext/v0/projects/search", { name: { equals: project.name }, parent_cloud_id: { equals: cloud.id } });
    expect(search.body.results.map((p: any) => p.id)).toEqual([project.id]);

    const compute = (await a.get(`/ext/v0/cluster_computes/default?cloud_id=${cloud.id}`)).body.result;
    const byName = await a.post("/api/v2/compute_templates/search", { orgwide: true, name: { equals: compute.name }, include_anonymous: true, archive_status: "NOT_ARCHIVED", version: -1 });
    expect(byName.body.results[0].id).toBe(compute.id);
    expect((await a.get(`/api/v2/compute_templates/${compute.id}`)).body.result.config.cloud_id).toBe(cloud.id);

    const build = await a.post("/api/v2/builds/get_or_create_build_from_image_uri", { image_uri: "anyscale/ray:2.48.0-py311" });
    const again = await a.post("/api/v2/builds/get_or_create_build_from_image_uri", { image_uri: "anyscale/ray:2.48.0-py311" });
    expect(build.body.result.id).toBe(again.body.result.id);
  });

  test("databricks connections resolve by name", async () => {
    const a = api(plane());
    const found = (await a.get("/api/v2/integrations/connections/databricks?name=local-databricks")).body.results;
    expect(found).toHaveLength(1);
    expect(found[0].user_connection_id).toEqual(expect.any(String));
    expect((await a.get("/api/v2/integrations/connections/databricks?name=nope")).body.results).toEqual([]);
  });
});

describe("local control plane: start failures", () => {
  test("a busy port rejects with the listen error", async () => {
    const { startTestPlane } = await import("../helpers/local-plane");
    const first = await startTestPlane();
    const port = Number(new URL(first.url).port);
    await expect(startTestPlane({ port })).rejects.toThrow(/EADDRINUSE/);
    await first.stop();
  });

  test("one server per data dir; the lock is released on stop", async () => {
    const { startTestPlane } = await import("../helpers/local-plane");
    const first = await startTestPlane();
    await expect(startTestPlane({ dataDir: first.dataDir })).rejects.toThrow(/in use by another anyscale-local/);
    await first.stop();
    const again = await startTestPlane({ dataDir: first.dataDir });
    expect((await api(again).get("/api/v2/userinfo/")).status).toBe(200);
    await again.stop();
  });
});
