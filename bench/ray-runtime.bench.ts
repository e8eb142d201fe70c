import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { startLocalControlPlane, type LocalControlPlane } from "../local";
import { defaultRayPython } from "../local/ray";
import { uploadWorkingDir, type Plane } from "../test/integration/local-jobs-harness";
import type { Report } from "./lib/report";
import { ratio, seconds, timed } from "./lib/stats";

// The plane's Ray runtime against its echo runtime, measured in the same run with the same calls:
// plane start, a service from apply to RUNNING, a canary (apply at 25% until RUNNING at 25%, then a
// move to 50%), and the memory of the plane's whole process tree with two versions running. The
// cold Ray install is the figure scripts/setup-ray.sh recorded when it installed (a fresh install
// downloads ~80 MB; `BENCH_RAY_COLD=1` repeats one into a scratch cache), next to the cached check.

const BENCH = "ray-runtime";
const APP = (text: string) => `from ray import serve\n\n@serve.deployment\nclass A:\n    def __call__(self, request) -> str:\n        return "${text}"\n\napp = A.bind()\n`;
const TIMINGS = { startupMs: 200, rolloutStepMs: 100, quiet: true } as const;

interface RunFigures {
  startMs: number;
  createMs: number;
  canaryMs: number;
  moveMs: number;
  treeRssMb: number;
}

export async function rayRuntimeBench(report: Report): Promise<void> {
  const python = defaultRayPython();
  if (!fs.existsSync(python)) throw new Error(`no Ray venv at ${python}: run scripts/setup-ray.sh`);
  installFigures(report, python);
  const echo = await measure("echo");
  const ray = await measure("ray");
  const row = (metric: string, e: number, r: number, unit: (n: number) => string) =>
    report.add({ bench: BENCH, metric, value: `ray ${unit(r)}, echo ${unit(e)} (${ratio(r, e)})` });
  row("plane start", echo.startMs, ray.startMs, seconds);
  row("service apply -> RUNNING", echo.createMs, ray.createMs, seconds);
  row("canary apply 25% -> RUNNING at 25%", echo.canaryMs, ray.canaryMs, seconds);
  row("canary move 25% -> 50%", echo.moveMs, ray.moveMs, seconds);
  row("process tree RSS, 2 versions", echo.treeRssMb, ray.treeRssMb, (mb) => `${mb.toFixed(0)} MB`);
}

function installFigures(report: Report, python: string): void {
  const venv = path.dirname(path.dirname(python));
  const recorded = path.join(venv, ".install-seconds");
  if (fs.existsSync(recorded)) report.add({ bench: BENCH, metric: "cold Ray install (recorded by setup-ray.sh)", value: `${fs.readFileSync(recorded, "utf8").trim()} s` });
  const script = path.resolve(__dirname, "../scripts/setup-ray.sh");
  const cached = Date.now();
  execFileSync("bash", [script], { stdio: ["ignore", "ignore", "ignore"] });
  report.add({ bench: BENCH, metric: "Ray install, cached", value: seconds(Date.now() - cached) });
  if (process.env.BENCH_RAY_COLD === "1") {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ray-cold-"));
    const cold = Date.now();
    execFileSync("bash", [script], { env: { ...process.env, PULUMI_ANYSCALE_CACHE: scratch }, stdio: ["ignore", "ignore", "inherit"] });
    report.add({ bench: BENCH, metric: "cold Ray install (this run)", value: seconds(Date.now() - cold) });
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function measure(runtime: "echo" | "ray"): Promise<RunFigures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${runtime}-`));
  const started = await timed(() => startLocalControlPlane({ dataDir, runtime, ...TIMINGS }));
  const plane = started.value;
  try {
    const p = asHarnessPlane(plane);
    const defaults = (await p.api("GET", "/ext/v0/cluster_computes/default")).body.result;
    const build = (await p.api("GET", "/ext/v0/cluster_environment_builds/default")).body.result;
    const [wd1, wd2] = [await uploadWorkingDir(p, { "main.py": APP("one") }), await uploadWorkingDir(p, { "main.py": APP("two") })];
    const body = (version: string, wd: string, extra: Record<string, unknown> = {}) => ({
      name: `bench-${runtime}`,
      version,
      build_id: build.id,
      compute_config_id: defaults.id,
      ray_serve_config: { applications: [{ name: "app", import_path: "main:app", route_prefix: "/", runtime_env: { working_dir: wd } }] },
      ...extra,
    });
    const apply = async (b: Record<string, unknown>) => (await p.api("PUT", "/api/v2/services-v2/apply", b)).body.result;
    const created = await timed(async () => {
      const s = await apply(body("one", wd1));
      await until(p, s.id, (x) => x.current_state === "RUNNING");
      return s;
    });
    const id = created.value.id;
    const canary = await timed(async () => {
      await apply(body("two", wd2, { canary_percent: 25 }));
      await until(p, id, (x) => x.canary_version?.current_state === "RUNNING" && x.canary_version.weight === 25);
    });
    const move = await timed(async () => {
      await apply(body("two", wd2, { canary_percent: 50 }));
      await until(p, id, (x) => x.canary_version?.weight === 50);
    });
    const service = (await p.api("GET", `/api/v2/services-v2/${id}`)).body.result;
    for (let i = 0; i < 4; i++) await (await request(service.base_url, { headers: { authorization: `Bearer ${service.auth_token}` } })).body.dump();
    return { startMs: started.ms, createMs: created.ms, canaryMs: canary.ms, moveMs: move.ms, treeRssMb: treeRssKb(process.pid) / 1024 };
  } finally {
    await plane.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function until(p: Plane, id: string, ok: (service: any) => boolean): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    const service = (await p.api("GET", `/api/v2/services-v2/${id}`)).body.result;
    if (ok(service)) return;
    if (["USER_ERROR_FAILURE", "UNHEALTHY"].includes(service.current_state)) throw new Error(`service failed: ${service.error_message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`service ${id} did not get there`);
}

function asHarnessPlane(plane: LocalControlPlane): Plane {
  return {
    plane,
    dataDir: plane.dataDir,
    async api(method, urlPath, body) {
      const res = await request(`${plane.url}${urlPath}`, { method: method as any, headers: { authorization: `Bearer ${plane.token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
    },
    restart: async () => undefined,
    stop: () => plane.stop(),
  };
}

/** Resident memory of a process and all its descendants (from /proc), in kB. */
function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
