import { request } from "undici";
import { api, applyBody, planeDefaults, waitUntil, withLocalPlane, type PlaneDefaults } from "../helpers/local-plane";

describe("local control plane: query URL", () => {
  const plane = withLocalPlane();
  let d: PlaneDefaults;
  const a = () => api(plane());
  const getService = async (id: string) => (await a().get(`/api/v2/services-v2/${id}`)).body.result;
  const query = async (url: string, token?: string | null, path = "/predict") => {
    const res = await request(url + path, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {}, body: '{"x":1}' });
    const text = await res.body.text();
    return { status: res.statusCode, text, json: res.headers["content-type"]?.toString().includes("json") ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    d = await planeDefaults(a());
  });

  test("routed to the running version with the bearer token; 401 without it", async () => {
    const created = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-query", { version: "v1" }))).body.result;
    await waitUntil(async () => (await getService(created.id)).current_state === "RUNNING");
    const ok = await query(created.base_url, created.auth_token);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ service: "svc-query", service_id: created.id, version: "v1", application: "default", path: "/predict", method: "POST" });
    expect((await query(created.base_url, null)).status).toBe(401);
    expect((await query(created.base_url, "wrong-token")).status).toBe(401);
    // The API token does not open the query URL.
    expect((await query(created.base_url, plane().token)).status).toBe(401);
  });

  test("bearer auth off: no auth_token and open query URL", async () => {
    const created = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-open", { config: { access: { use_bearer_token: false } } }))).body.result;
    expect(created.auth_token).toBeNull();
    await waitUntil(async () => (await getService(created.id)).current_state === "RUNNING");
    expect((await query(created.base_url, null)).status).toBe(200);
  });

  test("traffic splits by the versions' weights during a held canary", async () => {
    const created = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-split", { version: "v1" }))).body.result;
    await waitUntil(async () => (await getService(created.id)).current_state === "RUNNING");
    await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-split", { version: "v2", canary_percent: 30 }, "app:v2"));
    await waitUntil(async () => (await getService(created.id)).canary_version?.weight === 30);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const r = await query(created.base_url, created.auth_token);
      counts[r.json.version] = (counts[r.json.version] ?? 0) + 1;
    }
    expect(counts).toEqual({ v1: 70, v2: 30 });
  });

  test("route_prefix picks the application; unknown prefix is 404; terminated service is 503", async () => {
    const body = applyBody(d, "svc-apps", {
      ray_serve_config: {
        applications: [
          { name: "chat", route_prefix: "/chat", import_path: "chat:app" },
          { name: "embed", route_prefix: "/embed", import_path: "embed:app" },
        ],
      },
    });
    const created = (await a().put("/api/v2/services-v2/apply", body)).body.result;
    await waitUntil(async () => (await getService(created.id)).current_state === "RUNNING");
    expect((await query(created.base_url, created.auth_token, "/embed/v1")).json).toMatchObject({ application: "embed", route_prefix: "/embed" });
    expect((await query(created.base_url, created.auth_token, "/other")).status).toBe(404);
    await a().post(`/api/v2/services-v2/${created.id}/terminate`);
    await waitUntil(async () => (await getService(created.id)).current_state === "TERMINATED");
    expect((await query(created.base_url, created.auth_token, "/chat")).status).toBe(503);
  });
});

describe("local control plane: query URL of a starting service", () => {
  // Startup far longer than the test: the service is certainly still STARTING when queried.
  const plane = withLocalPlane({ startupMs: 600_000 });

  test("503 while nothing is serving", async () => {
    const a = api(plane());
    const created = (await a.put("/api/v2/services-v2/apply", applyBody(await planeDefaults(a), "svc-starting"))).body.result;
    expect(created.current_state).toBe("STARTING");
    const res = await request(created.base_url + "/", { headers: { authorization: `Bearer ${created.auth_token}` } });
    expect(res.statusCode).toBe(503);
    expect(await res.body.text()).toContain("not serving");
  });
});

describe("local control plane: query token rotation", () => {
  const plane = withLocalPlane();
  const a = () => api(plane());

  test("add a secondary token, both work, delete the primary promotes the secondary", async () => {
    const d = await planeDefaults(a());
    const created = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-rotate"))).body.result;
    await waitUntil(async () => (await a().get(`/api/v2/services-v2/${created.id}`)).body.result.current_state === "RUNNING");
    const call = async (token: string) => (await request(created.base_url + "/", { headers: { authorization: `Bearer ${token}` } })).statusCode;

    const added = (await a().post(`/api/v2/services-v2/${created.id}/add_secondary_auth_token`)).body.result;
    expect(added.auth_token).toBe(created.auth_token);
    expect(added.secondary_auth_token).toEqual(expect.any(String));
    expect(await call(created.auth_token)).toBe(200);
    expect(await call(added.secondary_auth_token)).toBe(200);
    expect((await a().post(`/api/v2/services-v2/${created.id}/add_secondary_auth_token`)).status).toBe(409);

    const rotated = (await a().post(`/api/v2/services-v2/${created.id}/delete_secondary_auth_token`)).body.result;
    expect(rotated.auth_token).toBe(added.secondary_auth_token);
    expect(rotated.secondary_auth_token).toBeNull();
    expect(await call(created.auth_token)).toBe(401);
    expect((await a().post(`/api/v2/services-v2/${created.id}/delete_secondary_auth_token`)).status).toBe(400);
  });
});
