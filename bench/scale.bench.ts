import { anyscaleProgram, noopProgram } from "./lib/programs";
import type { Report } from "./lib/report";
import * as os from "node:os";
import { lagSummary, measurePhase, type Outcome, type PhaseFigures } from "./lib/scale-measure";
import { median, ratio, seconds, timed } from "./lib/stats";
import { benchProject, clearRequestLog, requestLog as engineRequestLog, startBenchPlane, FAST_TIMINGS } from "./lib/stacks";
import { PLATFORM_TIMINGS, QUICK_TIMINGS, clearLog, configureProviders, jobProvider, requestLog, serviceProvider, startPlane, type BenchPlane, type Timings } from "./lib/waits";

// A stack of hundreds (on demand: `npm run bench -- scale`): BENCH_SCALE services + BENCH_SCALE jobs
// (default 200 + 200), against the same at BENCH_SCALE_BASELINE (default 20 + 20) in the same run.
// 1. Through the provider modules in this process (this process is the provider process), each scale
//    on a fresh plane with the platform's timings and ±20% seeded jitter: create all at once, roll
//    every service out to a new image, destroy all. Per phase and object kind: detection lag (its call
//    returned − the platform's last state change of that object before it), median and worst, beside
//    the baseline's and their ratio; requests per object; the whole process's read rate (mean and the
//    busiest second; the shared poller's own reads apart: its bound is 10/s); this process's peak memory.
// 2. Through the real engine: a no-op `pulumi preview` of the same stack, requests (goal 0) and time
//    against the same number of no-op dynamic resources (goal <= 1.3x).
// BENCH_QUICK divides the platform timings by 10; BENCH_SCALE_SKIP_PREVIEW=1 / BENCH_SCALE_ONLY_PREVIEW=1
// run one part.

const PREVIEWS = 3;
const GOALS = { lagMedianMs: 1000, lagWorstMs: 3000, memoryMb: 500, previewRatio: 1.3, pollPerSecond: 10 };
type Inputs = Record<string, any>;
interface Provider {
  check(olds: Inputs, news: Inputs): Promise<{ inputs?: Inputs; failures?: unknown[] }>;
  create(inputs: Inputs): Promise<{ id: string; outs?: Inputs }>;
  update(id: string, olds: Inputs, news: Inputs): Promise<{ outs?: Inputs }>;
  delete(id: string, props: Inputs): Promise<void>;
}

const SERVICE = (name: string, image: string) => ({ name, imageUri: image, applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }] });
const JOB = (name: string) => ({ name, entrypoint: "echo done", waitFor: "succeeded", maxRetries: 0, submissionScope: `bench/${name}` });

async function attempt(kind: Outcome["kind"], run: () => Promise<{ id?: string; outs?: Inputs }>): Promise<Outcome> {
  const startedAt = Date.now();
  try {
    const result = await run();
    return { kind, id: result.id, outs: result.outs, startedAt, returnedAt: Date.now() };
  } catch (error) {
    return { kind, startedAt, returnedAt: Date.now(), error: String((error as Error).message ?? error).slice(0, 200) };
  }
}

async function checked(provider: Provider, olds: Inputs, news: Inputs): Promise<Inputs> {
  const result = await provider.check(olds, { ...news, __provider: "bench" });
  if (result.failures?.length) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
  return result.inputs!;
}

const PHASES = ["create all", "rollout of every service", "destroy all"] as const;
type Phase = (typeof PHASES)[number];
interface ScaleRun {
  count: number;
  phases: Record<Phase, PhaseFigures>;
  peakRssMb: number;
  load: [number, number];
}

async function phase(plane: BenchPlane, run: () => Promise<Outcome[]>, withLags: boolean): Promise<PhaseFigures> {
  await clearLog(plane);
  const outcomes = await run();
  return measurePhase(plane, outcomes, await requestLog(plane), withLags);
}

