import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { registerAdminRoutes } from "./admin";
import { acquireDataDirLock } from "./data-dir-lock";
import { registerCliCompatRoutes } from "./cli-compat";
import { createRuntime } from "./app";
import { registerCatalogRoutes, seedDefaults } from "./catalog/routes";
import { registerJobRoutes } from "./jobs";
import { createRequestListener } from "./server";
import { registerServiceRoutes } from "./services/routes";
import { registerTagRoutes } from "./tags";
import { randomToken } from "./ids";
import type { LocalOptions } from "./types";
import { registerUploadRoutes } from "./uploads";
import { startRayRuntime, type RayOptions, type RayRuntimeHandle } from "./ray";

export type { LocalApp, LocalOptions, Store, Router } from "./types";

export interface StartOptions {
  port?: number;
  dataDir: string;
  token?: string;
  startupMs?: number;
  rolloutStepMs?: number;
  jobStartupMs?: number;
  buildMs?: number;
  /** Seeded jitter on service start and canary step times: each takes its time ± up to `percent`. */
  jitter?: { percent: number; seed?: number };
  quiet?: boolean;
  /**
   * What runs a service version: "echo" (default: nothing runs, the query URL echoes requests) or
   * "ray" (its applications run under Ray Serve, jobs run on the same cluster; docs/local-plane-ray.md).
   */
  runtime?: "echo" | "ray";
  /** Ray runtime settings (an existing cluster's address, the Ray python, ...). */
  ray?: RayOptions;
}

export interface LocalControlPlane {
  url: string;
  token: string;
  dataDir: string;
  /** True when the token was generated (or read back from the data dir) rather than passed in. */
  tokenGenerated: boolean;
  runtime: "echo" | "ray";
  /** With the Ray runtime: the cluster's GCS address (what RAY_ADDRESS takes) and Serve's HTTP proxy. */
  ray?: { address: string; serveUrl: string; driverEnv: Record<string, string> };
  stop(): Promise<void>;
}

const TOKEN_FILE = "cli_token";

export const DEFAULT_TIMINGS = { startupMs: 1500, rolloutStepMs: 700, jobStartupMs: 1000, buildMs: 3000 } as const;

/** Starts the local Anyscale control plane on 127.0.0.1; resolves once it is listening. */
export async function startLocalControlPlane(opts: StartOptions): Promise<LocalControlPlane> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const { token, generated } = resolveToken(dataDir, opts.token);
  const options: LocalOptions = {
    port: opts.port ?? 0,
    dataDir,
    token,
    startupMs: opts.startupMs ?? DEFAULT_TIMINGS.startupMs,
    rolloutStepMs: opts.rolloutStepMs ?? DEFAULT_TIMINGS.rolloutStepMs,
    jobStartupMs: opts.jobStartupMs ?? DEFAULT_TIMINGS.jobStartupMs,
    buildMs: opts.buildMs ?? DEFAULT_TIMINGS.buildMs,
    jitter: opts.jitter,
    quiet: opts.quiet ?? false,
  };
  const releaseLock = acquireDataDirLock(dataDir);
  let runtime: ReturnType<typeof createRuntime> | undefined;
  let server: http.Server | undefined;
  let ray: RayRuntimeHandle | undefined;
  // Releases everything in reverse order of acquisition; the data dir lock goes last.
  const shutdown = async (): Promise<void> => {
    if (server) {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    }
    if (runtime) {
      await runtime.runStopHooks();
      runtime.store.close();
    }
    // After the jobs' processes are gone (stop hooks), so none is left talking to a vanishing cluster.
    if (ray) await ray.stop();
    releaseLock();
  };
  try {
    runtime = createRuntime(options);
    const { app, store } = runtime;
    runtime.setDefaults(seedDefaults(app));
    registerAdminRoutes(runtime);
    registerCatalogRoutes(app);
    registerUploadRoutes(runtime);
    registerTagRoutes(app);
    if (opts.runtime === "ray") ray = await startRayRuntime(app, opts.ray ?? {});
    const services = registerServiceRoutes(runtime, ray?.serviceRuntime);
    registerJobRoutes(app);
    registerCliCompatRoutes(app);

    const listener = http.createServer(
      createRequestListener({ router: runtime.router, token: () => token, faults: runtime.faults, requestLog: runtime.requestLog, log: app.log, durable: () => store.durable() }),
    );
    listener.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen(options.port, "127.0.0.1", () => {
        listener.off("error", reject);
        resolve();
      });
    });
    server = listener;
    runtime.setBaseUrl(`http://127.0.0.1:${(listener.address() as AddressInfo).port}`);
    // Timers resume only once the base URL is known, since service records carry it.
    services.resume();
  } catch (err) {
    // e.g. EADDRINUSE: release what was opened so a retry on the same data dir starts clean.
    await shutdown();
    throw err;
  }
  const url = runtime.app.baseUrl();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= shutdown();
    return stopped;
  };
  const rayInfo = ray ? { address: ray.gcsAddress, serveUrl: ray.serveUrl, driverEnv: ray.driverEnv } : undefined;
  return { url, token, dataDir, tokenGenerated: generated, runtime: ray ? "ray" : "echo", ...(rayInfo ? { ray: rayInfo } : {}), stop };
}

/** An explicit token wins; otherwise the one stored in the data dir, else a new one (stored for restarts). */
function resolveToken(dataDir: string, explicit: string | undefined): { token: string; generated: boolean } {
  if (explicit) return { token: explicit, generated: false };
  const file = path.join(dataDir, TOKEN_FILE);
  if (fs.existsSync(file)) {
    const stored = fs.readFileSync(file, "utf8").trim();
    if (stored) return { token: stored, generated: true };
  }
  // "sss_" passes the official SDK's token shape check.
  const token = `sss_local_${randomToken(32)}`;
  fs.writeFileSync(file, token + "\n", { mode: 0o600 });
  return { token, generated: true };
}
