import { desiredApps, summarizeServeError, versionReadiness } from "../../local/ray/apps";
import { buildRunEnv } from "../../local/jobs/run-env";
import { pathUnderPrefix } from "../../local/ray/forward";
import { applyToService, createService } from "../../local/services/lifecycle";
import type { ServiceRecord, VersionRecord } from "../../local/services/model";
import type { LifecycleContext } from "../../local/services/record-ops";
import type { Readiness } from "../../local/services/runtime";
import { advance } from "../../local/services/transitions";

// The Ray runtime's pure parts: which Serve apps the records ask for, readiness from Serve's status,
// and the state machine driven by a runtime's readiness instead of the clock alone.

let seq = 0;
const facts = { projectId: "prj_1", cloudId: "cld_1", creatorId: "usr_1", hostname: "svc.example" };
const request = (version: string, importPath = "main:app") => ({
  name: "svc",
  version,
  build_id: "bld_1",
  compute_config_id: "cpt_1",
  config: { env_vars: { SHARED: "service", BOTH: "service" } },
  ray_serve_config: {
    applications: [{ name: "app", import_path: importPath, route_prefix: "/api", args: { n: 1 }, runtime_env: { working_dir: "s3://bucket/wd.zip", py_modules: ["s3://bucket/mod.zip"], env_vars: { BOTH: "app" }, pip: ["requests"] } }],
  },
});
const ctx = (now: number, readiness?: (v: VersionRecord) => Readiness): LifecycleContext => ({
  now,
  timings: { startupMs: 100, rolloutStepMs: 10 },
  newId: (prefix) => `${prefix}_${++seq}`,
  newVersionName: () => `auto${seq}`,
  newAuthToken: () => "t",
  ...(readiness ? { readiness: { of: (_s: ServiceRecord, v: VersionRecord) => readiness(v), pollMs: 50, startTimeoutMs: 1000 } } : {}),
});
const packages = { workingDir: (uri: string) => `/pkgs/${uri.split("/").pop()}`, pyModule: (uri: string) => `/pkgs/mod-of-${uri.split("/").pop()}` };

test("each starting or serving version asks for its own Serve apps; runtime_env packages become local dirs, env vars merge", () => {
  const service = createService(request("v1"), facts, null, ctx(Date.parse("2026-01-01T00:00:00Z"))).service;
  const desired = desiredApps([service], "alpabc123", packages);
  const version = service.versions[0];
  expect(desired.apps).toEqual([
    {
      name: "alpabc123-svc-v1-app",
      route_prefix: `/alpabc123/${version.id}/app`,
      import_path: "main:app",
      args: { n: 1 },
      runtime_env: { working_dir: "/pkgs/wd.zip", py_modules: ["/pkgs/mod-of-mod.zip"], env_vars: { SHARED: "service", BOTH: "app" }, pip: ["requests"] },
    },
  ]);
  expect(desired.byVersion.get(version.id)).toEqual(["alpabc123-svc-v1-app"]);

  version.state = "TERMINATED";
  expect(desiredApps([service], "alpabc123", packages).apps).toEqual([]);
});

test("a package that cannot be unpacked marks that app invalid, and the version fails with the reason", () => {
  const service = createService(request("v1"), facts, null, ctx(0)).service;
  const desired = desiredApps([service], "t", { ...packages, workingDir: () => { throw new Error("runtime_env package 's3://bucket/wd.zip' was not uploaded to this control plane."); } });
  expect(desired.apps).toEqual([]);
  const names = desired.byVersion.get(service.versions[0].id);
  expect(versionReadiness(names, undefined, new Map(), desired.invalid)).toEqual({ kind: "failed", message: expect.stringContaining("was not uploaded") });
});

test("readiness counts only a status read after the sync that changed the app", () => {
  const names = ["a", "b"];
  const applied = new Map([["a", 2], ["b", 3]]);
  const running = { a: { status: "RUNNING", message: "" }, b: { status: "RUNNING", message: "" } };
  expect(versionReadiness(names, { seq: 2, apps: running }, applied, new Map())).toEqual({ kind: "pending" });
  expect(versionReadiness(names, { seq: 3, apps: { ...running, b: { status: "DEPLOYING", message: "" } } }, applied, new Map())).toEqual({ kind: "pending" });
  expect(versionReadiness(names, { seq: 3, apps: running }, applied, new Map())).toEqual({ kind: "ready" });
  const failed = versionReadiness(names, { seq: 3, apps: { ...running, b: { status: "DEPLOY_FAILED", message: "Deploying app 'b' failed with exception:\nTraceback (most recent call last):\n  File \"x.py\"\n\u001b[36mray::build()\u001b[39m\nModuleNotFoundError: No module named 'nope'\n" } } }, applied, new Map());
  expect(failed).toEqual({ kind: "failed", message: "Ray Serve reported DEPLOY_FAILED for application 'b': ModuleNotFoundError: No module named 'nope'." });
  expect(versionReadiness(undefined, { seq: 9, apps: {} }, applied, new Map())).toEqual({ kind: "pending" });
});

test("Serve's message without an exception line keeps its last line", () => {
  expect(summarizeServeError("x", "Failed to update the deployments ['App'].")).toBe("Ray Serve reported DEPLOY_FAILED for application 'x': Failed to update the deployments ['App'].");
});

test("the path under a route prefix is what the internal prefix gets", () => {
  expect(pathUnderPrefix("/api/score", "/api")).toBe("/score");
  expect(pathUnderPrefix("/api", "/api/")).toBe("/");
  expect(pathUnderPrefix("/x/y", "/")).toBe("/x/y");
  expect(pathUnderPrefix("/x", null)).toBe("/x");
});

