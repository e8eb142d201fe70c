// Pure: which Serve applications the plane's service records ask for, under which names and internal
// route prefixes, and what a version's readiness is given Serve's status. Every version that should
// run (starting or serving) gets its own applications, so both versions of a canary run at once.
import type { ServiceRecord, VersionRecord } from "../services/model";
import type { Readiness } from "../services/runtime";
import type { AppStatus, SidecarApp } from "./sidecar";

const RUNS: ReadonlyArray<VersionRecord["state"]> = ["STARTING", "RUNNING", "UPDATING", "UNHEALTHY"];

export interface UserApplication {
  name?: string;
  route_prefix?: string | null;
  runtime_env?: Record<string, unknown> | null;
  [key: string]: unknown;
}

/** Local directories of uploaded packages: a working_dir, or one py_module's top-level directory. */
export interface PackageDirs {
  workingDir(uri: string): string;
  pyModule(uri: string): string;
}

export interface DesiredApps {
  apps: SidecarApp[];
  /** Serve application names per version id. */
  byVersion: Map<string, string[]>;
  /** Applications that could not even be described (a package missing), with the reason. */
  invalid: Map<string, string>;
}

export function applicationsOf(version: VersionRecord): UserApplication[] {
  const apps = version.rayServeConfig.applications;
  return Array.isArray(apps) ? (apps as UserApplication[]) : [];
}

export const userAppName = (app: UserApplication): string => app.name ?? "default";

export function serveAppName(tag: string, service: ServiceRecord, version: VersionRecord, app: UserApplication): string {
  return `${tag}-${service.name}-${version.version}-${userAppName(app)}`;
}

/** Unique per version and application, never seen by users (the query URL maps their prefixes onto it). */
export function internalRoutePrefix(tag: string, version: VersionRecord, app: UserApplication): string {
  return `/${tag}/${version.id}/${encodeURIComponent(userAppName(app))}`;
}

export function desiredApps(services: readonly ServiceRecord[], tag: string, packages: PackageDirs): DesiredApps {
  const apps: SidecarApp[] = [];
  const byVersion = new Map<string, string[]>();
  const invalid = new Map<string, string>();
  const taken = new Set<string>();
  for (const service of services) {
    for (const version of service.versions) {
      if (!RUNS.includes(version.state)) continue;
      const names: string[] = [];
      for (const app of applicationsOf(version)) {
        let name = serveAppName(tag, service, version, app);
        // Same service name in two projects with the same explicit version name: keep them apart.
        if (taken.has(name)) name = `${name}-${version.id}`;
        taken.add(name);
        names.push(name);
        try {
          apps.push(toServeApp(name, internalRoutePrefix(tag, version, app), app, version.envVars, packages));
        } catch (error) {
          invalid.set(name, (error as Error).message);
        }
      }
      byVersion.set(version.id, names);
    }
  }
  return { apps, byVersion, invalid };
}

function toServeApp(name: string, routePrefix: string, app: UserApplication, versionEnv: Record<string, string> | null, packages: PackageDirs): SidecarApp {
  const { runtime_env: userEnv, ...rest } = app;
  const env: Record<string, unknown> = { ...(userEnv ?? {}) };
  if (typeof env.working_dir === "string" && env.working_dir) env.working_dir = packages.workingDir(env.working_dir);
  if (Array.isArray(env.py_modules)) env.py_modules = env.py_modules.map((uri) => (typeof uri === "string" ? packages.pyModule(uri) : uri));
  // Service-level env vars reach every application; an application's own win.
  const envVars = { ...(versionEnv ?? {}), ...((env.env_vars as Record<string, string> | undefined) ?? {}) };
  if (Object.keys(envVars).length > 0) env.env_vars = envVars;
  return { ...rest, name, route_prefix: routePrefix, runtime_env: env };
}

export interface StatusSnapshot {
  /** Syncs the sidecar had completed when this status was read. */
  seq: number;
  apps: Record<string, AppStatus>;
}

/**
 * A version is ready when Serve says each of its applications is RUNNING in a status read after the
 * sync that last changed it; failed as soon as one is DEPLOY_FAILED (or could not be sent).
 */
export function versionReadiness(
  names: readonly string[] | undefined,
  status: StatusSnapshot | undefined,
  appliedSeq: ReadonlyMap<string, number>,
  invalid: ReadonlyMap<string, string>,
): Readiness {
  if (names === undefined) return { kind: "pending" };
  for (const name of names) {
    const reason = invalid.get(name);
    if (reason !== undefined) return { kind: "failed", message: reason };
  }
  for (const name of names) {
    const applied = appliedSeq.get(name);
    if (!status || applied === undefined || status.seq < applied) return { kind: "pending" };
    const app = status.apps[name];
    if (app?.status === "DEPLOY_FAILED") return { kind: "failed", message: summarizeServeError(name, app.message) };
  }
  const unhealthy = names.find((name) => status!.apps[name]?.status === "UNHEALTHY");
  if (unhealthy !== undefined) return { kind: "unhealthy", message: summarizeServeError(unhealthy, status!.apps[unhealthy].message, "UNHEALTHY") };
  const allRunning = names.every((name) => status!.apps[name]?.status === "RUNNING");
  return allRunning ? { kind: "ready" } : { kind: "pending" };
}

/** Serve's message carries a whole traceback: keep its headline and the exception it ends with. */
export function summarizeServeError(name: string, message: string, status = "DEPLOY_FAILED"): string {
  const lines = message.split("\n").map((l) => l.replace(/\u001b\[[0-9;]*m/g, "").trimEnd()).filter((l) => l.trim() !== "");
  const exception = [...lines].reverse().find((l) => /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b/.test(l.trim()));
  const last = exception?.trim() ?? lines.at(-1)?.trim() ?? "no message";
  return `Ray Serve reported ${status} for application '${name}': ${last}${/[.!?]$/.test(last) ? "" : "."}`;
}
