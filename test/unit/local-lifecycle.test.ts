import { applyToService, createService, rollbackService, terminateService } from "../../local/services/lifecycle";
import type { LifecycleContext } from "../../local/services/record-ops";
import { advance } from "../../local/services/transitions";
import type { ServiceRecord } from "../../local/services/model";
import type { ApplyServiceRequest } from "../../local/services/schema";
import { LocalApiError } from "../../local/types";

// The service state machine is pure: these tests drive it with a fake clock and replay every due transition.

const timings = { startupMs: 100, rolloutStepMs: 10 };
let seq = 0;
const ctxAt = (now: number): LifecycleContext => ({
  now,
  timings,
  newId: (prefix) => `${prefix}_${++seq}`,
  newVersionName: () => `auto${seq}`,
  newAuthToken: () => "query-token",
});
const facts = { projectId: "prj_1", cloudId: "cld_1", creatorId: "usr_1", hostname: "svc.example" };
const request = (extra: Partial<ApplyServiceRequest> = {}): ApplyServiceRequest => ({
  name: "svc",
  build_id: "bld_1",
  compute_config_id: "cpt_1",
  ray_serve_config: { applications: [{ import_path: "app:main" }] },
  ...extra,
});

/** Steps through every due transition, recording what a poller would see after each. */
function replay(service: ServiceRecord): { service: ServiceRecord; observed: string[] } {
  const observed: string[] = [];
  let current = service;
  while (current.phase) {
    current = advance(current, ctxAt(current.phase.dueAt)).service;
    const canary = current.versions.find((v) => v.id === current.canaryVersionId);
    observed.push(canary ? `${current.currentState}:${canary.weight}` : current.currentState);
  }
  return { service: current, observed };
}

function running(extra: Partial<ApplyServiceRequest> = {}): ServiceRecord {
  return replay(createService(request({ version: "v1", ...extra }), facts, null, ctxAt(0)).service).service;
}

test("create: STARTING until startupMs, then RUNNING; canary_percent ignored", () => {
  const { service } = createService(request({ canary_percent: 30 }), facts, null, ctxAt(0));
  expect(service.currentState).toBe("STARTING");
  expect(service.autoRolloutEnabled).toBe(true);
  expect(service.authToken).toBe("query-token");
  expect(advance(service, ctxAt(99)).changed).toBe(false);
  expect(replay(service).observed).toEqual(["RUNNING"]);
});

test("rollout walks 0→5→10→20→30→50→75→100 and promotes the canary", () => {
  const { service } = applyToService(running(), request({ version: "v2" }), null, ctxAt(1000));
  expect(service.currentState).toBe("ROLLING_OUT");
  const { service: done, observed } = replay(service);
  expect(observed).toEqual(["ROLLING_OUT:0", "ROLLING_OUT:5", "ROLLING_OUT:10", "ROLLING_OUT:20", "ROLLING_OUT:30", "ROLLING_OUT:50", "ROLLING_OUT:75", "RUNNING"]);
  expect(done.versions.find((v) => v.id === done.primaryVersionId)!.version).toBe("v2");
  expect(done.versions.find((v) => v.version === "v1")!.state).toBe("TERMINATED");
});

test("held canary stops at canary_percent; a same-config apply moves the same canary", () => {
  const held = replay(applyToService(running(), request({ version: "v2", canary_percent: 25 }), null, ctxAt(1000)).service);
  expect(held.observed.at(-1)).toBe("ROLLING_OUT:25");
  expect(held.service.phase).toBeNull();
  const canaryId = held.service.canaryVersionId;
  const moved = applyToService(held.service, request({ version: "v2" }), null, ctxAt(2000));
  expect(moved.service.canaryVersionId).toBe(canaryId);
  const done = replay(moved.service);
  expect(done.observed).toEqual(["ROLLING_OUT:30", "ROLLING_OUT:50", "ROLLING_OUT:75", "RUNNING"]);
  expect(done.service.primaryVersionId).toBe(canaryId);
});

test("a different config during a rollout replaces the canary", () => {
  const held = replay(applyToService(running(), request({ version: "v2", canary_percent: 10 }), null, ctxAt(1000)).service).service;
  const replaced = applyToService(held, request({ version: "v3", ray_serve_config: { applications: [{ import_path: "app:v3" }] } }), null, ctxAt(2000)).service;
  expect(replaced.versions.find((v) => v.version === "v2")!.state).toBe("TERMINATED");
  expect(replaced.versions.find((v) => v.id === replaced.canaryVersionId)!.version).toBe("v3");
});

test("fail_start on a canary: ROLLING_BACK, then RUNNING on the old primary with error_message", () => {
  const { service } = applyToService(running(), request({ version: "v2" }), "fail_start", ctxAt(1000));
  const { service: done, observed } = replay(service);
  expect(observed).toEqual(["ROLLING_BACK:0", "RUNNING"]);
  expect(done.versions.find((v) => v.id === done.primaryVersionId)!.version).toBe("v1");
  expect(done.errorMessage).toMatch(/failed to start/);
});