/** Create, roll out and destroy `count` services + `count` jobs on a plane of their own. */
async function runAtScale(count: number, timings: Timings, prefix: string): Promise<ScaleRun> {
  const plane = await startPlane(timings, { percent: 20, seed: 25 });
  const loadBefore = os.loadavg()[0];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  try {
    await configureProviders(plane);
    const services = serviceProvider as unknown as Provider;
    const jobs = jobProvider as unknown as Provider;
    const inputs = new Map<string, Inputs>();
    const created: Outcome[] = [];
    const create = await phase(plane, async () => {
      created.push(
        ...(await Promise.all([
          ...Array.from({ length: count }, (_, i) => attempt("service", async () => {
            const news = await checked(services, {}, SERVICE(`${prefix}-svc-${i}`, "anyscale/ray:2.48.0-py311"));
            const result = await services.create(news);
            inputs.set(result.id, news);
            return result;
          })),
          ...Array.from({ length: count }, (_, i) => attempt("job", async () => jobs.create(await checked(jobs, {}, JOB(`${prefix}-job-${i}`))))),
        ])),
      );
      return created;
    }, true);
    const live = created.filter((o) => o.kind === "service" && o.id && !o.error);
    const rollout = await phase(plane, () =>
      Promise.all(live.map((o) => attempt("service", async () => {
        const olds = { ...inputs.get(o.id!), ...o.outs };
        const news = await checked(services, olds, SERVICE(String(olds.name), "anyscale/ray:2.49.0-py311"));
        const result = await services.update(o.id!, olds, news);
        o.outs = result.outs ?? o.outs;
        return { id: o.id, outs: result.outs };
      }))), true);
    const destroy = await phase(plane, () =>
      Promise.all(created.filter((o) => o.id && !o.error).map((o) => attempt(o.kind, async () => {
        await (o.kind === "service" ? services : jobs).delete(o.id!, o.outs ?? {});
        return { id: o.id };
      }))), false);
    return { count, phases: { "create all": create, "rollout of every service": rollout, "destroy all": destroy }, peakRssMb: peakRss / 2 ** 20, load: [loadBefore, os.loadavg()[0]] };
  } finally {
    clearInterval(sampler);
    await plane.dispose();
  }
}

const perSecond = (r: { mean: number; busiest: number }) => `${r.mean.toFixed(1)}/s, ${r.busiest}`;
const times = (a: number, b: number) => `x${(a / b).toFixed(2)}`;

function reportRuns(report: Report, bench: string, at: ScaleRun, base: ScaleRun): void {
  const b = base.count;
  for (const name of PHASES) {
    const [p, q] = [at.phases[name], base.phases[name]];
    report.add({ bench, metric: `${name}: wall time / failed (at ${b})`, value: `${seconds(p.wallMs)} / ${p.failed} (${seconds(q.wallMs)} / ${q.failed})${p.firstError ? ` ${p.firstError}` : ""}`, met: p.failed === 0 });
    for (const kind of ["service", "job"] as const) {
      const [lag, baseLag] = [lagSummary(p.lags[kind]), lagSummary(q.lags[kind])];
      if (!lag) continue;
      const baseline = baseLag ? `; at ${b}: ${seconds(baseLag.median)} / ${seconds(baseLag.worst)} (${times(lag.median, baseLag.median)} / ${times(lag.worst, baseLag.worst)})` : "";
      report.add({ bench, metric: `${name}: ${kind} detection lag median / worst (${p.lags[kind]!.length})`, value: `${seconds(lag.median)} / ${seconds(lag.worst)}${baseline}`, goal: `<= ${seconds(GOALS.lagMedianMs)} / <= ${seconds(GOALS.lagWorstMs)}`, met: lag.median <= GOALS.lagMedianMs && lag.worst <= GOALS.lagWorstMs });
    }
    report.add({ bench, metric: `${name}: requests per object (at ${b})`, value: `${(p.requests / p.objects).toFixed(1)} (${(q.requests / q.objects).toFixed(1)})` });
    report.add({ bench, metric: `${name}: reads, mean / busiest second: all; poller's list pages (at ${b})`, value: `${perSecond(p.reads)}; ${perSecond(p.pollReads)} (${perSecond(q.reads)}; ${perSecond(q.pollReads)})`, goal: `poller <= ${GOALS.pollPerSecond}/s`, met: p.pollReads.busiest <= GOALS.pollPerSecond });
    process.stderr.write(`[bench] ${bench}: ${name}: requests per endpoint at ${at.count}: ${p.endpoints.map(([e, n]) => `${e} ${n}`).join(", ")}\n`);
  }
  report.add({ bench, metric: `provider process peak memory (bench + provider; at ${b})`, value: `${at.peakRssMb.toFixed(0)} MB (${base.peakRssMb.toFixed(0)} MB)`, goal: `<= ${GOALS.memoryMb} MB`, met: at.peakRssMb <= GOALS.memoryMb });
  report.add({ bench, metric: `load average (1 min) at start / end, on ${os.cpus().length} cores (at ${b})`, value: `${at.load.map((l) => l.toFixed(1)).join(" / ")} (${base.load.map((l) => l.toFixed(1)).join(" / ")})` });
}

