// What a job run needs to reach the plane's Ray cluster: the Ray venv's bin first on PATH (so
// `python` has ray), RAY_ADDRESS and the cluster's auth settings. Kept per plane (a process may run
// several planes in tests), looked up by the job launcher.
import type { LocalApp } from "../types";

export interface RayJobEnv {
  binDir: string;
  vars: Record<string, string>;
}

const byApp = new WeakMap<LocalApp, RayJobEnv>();

export function setRayJobEnv(app: LocalApp, env: RayJobEnv): void {
  byApp.set(app, env);
}

export function rayJobEnvOf(app: LocalApp): RayJobEnv | undefined {
  return byApp.get(app);
}