test("unhealthy canary: gets a first slice of traffic, then is rolled back", () => {
  const { observed, service } = replay(applyToService(running(), request({ version: "v2" }), "unhealthy", ctxAt(1000)).service);
  expect(observed).toEqual(["ROLLING_OUT:0", "ROLLING_OUT:5", "ROLLING_BACK:5", "RUNNING"]);
  expect(service.versions.find((v) => v.version === "v2")!.state).toBe("UNHEALTHY");
});

test("manual rollback and terminate", () => {
  const held = replay(applyToService(running(), request({ version: "v2", canary_percent: 50 }), null, ctxAt(1000)).service).service;
  const back = replay(rollbackService(held, 20, ctxAt(2000)));
  expect(back.observed).toEqual(["RUNNING"]);
  expect(back.service.maxSurgePercent).toBe(20);
  expect(() => rollbackService(back.service, null, ctxAt(3000))).toThrow(LocalApiError);
  const ended = replay(terminateService(back.service, ctxAt(4000)));
  expect(ended.observed).toEqual(["TERMINATED"]);
  expect(ended.service.endedAt).toBe(new Date(4050).toISOString());
});

test("IN_PLACE rejections mirror the platform", () => {
  const expectReject = (fn: () => unknown, status: number, detail: RegExp) => {
    try {
      fn();
      throw new Error("expected a rejection");
    } catch (err) {
      expect(err).toBeInstanceOf(LocalApiError);
      expect((err as LocalApiError).status).toBe(status);
      expect((err as Error).message).toMatch(detail);
    }
  };
  const inPlace = request({ rollout_strategy: "IN_PLACE" });
  expectReject(() => createService(inPlace, facts, null, ctxAt(0)), 400, /no service was found/);
  const svc = running();
  expectReject(() => applyToService(svc, { ...inPlace, canary_percent: 5 }, null, ctxAt(1)), 400, /canary_percent/);
  expectReject(() => applyToService(svc, { ...inPlace, build_id: "bld_2" }, null, ctxAt(1)), 400, /build_id/);
  const terminated = replay(terminateService(svc, ctxAt(10))).service;
  expectReject(() => applyToService(terminated, inPlace, null, ctxAt(1000)), 400, /terminated/);
  const rolling = applyToService(svc, request({ version: "v2" }), null, ctxAt(1000)).service;
  expectReject(() => applyToService(rolling, inPlace, null, ctxAt(1001)), 400, /rollout is in progress/);
  const updated = replay(applyToService(svc, { ...inPlace, ray_serve_config: { applications: [{ import_path: "app:new" }] } }, null, ctxAt(1)).service);
  expect(updated.observed).toEqual(["RUNNING"]);
  expect(updated.service.versions).toHaveLength(1);
});

test("failed IN_PLACE update restores the previous config", () => {
  const svc = running();
  const { service } = applyToService(svc, request({ rollout_strategy: "IN_PLACE", ray_serve_config: { applications: [{ import_path: "app:broken" }] } }), "fail_start", ctxAt(1));
  expect(service.currentState).toBe("UPDATING");
  const done = replay(service).service;
  expect(done.currentState).toBe("RUNNING");
  expect(done.versions[0].rayServeConfig).toEqual({ applications: [{ import_path: "app:main" }] });
  expect(done.errorMessage).toMatch(/in-place update failed/i);
});

test("redeploying a TERMINATED service restarts it and drops canary_percent", () => {
  const terminated = replay(terminateService(running(), ctxAt(10))).service;
  const { service } = applyToService(terminated, request({ canary_percent: 40 }), null, ctxAt(1000));
  expect(service.currentState).toBe("STARTING");
  expect(service.canaryVersionId).toBeNull();
  expect(replay(service).observed).toEqual(["RUNNING"]);
});

test("catch-up after downtime: one advance applies every overdue transition", () => {
  const { service } = applyToService(running(), request({ version: "v2" }), null, ctxAt(1000));
  const { service: after } = advance(service, ctxAt(1_000_000));
  expect(after.currentState).toBe("RUNNING");
  expect(after.canaryVersionId).toBeNull();
});

test("use_bearer_token false clears the query token", () => {
  const svc = running({ config: { access: { use_bearer_token: false } } });
  expect(svc.authToken).toBeNull();
});

test("unchanged config without a version name rolls out a new version; with the primary's name it is a no-op", () => {
  const svc = running();
  const anonymous = applyToService(svc, request(), null, ctxAt(1000)).service;
  expect(anonymous.currentState).toBe("ROLLING_OUT");
  const named = applyToService(svc, request({ version: "v1" }), null, ctxAt(1000)).service;
  expect(named.currentState).toBe("RUNNING");
  expect(named.versions).toHaveLength(1);
  expect(() => applyToService(svc, request({ version: "v1", build_id: "bld_2" }), null, ctxAt(1000))).toThrow(/already the name of an active version/);
});
