import { anyscaleProgram, noopProgram } from "./lib/programs";
import type { Report } from "./lib/report";
import { max, median, ratio, seconds, timed } from "./lib/stats";
import { benchProject, clearRequestLog, requestLog as engineRequestLog, startBenchPlane, FAST_TIMINGS } from "./lib/stacks";
import { PLATFORM_TIMINGS, PROVIDER_CLIENT, QUICK_TIMINGS, clearLog, configureProviders, jobProvider, requestLog, serviceProvider, startPlane, type BenchPlane, type LogEntry } from "./lib/waits";

// A stack of hundreds (on demand: `npm run bench -- scale`): BENCH_SCALE services + BENCH_SCALE jobs
// (default 200 + 200).
// 1. Through the provider modules in this process (this process is the provider process), on a plane
//    with the platform's timings and ±20% seeded jitter: create all at once, roll every service out to
//    a new image, destroy all. Per object: detection lag (its wait returned − the platform's last state
//    change of that object before it); the whole process's request rate while they wait (mean and the
//    busiest second); this process's peak memory.
// 2. Through the real engine: a no-op `pulumi preview` of the same stack, requests (goal 0) and time
//    against the same number of no-op dynamic resources (goal <= 1.3x).
// BENCH_QUICK divides the platform timings by 10; BENCH_SCALE_SKIP_PREVIEW=1 / BENCH_SCALE_ONLY_PREVIEW=1
// run one part.

const GOALS = { lagMedianMs: 1000, lagWorstMs: 3000, memoryMb: 500, previewRatio: 1.3 };
type Inputs = Record<string, any>;
interface Provider {
  check(olds: Inputs, news: Inputs): Promise<{ inputs?: Inputs; failures?: unknown[] }>;
  create(inputs: Inputs): Promise<{ id: string; outs?: Inputs }>;
  update(id: string, olds: Inputs, news: Inputs): Promise<{ outs?: Inputs }>;
  delete(id: string, props: Inputs): Promise<void>;
}
interface Outcome {
  kind: "service" | "job";
  id?: string;
  outs?: Inputs;
  returnedAt: number;
  error?: string;
}

const SERVICE = (name: string, image: string) => ({ name, imageUri: image, applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }] });
const JOB = (name: string) => ({ name, entrypoint: "echo done", waitFor: "succeeded", maxRetries: 0, submissionScope: `bench/${name}` });

async function attempt(kind: Outcome["kind"], run: () => Promise<{ id?: string; outs?: Inputs }>): Promise<Outcome> {
  try {
    const result = await run();
    return { kind, id: result.id, outs: result.outs, returnedAt: Date.now() };
  } catch (error) {
    return { kind, returnedAt: Date.now(), error: String((error as Error).message ?? error).slice(0, 200) };
  }
}

async function checked(provider: Provider, olds: Inputs, news: Inputs): Promise<Inputs> {
  const result = await provider.check(olds, { ...news, __provider: "bench" });
  if (result.failures?.length) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
  return result.inputs!;
}

/** When the platform last changed this object before its wait returned (its last event, or the job's transition). */
async function platformChangedAt(plane: BenchPlane, outcome: Outcome): Promise<number> {
  if (outcome.kind === "job") return Date.parse((await plane.api.get(`/api/v2/decorated_ha_jobs/${outcome.id}`)).body.result.state.state_transitioned_at);
  const events = (await plane.api.get(`/api/v2/services-v2/${outcome.id}/events?count=50`)).body.results as Array<{ created_at: string }>;
  return Math.max(...events.map((e) => Date.parse(e.created_at)).filter((at) => at <= outcome.returnedAt));
}

/** Whole-process requests: mean per second over the window, and the busiest single second. */
function rates(entries: LogEntry[], from: number, to: number): { mean: number; busiest: number } {
  const inWindow = entries.filter((e) => e.client === PROVIDER_CLIENT && e.at >= from && e.at <= to);
  const perSecond = new Map<number, number>();
  for (const e of inWindow) perSecond.set(Math.floor(e.at / 1000), (perSecond.get(Math.floor(e.at / 1000)) ?? 0) + 1);
  return { mean: to > from ? (inWindow.length * 1000) / (to - from) : NaN, busiest: Math.max(0, ...perSecond.values()) };
}

