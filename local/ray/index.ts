// Starts the plane's Ray runtime: finds the Ray venv, starts the sidecar (which starts a local
// cluster, or joins `address`), and wires the service runtime and the jobs' environment to it.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalApp } from "../types";
import { setRayJobEnv } from "./job-env";
import { PackageCache } from "./packages";
import { RayServiceRuntime } from "./ray-runtime";
import { RaySidecar } from "./sidecar";

export interface RayOptions {
  /** An existing cluster (`host:port` GCS address, as RAY_ADDRESS takes it); else a local one. */
  address?: string;
  /** The Ray venv's python; default: ANYSCALE_LOCAL_RAY_PYTHON, else the venv scripts/setup-ray.sh makes. */
  python?: string;
  /** Serve's HTTP proxy, when the plane cannot reach it where the cluster reports it (a remote cluster). */
  serveUrl?: string;
  /** Logical CPUs of a local cluster (default 8: room for a few replicas; not a limit on real CPU). */
  numCpus?: number;
  /** How long Ray may take to come up (default 240 s). */
  startTimeoutMs?: number;
}

export interface RayRuntimeHandle {
  serviceRuntime: RayServiceRuntime;
  gcsAddress: string;
  serveUrl: string;
  /** What a driver needs to connect to the cluster (RAY_ADDRESS and its auth), as job runs get it. */
  driverEnv: Record<string, string>;
  stop(): Promise<void>;
}

export function defaultRayPython(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ANYSCALE_LOCAL_RAY_PYTHON) return env.ANYSCALE_LOCAL_RAY_PYTHON;
  const cache = env.PULUMI_ANYSCALE_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-anyscale");
  return path.join(cache, "ray-venv", "bin", "python");
}

export async function startRayRuntime(app: LocalApp, opts: RayOptions): Promise<RayRuntimeHandle> {
  const python = opts.python ?? defaultRayPython();
  if (!fs.existsSync(python)) {
    throw new Error(`the Ray runtime needs Ray Serve: no python at ${python}. Run scripts/setup-ray.sh (installs ray[serve] once), or pass --ray-python.`);
  }
  const { dataDir } = app.options;
  // Stable per data dir, so a restarted plane recognises its own applications on a shared cluster.
  const tag = `alp${createHash("sha256").update(dataDir).digest("hex").slice(0, 6)}`;
  const workDir = path.join(dataDir, "ray");
  // A local cluster gets its own token; joining one, the caller's environment carries its auth.
  const authEnv: Record<string, string> = opts.address ? callerRayAuth() : { RAY_AUTH_MODE: "token", RAY_AUTH_TOKEN: randomBytes(24).toString("hex") };
  // Short: Ray puts unix sockets under it (108-byte limit).
  const tempDir = path.join(os.tmpdir(), `${tag}-${process.pid}`);
  removeDeadPlanesTempDirs(tag);
  const sidecar = await RaySidecar.start({
    python,
    workDir,
    appPrefix: `${tag}-`,
    address: opts.address,
    numCpus: opts.numCpus ?? 8,
    servePort: await freePort(),
    tempDir,
    env: authEnv,
    startTimeoutMs: opts.startTimeoutMs ?? 240_000,
  });
  const serveUrl = opts.serveUrl ?? sidecar.info.serveUrl;
  app.log(`ray runtime: ${opts.address ? `joined ${opts.address}` : `local cluster at ${sidecar.info.gcsAddress}`}, Serve at ${serveUrl} (log ${sidecar.logFile})`);
  const serviceRuntime = new RayServiceRuntime(sidecar, {
    tag,
    packages: new PackageCache(path.join(workDir, "packages"), (uri) => app.resolveFileUri(uri)),
    serveUrl,
    log: (message) => app.log(message),
  });
  const driverEnv = { RAY_ADDRESS: opts.address ?? sidecar.info.gcsAddress, ...authEnv };
  setRayJobEnv(app, { binDir: path.dirname(python), vars: driverEnv });
  return {
    serviceRuntime,
    gcsAddress: opts.address ?? sidecar.info.gcsAddress,
    serveUrl,
    driverEnv,
    stop: async () => {
      serviceRuntime.stop();
      await sidecar.stop();
      if (!opts.address) fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** A plane killed with -9 leaves its cluster's temp dir (the cluster itself dies with the sidecar). */
function removeDeadPlanesTempDirs(tag: string): void {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    const pid = new RegExp(`^${tag}-(\\d+)$`).exec(entry)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function callerRayAuth(): Record<string, string> {
  const names = ["RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH"];
  return Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]!]));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
