import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { startLocalControlPlane, type LocalControlPlane, type StartOptions } from "../../local/index";

// Small helpers for tests against a real local control plane over real HTTP.

export type TestPlane = LocalControlPlane;

export const FAST_TIMINGS = { startupMs: 50, rolloutStepMs: 30, jobStartupMs: 20, buildMs: 300 } as const;

/** Starts a plane on a free port with a fresh temp data dir (unless given) and fast timings. */
export async function startTestPlane(overrides: Partial<StartOptions> = {}): Promise<TestPlane> {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "anyscale-local-"));
  return startLocalControlPlane({ port: 0, quiet: true, token: "sss_test_token_0123456789", ...FAST_TIMINGS, ...overrides, dataDir });
}

/** For jest: `const plane = withLocalPlane();` then `plane().url` inside tests. */
export function withLocalPlane(overrides: Partial<StartOptions> = {}): () => TestPlane {
  let handle: TestPlane | undefined;
  beforeAll(async () => {
    handle = await startTestPlane(overrides);
  });
  afterAll(async () => {
    await handle?.stop();
    // Remove the data dir only when this helper made it.
    if (handle && !overrides.dataDir) fs.rmSync(handle.dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!handle) throw new Error("local plane not started yet (use inside a test)");
    return handle;
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiCaller {
  call<T = any>(method: string, path: string, body?: unknown, opts?: { token?: string | null; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  del<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
}

/** JSON caller with the plane's token (as the SDK sends it: Cookie cli_token). `token: null` sends none. */
export function api(plane: { url: string; token: string }): ApiCaller {
  const call = async <T>(method: string, p: string, body?: unknown, opts: { token?: string | null; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> => {
    const token = opts.token === undefined ? plane.token : opts.token;
    const headers: Record<string, string> = { accept: "application/json", "x-anyscale-client": "local-plane-tests", ...opts.headers };
    if (token) headers.cookie = `cli_token=${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = typeof body === "string" ? body : JSON.stringify(body);
    }
    const res = await request(plane.url + p, { method: method as any, headers, body: payload });
    const text = await res.body.text();
    let parsed: unknown = text;
    if (text && String(res.headers["content-type"] ?? "").includes("json")) parsed = JSON.parse(text);
    return { status: res.statusCode, body: parsed as T, headers: res.headers as Record<string, string | string[] | undefined> };
  };
  return {
    call,
    get: (p) => call("GET", p),
    post: (p, b) => call("POST", p, b ?? {}),
    put: (p, b) => call("PUT", p, b ?? {}),
    del: (p, b) => call("DELETE", p, b),
  };
}

/** Polls `fn` until it returns a truthy value (returned) or the bound is hit (throws with the last value). */
export async function waitUntil<T>(fn: () => Promise<T> | T, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`waitUntil timed out after ${timeoutMs}ms${opts.what ? ` waiting for ${opts.what}` : ""}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Apply bodies for the local plane's services-v2 API, built from the seeded defaults.

export interface PlaneDefaults {
  cloudId: string;
  projectId: string;
  computeConfigId: string;
  buildId: string;
}

export async function planeDefaults(a: ApiCaller): Promise<PlaneDefaults> {
  const cloud = (await a.get("/ext/v0/clouds/default")).body.result;
  const project = (await a.get(`/ext/v0/projects/default_project?parent_cloud_id=${cloud.id}`)).body.result;
  const compute = (await a.get(`/ext/v0/cluster_computes/default?cloud_id=${cloud.id}`)).body.result;
  const build = (await a.get("/ext/v0/cluster_environment_builds/default?python_version=py311&ray_version=2.48.0")).body.result;
  return { cloudId: cloud.id, projectId: project.id, computeConfigId: compute.id, buildId: build.id };
}

export function applyBody(d: PlaneDefaults, name: string, extra: Record<string, unknown> = {}, importPath = "app:main"): Record<string, unknown> {
  return {
    name,
    project_id: d.projectId,
    build_id: d.buildId,
    compute_config_id: d.computeConfigId,
    ray_serve_config: { applications: [{ name: "default", route_prefix: "/", import_path: importPath }] },
    config: { access: { use_bearer_token: true } },
    ...extra,
  };
}

/**
 * The readable text of an error body, as the official client takes it (anyscale/errors.py
 * server_error_text): `error.detail` when it is a string, else `error.message` (a 422 carries its
 * text in `message` and FastAPI's field errors in `detail`).
 */
export function errorText(body: any): string | undefined {
  const error = body?.error;
  if (!error || typeof error !== "object") return undefined;
  if (typeof error.detail === "string" && error.detail) return error.detail;
  if (typeof error.message === "string" && error.message) return error.message;
  return undefined;
}