test("a first version stays STARTING while the runtime says pending, then RUNNING; a failure is USER_ERROR_FAILURE with Serve's message", () => {
  const created = createService(request("v1"), facts, null, ctx(0)).service;
  const pending = advance(created, ctx(100, () => ({ kind: "pending" }))).service;
  expect(pending.currentState).toBe("STARTING");
  expect(pending.phase).toMatchObject({ kind: "starting", dueAt: 150 });
  expect(advance(pending, ctx(150, () => ({ kind: "ready" }))).service.currentState).toBe("RUNNING");

  const failed = advance(pending, ctx(150, () => ({ kind: "failed", message: "Ray Serve reported DEPLOY_FAILED for application 'a': ImportError: x." }))).service;
  expect(failed.currentState).toBe("USER_ERROR_FAILURE");
  expect(failed.errorMessage).toBe("Version 'v1' failed to start: Ray Serve reported DEPLOY_FAILED for application 'a': ImportError: x.");
  expect(failed.versions[0].state).toBe("SYSTEM_FAILURE");
});

test("pending past the runtime's start timeout is a failure to start", () => {
  const created = createService(request("v1"), facts, null, ctx(Date.parse("2026-01-01T00:00:00Z"))).service;
  const late = advance(created, ctx(Date.parse("2026-01-01T00:00:02Z"), () => ({ kind: "pending" }))).service;
  expect(late.currentState).toBe("USER_ERROR_FAILURE");
  expect(late.errorMessage).toMatch(/were not RUNNING after 1s/);
});

test("a canary Serve fails is rolled back; the primary keeps 100%", () => {
  let service = createService(request("v1"), facts, null, ctx(0)).service;
  service = advance(service, ctx(100, () => ({ kind: "ready" }))).service;
  service = applyToService(service, request("v2", "nope:app"), null, ctx(200)).service;
  const canaryId = service.canaryVersionId!;
  service = advance(service, ctx(300, (v) => (v.id === canaryId ? { kind: "failed", message: "Ray Serve reported DEPLOY_FAILED for application 'c': ModuleNotFoundError: No module named 'nope'." } : { kind: "ready" }))).service;
  expect(service.currentState).toBe("ROLLING_BACK");
  service = advance(service, ctx(400)).service;
  expect(service.currentState).toBe("RUNNING");
  expect(service.canaryVersionId).toBeNull();
  expect(service.versions.find((v) => v.version === "v1")).toMatchObject({ weight: 100, state: "RUNNING" });
  expect(service.versions.find((v) => v.id === canaryId)!.state).toBe("SYSTEM_FAILURE");
  expect(service.errorMessage).toBe("Version 'v2' failed to start: Ray Serve reported DEPLOY_FAILED for application 'c': ModuleNotFoundError: No module named 'nope'. Rolled back to version 'v1'.");
});

test("a job run with the Ray runtime has the Ray venv first on PATH and RAY_ADDRESS; the user's env still wins", () => {
  const env = buildRunEnv({
    runId: "run_1",
    jobId: "job_1",
    hostEnv: { PATH: "/usr/bin", ANYSCALE_CLI_TOKEN: "plane-secret" },
    shimDir: "/shims",
    cwd: "/wd",
    pythonPath: [],
    userEnv: { RAY_ADDRESS: "10.0.0.1:6379" },
    ray: { binDir: "/ray/bin", vars: { RAY_ADDRESS: "127.0.0.1:6379", RAY_AUTH_MODE: "token", RAY_AUTH_TOKEN: "cluster" } },
  });
  expect(env.PATH).toBe("/ray/bin:/shims:/usr/bin");
  expect(env).toMatchObject({ RAY_ADDRESS: "10.0.0.1:6379", RAY_AUTH_MODE: "token", RAY_AUTH_TOKEN: "cluster" });
  expect(JSON.stringify(env)).not.toContain("plane-secret");
});

test("a canary whose apps Serve reports UNHEALTHY between steps is rolled back; UNHEALTHY while starting is still pending", () => {
  let service = createService(request("v1"), facts, null, ctx(0)).service;
  service = advance(service, ctx(100, () => ({ kind: "ready" }))).service;
  service = applyToService(service, request("v2"), null, ctx(200)).service;
  const canaryId = service.canaryVersionId!;
  const starting = advance(service, ctx(300, (v) => (v.id === canaryId ? { kind: "unhealthy", message: "m." } : { kind: "ready" }))).service;
  expect(starting.versions.find((v) => v.id === canaryId)!.state).toBe("STARTING");

  service = advance(service, ctx(300, () => ({ kind: "ready" }))).service;
  service = advance(service, ctx(310, () => ({ kind: "ready" }))).service;
  expect(service.versions.find((v) => v.id === canaryId)!.weight).toBe(5);
  const sick = "Ray Serve reported UNHEALTHY for application 'c': RuntimeError: health check failed.";
  service = advance(service, ctx(320, (v) => (v.id === canaryId ? { kind: "unhealthy", message: sick } : { kind: "ready" }))).service;
  expect(service.currentState).toBe("ROLLING_BACK");
  expect(service.versions.find((v) => v.id === canaryId)!.state).toBe("UNHEALTHY");
  service = advance(service, ctx(400)).service;
  expect(service.currentState).toBe("RUNNING");
  expect(service.errorMessage).toBe(`Version 'v2' became unhealthy during the rollout: ${sick} Rolled back to version 'v1'.`);
});

test("Serve's UNHEALTHY status reads as unhealthy with its message", () => {
  const status = { seq: 1, apps: { a: { status: "UNHEALTHY", message: "The deployment failed health checks.\nRuntimeError: db down" } } };
  expect(versionReadiness(["a"], status, new Map([["a", 1]]), new Map())).toEqual({ kind: "unhealthy", message: "Ray Serve reported UNHEALTHY for application 'a': RuntimeError: db down." });
});
