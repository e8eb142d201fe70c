import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, applyBody, planeDefaults, type ApiCaller } from "../../test/helpers/local-plane";
import { spawnChildPlane, type ChildPlane } from "../../test/fixtures/reliability/child-plane";

// What the wait benchmarks share: a control plane in a process of its own (it can be stopped and
// restarted on the same port and data dir), the provider modules driven in this process the way the
// engine drives them (this process is the provider process), and reading the plane's request log.

/** The platform's timings: a version takes a minute to start, a canary steps 0→5→10→20→30→50→75→100 over 70 s. */
export const PLATFORM_TIMINGS = { startupMs: 60_000, rolloutStepMs: 10_000, jobStartupMs: 60_000 } as const;
/** Quick mode: the same with a tenth of the time (figures labelled as such). */
export const QUICK_TIMINGS = { startupMs: 6_000, rolloutStepMs: 1_000, jobStartupMs: 6_000 } as const;
export type Timings = { startupMs: number; rolloutStepMs: number; jobStartupMs: number };

export const PROVIDER_CLIENT = "pulumi-anyscale";

export interface LogEntry {
  ts: string;
  at: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body?: any;
  status: number;
  client: string | null;
}

/** "METHOD path" with ids (`service2_x9mb…`, `prodjob_…`, `cld_…`) as `:id`; names such as `decorated_ha_jobs` stay. */
export const endpointOf = (e: Pick<LogEntry, "method" | "path">): string => `${e.method} ${e.path.replace(/\/[a-z][a-z0-9]*_[a-z0-9]{10,}(?=\/|$)/g, "/:id")}`;

export interface BenchPlane {
  url: string;
  token: string;
  dataDir: string;
  port: number;
  api: ApiCaller;
  /** Stops the plane process (SIGTERM), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

const TOKEN = "sss_bench_waits_token_0123456789";

/** `jitter`: each start and step takes its time ± that percentage (seeded), as a real platform varies. */
export async function startPlane(timings: Timings, jitter?: { percent: number; seed: number }): Promise<BenchPlane> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-waits-"));
  const jitterArgs = jitter ? ["--jitter", String(jitter.percent), "--jitter-seed", String(jitter.seed)] : [];
  const args = (port: number) => ["--port", String(port), "--startup-ms", String(timings.startupMs), "--rollout-step-ms", String(timings.rolloutStepMs), "--job-startup-ms", String(timings.jobStartupMs), ...jitterArgs];
  let child: ChildPlane = await spawnChildPlane(dataDir, TOKEN, args(0));
  const port = Number(new URL(child.url).port);
  const plane: BenchPlane = {
    url: child.url,
    token: TOKEN,
    dataDir,
    port,
    api: api(child),
    stop: () => child.kill("SIGTERM"),
    restart: async () => {
      child = await spawnChildPlane(dataDir, TOKEN, args(port));
    },
    dispose: async () => {
      await child.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return plane;
}

export async function requestLog(plane: BenchPlane): Promise<LogEntry[]> {
  const body = (await plane.api.get("/_local/requests")).body;
  return ((Array.isArray(body) ? body : body.result) as Omit<LogEntry, "at">[]).map((entry) => ({ ...entry, at: Date.parse(entry.ts) }));
}

export async function clearLog(plane: BenchPlane): Promise<void> {
  await plane.api.del("/_local/requests");
}

type Inputs = Record<string, any>;
interface ProviderModule {
  configure(req: { config: { get(key: string): string | undefined } }): Promise<void>;
  check(olds: Inputs, news: Inputs): Promise<{ inputs?: Inputs; failures?: unknown[] }>;
  create(inputs: Inputs): Promise<{ id: string; outs?: Inputs }>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const serviceProvider: ProviderModule = require("../../provider/service/dynamic");
export const jobProvider: ProviderModule = require("../../provider/job/dynamic");
/* eslint-enable @typescript-eslint/no-require-imports */

export async function configureProviders(plane: BenchPlane): Promise<void> {
  // The real defaults: no test poll interval.
  delete process.env.ANYSCALE_POLL_INTERVAL_MS;
  const values: Record<string, string> = { "anyscale:host": plane.url, "anyscale:token": plane.token };
  for (const provider of [serviceProvider, jobProvider]) await provider.configure({ config: { get: (key) => values[key] } });
}

export interface Created {
  name: string;
  id?: string;
  returnedAt: number;
  error?: string;
  outs?: Inputs;
}

async function createOne(provider: ProviderModule, name: string, inputs: Inputs): Promise<Created> {
  try {
    const checked = await provider.check({}, { ...inputs, __provider: "bench" });
    if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
    const created = await provider.create(checked.inputs!);
    return { name, id: created.id, returnedAt: Date.now(), outs: created.outs };
  } catch (error) {
    return { name, id: (error as { id?: string }).id, returnedAt: Date.now(), error: String((error as Error).message ?? error).slice(0, 300) };
  }
}

export function createServices(names: string[]): Promise<Created[]> {
  return Promise.all(
    names.map((name) => createOne(serviceProvider, name, { name, imageUri: "anyscale/ray:2.48.0-py311", applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }] })),
  );
}

export function createJobs(names: string[]): Promise<Created[]> {
  return Promise.all(names.map((name) => createOne(jobProvider, name, { name, entrypoint: "echo done", waitFor: "succeeded", maxRetries: 0, submissionScope: `bench/${name}` })));
}

/** When the platform marked the service RUNNING (its RUNNING event). */
export async function runningAt(plane: BenchPlane, serviceId: string): Promise<number> {
  const events = (await plane.api.get(`/api/v2/services-v2/${serviceId}/events?count=50`)).body.results as any[];
  const running = events.find((e) => e.event_type === "RUNNING");
  if (!running) throw new Error(`no RUNNING event for ${serviceId}`);
  return Date.parse(running.created_at);
}

/** When the platform marked the job SUCCESS. */
export async function succeededAt(plane: BenchPlane, jobId: string): Promise<number> {
  const job = (await plane.api.get(`/api/v2/decorated_ha_jobs/${jobId}`)).body.result;
  if (job.state.current_state !== "SUCCESS") throw new Error(`job ${jobId} is ${job.state.current_state}`);
  return Date.parse(job.state.state_transitioned_at);
}

/** Applies services straight through the API (for the official CLI to wait on). */
export async function applyDirectly(plane: BenchPlane, names: string[]): Promise<string[]> {
  const defaults = await planeDefaults(plane.api);
  const ids: string[] = [];
  for (const name of names) {
    const response = await plane.api.put("/api/v2/services-v2/apply", applyBody(defaults, name));
    if (response.status >= 300) throw new Error(`apply ${name}: ${response.status}`);
    ids.push(response.body.result.id);
  }
  return ids;
}

/** Requests per minute in [from, to] of the entries given. */
export function perMinute(entries: LogEntry[], from: number, to: number): number {
  const inWindow = entries.filter((e) => e.at >= from && e.at <= to).length;
  return to > from ? (inWindow * 60_000) / (to - from) : NaN;
}
