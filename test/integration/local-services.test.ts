import { api, applyBody, planeDefaults, waitUntil, withLocalPlane, type PlaneDefaults } from "../helpers/local-plane";

describe("local control plane: service lifecycle", () => {
  const plane = withLocalPlane();
  let d: PlaneDefaults;
  const a = () => api(plane());
  const getService = async (id: string) => (await a().get(`/api/v2/services-v2/${id}`)).body.result;
  const waitForState = (id: string, state: string) =>
    waitUntil(async () => {
      const s = await getService(id);
      return s.current_state === state ? s : undefined;
    }, { what: `service ${id} ${state}` });

  beforeAll(async () => {
    d = await planeDefaults(a());
  });

  test("first deploy: STARTING then RUNNING, with auth token and base_url on this plane", async () => {
    const res = await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-first", { canary_percent: 40, version: "v1" }));
    expect(res.status).toBe(202);
    const created = res.body.result;
    expect(created.id).toMatch(/^service2_/);
    expect(created.current_state).toBe("STARTING");
    expect(created.goal_state).toBe("RUNNING");
    expect(created.canary_version).toBeNull();
    expect(created.primary_version.version).toBe("v1");
    expect(created.auth_token).toEqual(expect.any(String));
    expect(created.base_url).toBe(`${plane().url}/serve/${created.hostname}`);
    // canary_percent is ignored on create: the service rolls out automatically.
    expect(created.auto_rollout_enabled).toBe(true);
    const running = await waitForState(created.id, "RUNNING");
    expect(running.primary_version.current_state).toBe("RUNNING");
    expect(running.primary_version.weight).toBe(100);
  });

  test("rollout: canary steps through the platform's weights and replaces the primary", async () => {
    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-rollout", { version: "v1" }))).body.result;
    await waitForState(first.id, "RUNNING");
    const second = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-rollout", { version: "v2" }, "app:v2"))).body.result;
    expect(second.id).toBe(first.id);
    expect(second.current_state).toBe("ROLLING_OUT");
    expect(second.canary_version.version).toBe("v2");
    expect(second.canary_version.weight).toBe(0);
    const seen = new Set<number>();
    const done = await waitUntil(async () => {
      const s = await getService(first.id);
      if (s.canary_version) seen.add(s.canary_version.weight);
      return s.current_state === "RUNNING" ? s : undefined;
    }, { intervalMs: 5 });
    expect(done.primary_version.version).toBe("v2");
    expect(done.canary_version).toBeNull();
    expect(done.versions.map((v: any) => v.version)).toEqual(["v2"]);
    for (const w of seen) expect([0, 5, 10, 20, 30, 50, 75, 100]).toContain(w);
    const versions = (await a().get(`/api/v2/services-v2/${first.id}/versions`)).body;
    expect(versions.results.map((v: any) => [v.version, v.current_state])).toEqual([
      ["v2", "RUNNING"],
      ["v1", "TERMINATED"],
    ]);
  });

  test("held canary: stops at canary_percent, a re-apply of the same config completes it", async () => {
    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-held", { version: "v1" }))).body.result;
    await waitForState(first.id, "RUNNING");
    await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-held", { version: "v2", canary_percent: 20 }, "app:v2"));
    const held = await waitUntil(async () => {
      const s = await getService(first.id);
      return s.canary_version?.weight === 20 ? s : undefined;
    });
    expect(held.current_state).toBe("ROLLING_OUT");
    expect(held.primary_version.weight).toBe(80);
    expect(held.canary_version.target_weight).toBe(20);
    expect(held.auto_rollout_enabled).toBe(false);
    const canaryId = held.canary_version.id;

    // Same config, a higher percent: the same canary moves on (no new version).
    await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-held", { version: "v2", canary_percent: 50 }, "app:v2"));
    const moved = await waitUntil(async () => {
      const s = await getService(first.id);
      return s.canary_version?.weight === 50 ? s : undefined;
    });
    expect(moved.canary_version.id).toBe(canaryId);

    // Same config without canary_percent: completes the rollout.
    await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-held", { version: "v2" }, "app:v2"));
    const done = await waitForState(first.id, "RUNNING");
    expect(done.primary_version.id).toBe(canaryId);
    expect(done.canary_version).toBeNull();
  });

  test("rollback of a held canary restores the primary at 100%", async () => {
    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-rollback", { version: "v1" }))).body.result;
    await waitForState(first.id, "RUNNING");
    await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-rollback", { version: "v2", canary_percent: 10 }, "app:v2"));
    await waitUntil(async () => (await getService(first.id)).canary_version?.weight === 10);
    const rolling = await a().post(`/api/v2/services-v2/${first.id}/rollback`, {});
    expect(rolling.status).toBe(200);
    expect(rolling.body.result.current_state).toBe("ROLLING_BACK");
    expect(rolling.body.result.canary_version).toBeNull();
    const done = await waitForState(first.id, "RUNNING");
    expect(done.primary_version.version).toBe("v1");
    expect(done.primary_version.weight).toBe(100);
    const again = await a().post(`/api/v2/services-v2/${first.id}/rollback`, {});
    expect(again.status).toBe(400);
    expect(again.body.error.detail).toMatch(/no rollout/);
  });

  test("IN_PLACE: updates the primary in place; rejected where the platform rejects it", async () => {
    const missing = await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-inplace-missing", { rollout_strategy: "IN_PLACE" }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.detail).toMatch(/no service was found/);

    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-inplace", { version: "v1" }))).body.result;
    await waitForState(first.id, "RUNNING");
    const withCanary = await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-inplace", { rollout_strategy: "IN_PLACE", canary_percent: 10 }));
    expect(withCanary.status).toBe(400);
    expect(withCanary.body.error.detail).toContain("canary_percent");
    const withSurge = await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-inplace", { rollout_strategy: "IN_PLACE", max_surge_percent: 10 }));
    expect(withSurge.status).toBe(400);
    expect(withSurge.body.error.detail).toContain("max_surge_percent");

    const updating = await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-inplace", { rollout_strategy: "IN_PLACE" }, "app:patched"));
    expect(updating.status).toBe(202);
    expect(updating.body.result.current_state).toBe("UPDATING");
    expect(updating.body.result.primary_version.id).toBe(first.primary_version.id);
    const done = await waitForState(first.id, "RUNNING");
    expect(done.primary_version.ray_serve_config.applications[0].import_path).toBe("app:patched");

    await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-inplace", { version: "v2", canary_percent: 5 }, "app:v2"));
    const duringRollout = await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-inplace", { rollout_strategy: "IN_PLACE" }));
    expect(duringRollout.status).toBe(400);
    expect(duringRollout.body.error.detail).toMatch(/rollout is in progress/);
  });

  test("terminate, archive and delete rules; redeploy of a terminated service restarts it", async () => {
    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-end"))).body.result;
    await waitForState(first.id, "RUNNING");
    const archiveEarly = await a().post(`/api/v2/services-v2/${first.id}/archive`);
    expect(archiveEarly.status).toBe(400);
    const deleteEarly = await a().del(`/api/v2/services-v2/${first.id}`);
    expect(deleteEarly.status).toBe(400);
    expect(deleteEarly.body.error.detail).toMatch(/TERMINATED/);

    const terminating = await a().post(`/api/v2/services-v2/${first.id}/terminate`);
    expect(terminating.status).toBe(202);
    expect(terminating.body.result.current_state).toBe("TERMINATING");
    expect(terminating.body.result.goal_state).toBe("TERMINATED");
    const terminated = await waitForState(first.id, "TERMINATED");
    expect(terminated.ended_at).toEqual(expect.any(String));

    const restarted = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-end", { canary_percent: 30 }))).body.result;
    expect(restarted.id).toBe(first.id);
    expect(restarted.current_state).toBe("STARTING");
    expect(restarted.canary_version).toBeNull();
    await waitForState(first.id, "RUNNING");
    await a().post(`/api/v2/services-v2/${first.id}/terminate`);
    await waitForState(first.id, "TERMINATED");

    expect((await a().post(`/api/v2/services-v2/${first.id}/archive`)).status).toBe(200);
    const listed = (await a().get(`/api/v2/services-v2/?name=svc-end`)).body;
    expect(listed.results).toHaveLength(0);
    const archived = (await a().get(`/api/v2/services-v2/?name=svc-end&archive_status=ARCHIVED`)).body;
    expect(archived.results.map((s: any) => s.id)).toEqual([first.id]);

    expect((await a().del(`/api/v2/services-v2/${first.id}`)).status).toBe(204);
    const gone = await a().get(`/api/v2/services-v2/${first.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.detail).toContain(first.id);
  });

  test("events record the lifecycle", async () => {
    const first = (await a().put("/api/v2/services-v2/apply", applyBody(d, "svc-events"))).body.result;
    await waitForState(first.id, "RUNNING");
    const events = (await a().get(`/api/v2/services-v2/${first.id}/events?ascending_order=true`)).body.results;
    expect(events.map((e: any) => e.event_type)).toEqual(["CREATE_INITIATED", "RUNNING"]);
    expect(events[0].service_id).toBe(first.id);
  });
});
