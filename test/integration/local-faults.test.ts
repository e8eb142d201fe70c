import { api, errorText, applyBody, planeDefaults, waitUntil, withLocalPlane, type PlaneDefaults } from "../helpers/local-plane";

describe("local control plane: fault injection", () => {
  const plane = withLocalPlane();
  let d: PlaneDefaults;
  const a = () => api(plane());
  const getService = async (id: string) => (await a().get(`/api/v2/services-v2/${id}`)).body.result;

  beforeAll(async () => {
    d = await planeDefaults(a());
  });
  afterEach(async () => {
    await a().del("/_local/faults");
  });

  test("a canary that fails to start is rolled back automatically, with error_message", async () => {
    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-failstart", { version: "v1" }))).body.result;
    await waitUntil(async () => (await getService(first.id)).current_state === "RUNNING");
    expect((await a().post("/_local/services/svc-failstart/next-version-fails", { mode: "fail_start" })).status).toBe(200);
    const applied = await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-failstart", { version: "v2" }, "app:v2"));
    expect(applied.body.result.current_state).toBe("ROLLING_OUT");
    const done = await waitUntil(async () => {
      const s = await getService(first.id);
      return s.current_state === "RUNNING" ? s : undefined;
    });
    expect(done.primary_version.version).toBe("v1");
    expect(done.canary_version).toBeNull();
    expect(done.error_message).toMatch(/v2.*failed to start/);
    const versions = (await a().get(`/api/v2/services-v2/${first.id}/versions`)).body.results;
    expect(versions.find((v: any) => v.version === "v2").current_state).toBe("SYSTEM_FAILURE");
    // The fault is consumed: the next deploy succeeds.
    await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-failstart", { version: "v3" }, "app:v3"));
    const healed = await waitUntil(async () => {
      const s = await getService(first.id);
      return s.primary_version.version === "v3" && s.current_state === "RUNNING" ? s : undefined;
    });
    expect(healed.error_message).toBeNull();
  });

  test("a canary that turns UNHEALTHY during the rollout is rolled back", async () => {
    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-unhealthy", { version: "v1" }))).body.result;
    await waitUntil(async () => (await getService(first.id)).current_state === "RUNNING");
    await a().post("/_local/services/svc-unhealthy/next-version-fails", { mode: "unhealthy" });
    await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-unhealthy", { version: "v2" }, "app:v2"));
    const done = await waitUntil(async () => {
      const s = await getService(first.id);
      return s.current_state === "RUNNING" && s.error_message ? s : undefined;
    });
    expect(done.primary_version.version).toBe("v1");
    expect(done.error_message).toMatch(/unhealthy/);
    const versions = (await a().get(`/api/v2/services-v2/${first.id}/versions`)).body.results;
    expect(versions.find((v: any) => v.version === "v2").current_state).toBe("UNHEALTHY");
    const events = (await a().get(`/api/v2/services-v2/${first.id}/events`)).body.results.map((e: any) => e.event_type);
    expect(events).toContain("ROLLBACK_INITIATED");
  });

  test("a first version that fails to start leaves the service failed", async () => {
    await a().post("/_local/services/svc-born-broken/next-version-fails", { mode: "fail_start" });
    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-born-broken"))).body.result;
    const failed = await waitUntil(async () => {
      const s = await getService(first.id);
      return s.current_state === "USER_ERROR_FAILURE" ? s : undefined;
    });
    expect(failed.error_message).toMatch(/failed to start/);
  });

  test("every Nth request gets a 503; admin routes are never faulted", async () => {
    await a().post("/_local/faults", { kinds: ["503"], everyNth: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await a().get("/api/v2/userinfo/")).status);
    expect(statuses).toEqual([200, 503, 200, 503]);
    expect((await a().get("/_local/faults")).status).toBe(200);
  });

  test("429 carries Retry-After; pathPrefix limits the faults; limit stops them", async () => {
    await a().post("/_local/faults", { kinds: ["429"], retryAfterS: 3, pathPrefix: "/api/v2/services-v2", limit: 1 });
    expect((await a().get("/api/v2/userinfo/")).status).toBe(200);
    const limited = await a().get("/api/v2/services-v2/");
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("3");
    expect(errorText(limited.body)).toMatch(/429/);
    expect((await a().get("/api/v2/services-v2/")).status).toBe(200);
  });

  test("connection reset destroys the socket", async () => {
    await a().post("/_local/faults", { kinds: ["reset"], rate: 1, limit: 1 });
    await expect(a().get("/api/v2/userinfo/")).rejects.toThrow();
    expect((await a().get("/api/v2/userinfo/")).status).toBe(200);
  });

  test("seeded rate is reproducible; latency delays but succeeds", async () => {
    const run = async () => {
      await a().post("/_local/faults", { kinds: ["500", "502"], rate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await a().get("/api/v2/userinfo/")).status);
      return statuses;
    };
    const firstRun = await run();
    expect(await run()).toEqual(firstRun);
    expect(firstRun.some((s) => s !== 200)).toBe(true);
    await a().post("/_local/faults", { kinds: ["latency"], latencyMs: 20 });
    expect((await a().get("/api/v2/userinfo/")).status).toBe(200);
  });

  test("bad fault spec is a 422 naming the field", async () => {
    const res = await a().post("/_local/faults", { kinds: ["418"] });
    expect(res.status).toBe(422);
    expect(errorText(res.body)).toContain("kinds");
  });
});