export async function scaleBench(report: Report): Promise<void> {
  const n = Number(process.env.BENCH_SCALE ?? 200);
  const baselineCount = Number(process.env.BENCH_SCALE_BASELINE ?? 20);
  const quick = process.env.BENCH_QUICK === "1";
  const timings = quick ? QUICK_TIMINGS : PLATFORM_TIMINGS;
  const bench = `scale ${n}+${n}${quick ? " (quick: /10 timings)" : ""}`;
  if (process.env.BENCH_SCALE_ONLY_PREVIEW === "1") return noopPreviewAtScale(report, bench, n);
  const base = await runAtScale(baselineCount, timings, "base");
  const at = await runAtScale(n, timings, "scale");
  reportRuns(report, bench, at, base);
  if (process.env.BENCH_SCALE_SKIP_PREVIEW !== "1") await noopPreviewAtScale(report, bench, n);
}

/** The engine side: a no-op preview of n services + n jobs against 2n no-op dynamic resources. */
async function noopPreviewAtScale(report: Report, bench: string, n: number): Promise<void> {
  const plane = await startBenchPlane(FAST_TIMINGS);
  try {
    const stack = await benchProject("scale-anyscale", anyscaleProgram("sc", { services: n, jobs: n }), plane);
    const baseline = await benchProject("scale-baseline", noopProgram("sb", 2 * n), plane);
    await stack.up();
    await baseline.up();
    // Alternating, median of PREVIEWS each: one preview of each swings by seconds on a shared machine.
    const ours: number[] = [];
    const theirs: number[] = [];
    let requests = 0;
    for (let i = 0; i < PREVIEWS; i++) {
      await clearRequestLog(plane);
      ours.push((await timed(() => stack.pulumi(["preview", "--stack", stack.stack]))).ms);
      requests += (await engineRequestLog(plane)).length;
      theirs.push((await timed(() => baseline.pulumi(["preview", "--stack", baseline.stack]))).ms);
    }
    const [a, b] = [median(ours), median(theirs)];
    report.add({ bench, metric: `no-op preview: API requests (${PREVIEWS} previews)`, value: String(requests), goal: "0", met: requests === 0 });
    report.add({ bench, metric: `no-op preview: time, median of ${PREVIEWS} (pulumi-anyscale / ${2 * n} no-op dynamic resources)`, value: `${seconds(a)} / ${seconds(b)} = ${ratio(a, b)} (each: ${ours.map(seconds).join(", ")} / ${theirs.map(seconds).join(", ")})`, goal: `<= ${GOALS.previewRatio}x`, met: a / b <= GOALS.previewRatio });
    await stack.destroy({ allowFailure: true });
    await baseline.destroy({ allowFailure: true });
    stack.remove();
    baseline.remove();
  } finally {
    await plane.stop();
  }
}