async function phase(report: Report, plane: BenchPlane, bench: string, label: string, run: () => Promise<Outcome[]>, lagsToo: boolean): Promise<Outcome[]> {
  await clearLog(plane);
  const started = Date.now();
  const outcomes = await run();
  const failed = outcomes.filter((o) => o.error);
  const log = await requestLog(plane);
  report.add({ bench, metric: `${label}: wall time / failed`, value: `${seconds(Date.now() - started)} / ${failed.length}${failed[0] ? ` (${failed[0].error})` : ""}`, met: failed.length === 0 });
  if (lagsToo) {
    for (const kind of ["service", "job"] as const) {
      const lags: number[] = [];
      for (const o of outcomes) if (o.kind === kind && o.id && !o.error) lags.push(o.returnedAt - (await platformChangedAt(plane, o)));
      if (lags.length === 0) continue;
      report.add({ bench, metric: `${label}: ${kind} detection lag median / worst (${lags.length})`, value: `${seconds(median(lags))} / ${seconds(max(lags))}`, goal: `<= ${seconds(GOALS.lagMedianMs)} / <= ${seconds(GOALS.lagWorstMs)}`, met: median(lags) <= GOALS.lagMedianMs && max(lags) <= GOALS.lagWorstMs });
    }
  }
  // The waiting window: after the last write of the phase, until the first object was done.
  const writes = log.filter((e) => e.client === PROVIDER_CLIENT && e.method !== "GET" && !e.path.includes("/list") && !e.path.includes("/search"));
  const from = Math.max(...writes.map((e) => e.at));
  const to = Math.min(...outcomes.map((o) => o.returnedAt));
  const { mean, busiest } = rates(log, Math.min(from, to), to);
  const total = log.filter((e) => e.client === PROVIDER_CLIENT).length;
  report.add({ bench, metric: `${label}: requests, total / per object / while waiting per s (mean, busiest second)`, value: `${total} / ${(total / outcomes.length).toFixed(1)} / ${mean.toFixed(1)}, ${busiest}`, goal: "busiest <= 10/s", met: busiest <= 10 });
  return outcomes;
}

export async function scaleBench(report: Report): Promise<void> {
  const n = Number(process.env.BENCH_SCALE ?? 200);
  const quick = process.env.BENCH_QUICK === "1";
  const timings = quick ? QUICK_TIMINGS : PLATFORM_TIMINGS;
  const bench = `scale ${n}+${n}${quick ? " (quick: /10 timings)" : ""}`;
  if (process.env.BENCH_SCALE_ONLY_PREVIEW === "1") return noopPreviewAtScale(report, bench, n);
  const plane = await startPlane(timings, { percent: 20, seed: 25 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  try {
    await configureProviders(plane);
    const services = serviceProvider as unknown as Provider;
    const jobs = jobProvider as unknown as Provider;
    const serviceNames = Array.from({ length: n }, (_, i) => `scale-svc-${i}`);
    const jobNames = Array.from({ length: n }, (_, i) => `scale-job-${i}`);
    const inputs = new Map<string, Inputs>();
    const created = await phase(report, plane, bench, "create all", () =>
      Promise.all([
        ...serviceNames.map((name) => attempt("service", async () => {
          const news = await checked(services, {}, SERVICE(name, "anyscale/ray:2.48.0-py311"));
          const result = await services.create(news);
          inputs.set(result.id, news);
          return result;
        })),
        ...jobNames.map((name) => attempt("job", async () => jobs.create(await checked(jobs, {}, JOB(name))))),
      ]), true);
    const liveServices = created.filter((o) => o.kind === "service" && o.id && !o.error);
    await phase(report, plane, bench, "rollout of every service to a new image", () =>
      Promise.all(liveServices.map((o) => attempt("service", async () => {
        const olds = { ...inputs.get(o.id!), ...o.outs };
        const news = await checked(services, olds, { ...SERVICE(String(olds.name), "anyscale/ray:2.49.0-py311") });
        const result = await services.update(o.id!, olds, news);
        o.outs = result.outs ?? o.outs;
        return { id: o.id, outs: result.outs };
      }))), true);
    await phase(report, plane, bench, "destroy all", () =>
      Promise.all(created.filter((o) => o.id && !o.error).map((o) => attempt(o.kind, async () => {
        await (o.kind === "service" ? services : jobs).delete(o.id!, o.outs ?? {});
        return { id: o.id };
      }))), false);
    report.add({ bench, metric: "provider process peak memory (this process: bench + provider)", value: `${(peakRss / 2 ** 20).toFixed(0)} MB`, goal: `<= ${GOALS.memoryMb} MB`, met: peakRss / 2 ** 20 <= GOALS.memoryMb });
  } finally {
    clearInterval(sampler);
    await plane.dispose();
  }
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
    await clearRequestLog(plane);
    const ours = (await timed(() => stack.pulumi(["preview", "--stack", stack.stack]))).ms;
    const requests = (await engineRequestLog(plane)).length;
    const theirs = (await timed(() => baseline.pulumi(["preview", "--stack", baseline.stack]))).ms;
    report.add({ bench, metric: "no-op preview: API requests", value: String(requests), goal: "0", met: requests === 0 });
    report.add({ bench, metric: `no-op preview: time (pulumi-anyscale / ${2 * n} no-op dynamic resources)`, value: `${seconds(ours)} / ${seconds(theirs)} = ${ratio(ours, theirs)}`, goal: `<= ${GOALS.previewRatio}x`, met: ours / theirs <= GOALS.previewRatio });
    await stack.destroy({ allowFailure: true });
    await baseline.destroy({ allowFailure: true });
    stack.remove();
    baseline.remove();
  } finally {
    await plane.stop();
  }
}
