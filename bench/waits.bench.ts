import { runAnyscaleCli } from "../test/helpers/anyscale-cli";
import { observerFor } from "../provider/anyscale/watch";
import { AnyscaleClient } from "../provider/anyscale/client";
import type { Report } from "./lib/report";
import { max, median, seconds } from "./lib/stats";
import {
  PLATFORM_TIMINGS,
  PROVIDER_CLIENT,
  QUICK_TIMINGS,
  applyDirectly,
  clearLog,
  configureProviders,
  createJobs,
  createServices,
  perMinute,
  requestLog,
  runningAt,
  startPlane,
  succeededAt,
  type BenchPlane,
  type Created,
  type LogEntry,
} from "./lib/waits";

// Waiting at the platform's timings (a version starts in 60 s; canary steps total 70 s; a job's cluster
// starts in 60 s), with the provider's default shared poller, in this process (the provider process):
// - detection lag: platform RUNNING / SUCCESS → the resource's create returns (median, worst);
// - whole-process requests per minute while the resources wait, from the plane's request log;
// - the official CLI's `anyscale service wait` on the same plane at the same time;
// - 20% injected faults plus the plane stopped for a minute in the middle of 20 + 20 waits.
// Quick mode (BENCH_QUICK=1 or `npm run bench -- --quick`) divides every platform timing by 10: the lag
// and the request rate depend on the poller's round, not on how long a start takes, and the full run
// shows it at real timings. The outage is then 6 s instead of 60 s.

const SINGLE_RUNS = 3;
const MANY = 20;
const CLI_WAITS_WITH_MANY = 5;
const IN_FLIGHT_MS = 50;
const GOALS = { medianMs: 1000, worstMs: 2000, perSecondWith20: 1 };

const quick = () => process.env.BENCH_QUICK === "1";
const BENCH = () => (quick() ? "waits (quick: /10 timings)" : "waits (60 s start)");

const isProvider = (e: LogEntry) => e.client === PROVIDER_CLIENT;
const isCli = (e: LogEntry) => e.client !== PROVIDER_CLIENT && e.client !== "local-plane-tests";

function failedOf(created: Created[]): Created[] {
  return created.filter((c) => c.error || !c.id);
}

async function lagsOf(plane: BenchPlane, created: Created[], kind: "service" | "job"): Promise<number[]> {
  const lags: number[] = [];
  for (const c of created) {
    if (!c.id || c.error) continue;
    lags.push(c.returnedAt - (kind === "service" ? await runningAt(plane, c.id) : await succeededAt(plane, c.id)));
  }
  return lags;
}

/** `anyscale service wait` for each name, concurrently; resolves with when each returned. */
async function cliWaits(plane: BenchPlane, names: string[], timeoutS: number): Promise<Array<{ name: string; returnedAt: number; ok: boolean }>> {
  return Promise.all(
    names.map(async (name) => {
      const result = await runAnyscaleCli(plane, ["service", "wait", "-n", name, "--timeout-s", String(timeoutS)], { timeoutMs: (timeoutS + 60) * 1000 });
      return { name, returnedAt: Date.now(), ok: result.code === 0 };
    }),
  );
}

/** The endpoints behind a request count (ids folded), most frequent first. */
function breakdown(entries: LogEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const endpoint = `${e.method} ${e.path.replace(/\/[a-z0-9]+_[a-z0-9]{8,}/gi, "/{id}")}`;
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([endpoint, n]) => `${endpoint} ×${n}`).join("; ");
}

interface PhaseFigures {
  window: string;
  lags: number[];
  failed: number;
  /** Whole-process requests per minute while every resource of the phase was waiting. */
  perMinute: number;
  pollsPerResource: number;
  cliLags: number[];
  cliRequestsPerService: number;
}

/**
 * The figures over the window where every resource of a phase is waiting: from `from` (the last
 * create request) until the platform marks the first one ready (its return minus its lag).
 */
function waitingFigures(provider: LogEntry[], created: Created[], lags: number[], from: number, pollsPerResource: number) {
  const to = Math.min(...created.map((c, i) => c.returnedAt - (lags[i] ?? 0)));
  return {
    window: breakdown(provider.filter((e) => e.at >= from && e.at <= to)),
    lags,
    failed: failedOf(created).length,
    perMinute: perMinute(provider, from, to),
    pollsPerResource,
  };
}

/** n services created at once by the provider while `cliCount` others are awaited by the official CLI. */
async function servicesPhase(plane: BenchPlane, tag: string, n: number, cliCount: number, jobsToo: number): Promise<PhaseFigures & { jobLags: number[]; jobFailed: number }> {
  await clearLog(plane);
  const timeoutS = Math.ceil((quick() ? QUICK_TIMINGS : PLATFORM_TIMINGS).startupMs / 1000) * 4;
  const cliNames = Array.from({ length: cliCount }, (_, i) => `cli-${tag}-${i}`);
  const cliIds = await applyDirectly(plane, cliNames);
  const cli = cliWaits(plane, cliNames, timeoutS);
  const names = Array.from({ length: n }, (_, i) => `svc-${tag}-${i}`);
  const jobNames = Array.from({ length: jobsToo }, (_, i) => `job-${tag}-${i}`);
  const [created, jobs, cliDone] = await Promise.all([createServices(names), createJobs(jobNames), cli]);
  const log = await requestLog(plane);
  const provider = log.filter(isProvider);
  const applies = provider.filter((e) => e.method === "PUT" && e.path === "/api/v2/services-v2/apply" && e.status < 300);
  const lags = await lagsOf(plane, created, "service");
  const polls = provider.filter((e) => e.method === "GET" && e.path.startsWith("/api/v2/services-v2") && e.query?.name === undefined && e.at >= Math.min(...applies.map((a) => a.at)));
  const cliRunning = await Promise.all(cliIds.map((id) => runningAt(plane, id)));
  return {
    // Every service is waiting from the last apply until the platform marks the first one RUNNING.
    ...waitingFigures(provider, created, lags, max(applies.map((e) => e.at)), polls.length / n),
    cliLags: cliDone.filter((c) => c.ok).map((c, i) => c.returnedAt - cliRunning[i]),
    cliRequestsPerService: log.filter(isCli).length / Math.max(1, cliCount),
    jobLags: await lagsOf(plane, jobs, "job"),
    jobFailed: failedOf(jobs).length,
  };
}

async function jobsPhase(plane: BenchPlane, tag: string, n: number): Promise<PhaseFigures> {
  await clearLog(plane);
  const names = Array.from({ length: n }, (_, i) => `job-${tag}-${i}`);
  const created = await createJobs(names);
  const provider = (await requestLog(plane)).filter(isProvider);
  const submits = provider.filter((e) => e.method === "POST" && e.path === "/api/v2/decorated_ha_jobs/create" && e.status < 300);
  const polls = provider.filter((e) => e.method === "GET" && e.path.startsWith("/api/v2/decorated_ha_jobs") && e.query?.sort_field === "CREATED_AT");
  const lags = await lagsOf(plane, created, "job");
  return {
    ...waitingFigures(provider, created, lags, max(submits.map((e) => e.at)), polls.length / n),
    cliLags: [],
    cliRequestsPerService: NaN,
  };
}

const lagText = (lags: number[]) => (lags.length ? `${seconds(median(lags))} / ${seconds(max(lags))} (n=${lags.length})` : "no samples");
const lagMet = (lags: number[]) => lags.length > 0 && median(lags) <= GOALS.medianMs && max(lags) <= GOALS.worstMs;

export async function waitsBench(report: Report): Promise<void> {
  const timings = quick() ? QUICK_TIMINGS : PLATFORM_TIMINGS;
  const plane = await startPlane(timings);
  const bench = BENCH();
  try {
    await configureProviders(plane);
    report.add({ bench, metric: "platform timings (plane options)", value: `version start ${seconds(timings.startupMs)}, canary step ${seconds(timings.rolloutStepMs)} (7 steps 0→100 = ${seconds(7 * timings.rolloutStepMs)}), job cluster start ${seconds(timings.jobStartupMs)}` });

    // One service and one job at a time (plus one official `service wait` alongside), a few runs.
    const singleService: number[] = [];
    const singleJob: number[] = [];
    const singleCli: number[] = [];
    const singleRates: number[] = [];
    const singlePolls: number[] = [];
    const singleCliRequests: number[] = [];
    let singleFailed = 0;
    for (let run = 0; run < SINGLE_RUNS; run++) {
      const figures = await servicesPhase(plane, `one${run}`, 1, 1, 1);
      singleService.push(...figures.lags);
      singleJob.push(...figures.jobLags);
      singleCli.push(...figures.cliLags);
      singleRates.push(figures.perMinute);
      singlePolls.push(figures.pollsPerResource);
      singleCliRequests.push(figures.cliRequestsPerService);
      singleFailed += figures.failed + figures.jobFailed;
    }
    report.add({ bench, metric: `1 service: RUNNING → create returns, median / worst (${SINGLE_RUNS} runs)`, value: lagText(singleService), goal: "≤ 1 s / ≤ 2 s", met: lagMet(singleService) });
    report.add({ bench, metric: `1 job (alongside): SUCCESS → create returns, median / worst`, value: lagText(singleJob) });
    report.add({ bench, metric: "official `anyscale service wait` alongside: RUNNING → returns, median / worst", value: lagText(singleCli) });
    report.add({ bench, metric: "1 service + 1 job waiting: whole-process requests/min, median of runs", value: median(singleRates).toFixed(1) });
    report.add({ bench, metric: "status reads per service (provider) vs requests per `service wait` (CLI)", value: `${median(singlePolls).toFixed(1)} vs ${median(singleCliRequests).toFixed(1)}` });

    // Twenty services at once, five official waits alongside.
    const many = await servicesPhase(plane, "many", MANY, CLI_WAITS_WITH_MANY, 0);
    const perSecond = many.perMinute / 60;
    report.add({ bench, metric: `${MANY} services at once: RUNNING → create returns, median / worst`, value: lagText(many.lags), goal: "≤ 1 s / ≤ 2 s", met: lagMet(many.lags) && many.failed === 0 });
    report.add({ bench, metric: `${MANY} services waiting: whole-process requests/min`, value: `${many.perMinute.toFixed(1)} (${perSecond.toFixed(2)}/s)`, goal: "≤ 60 (1/s)", met: perSecond <= GOALS.perSecondWith20 });
    report.add({ bench, metric: `  those requests`, value: many.window });
    report.add({
      bench,
      metric: `status reads per service while ${MANY} wait (provider) vs requests per \`service wait\` (CLI, ${CLI_WAITS_WITH_MANY} alongside)`,
      value: `${many.pollsPerResource.toFixed(2)} vs ${many.cliRequestsPerService.toFixed(1)}`,
      goal: "fewer",
      met: many.pollsPerResource < many.cliRequestsPerService,
    });
    report.add({ bench, metric: `official \`service wait\` (${CLI_WAITS_WITH_MANY} alongside): RUNNING → returns, median / worst`, value: lagText(many.cliLags) });

    const jobs = await jobsPhase(plane, "many", MANY);
    report.add({ bench, metric: `${MANY} jobs at once: SUCCESS → create returns, median / worst`, value: lagText(jobs.lags), goal: "≤ 1 s / ≤ 2 s", met: lagMet(jobs.lags) && jobs.failed === 0 });
    report.add({ bench, metric: `${MANY} jobs waiting: whole-process requests/min; status reads per job`, value: `${jobs.perMinute.toFixed(1)}; ${jobs.pollsPerResource.toFixed(2)}` });
    report.add({ bench, metric: `  those requests`, value: jobs.window });

    await faultsPhase(plane, report, bench, timings);
  } finally {
    await plane.dispose();
  }
}

/** 20 services + 20 jobs under 20% faults, the plane stopped for a minute mid-wait, then one 429 with Retry-After 5 s. */
async function faultsPhase(plane: BenchPlane, report: Report, bench: string, timings: { startupMs: number }): Promise<void> {
  await clearLog(plane);
  const stormFaults = { rate: 0.2, seed: 15, kinds: ["429", "500", "502", "503", "reset"], retryAfterS: 1 };
  await plane.api.post("/_local/faults", stormFaults);
  const names = Array.from({ length: MANY }, (_, i) => `svc-storm-${i}`);
  const jobNames = Array.from({ length: MANY }, (_, i) => `job-storm-${i}`);
  const startedAt = Date.now();
  const all = Promise.all([createServices(names), createJobs(jobNames)]);
  const outageMs = timings.startupMs;
  // Mid-wait: once every service is applied and every job submitted, the plane goes away for as long as a start takes.
  const observer = observerFor(new AnyscaleClient({ host: plane.url, token: plane.token }));
  for (;;) {
    const waiting = observer.waitingKeys();
    if ((waiting.services ?? 0) + (waiting.jobs ?? 0) >= 2 * MANY) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const writtenAfterMs = Date.now() - startedAt;
  await plane.stop();
  const stoppedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, outageMs));
  await plane.restart();
  const restartedAt = Date.now();
  // One 429 asking for 5 s, then the 20% storm again.
  await plane.api.post("/_local/faults", { kinds: ["429"], everyNth: 1, limit: 1, retryAfterS: 5 });
  for (let i = 0; i < 600; i++) {
    if ((await plane.api.get("/_local/faults")).body.injected >= 1) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await plane.api.post("/_local/faults", stormFaults);
  const [services, jobs] = await all;
  await plane.api.del("/_local/faults");

  const log = await requestLog(plane);
  const provider = log.filter(isProvider);
  const failed = [...failedOf(services), ...failedOf(jobs)];
  let duplicates = 0;
  for (const s of services.filter((c) => c.id)) {
    const versions = (await plane.api.get(`/api/v2/services-v2/${s.id}/versions`)).body.results.length;
    const named = (await plane.api.get(`/api/v2/services-v2/?name=${s.name}&count=50`)).body.results.filter((x: any) => x.name === s.name).length;
    duplicates += Math.max(0, versions - 1) + Math.max(0, named - 1);
  }
  for (const j of jobs) {
    const named = (await plane.api.get(`/api/v2/decorated_ha_jobs/?name=${j.name}&count=50&type_filter=BATCH_JOB&archive_status=ALL`)).body.results.filter((x: any) => x.name === j.name).length;
    duplicates += Math.max(0, named - 1);
  }
  const pauses = provider.filter((e) => e.status === 429 && e.at >= restartedAt);
  const first429 = pauses[0];
  // Requests already in flight when the 429 came back are logged within milliseconds of it; the pause
  // holds what is sent after it.
  const nextAfter = first429 ? provider.find((e) => e.at > first429.at + IN_FLIGHT_MS) : undefined;
  const gapMs = first429 && nextAfter ? nextAfter.at - first429.at : NaN;
  const faulted = log.filter((e) => e.status === 0 || e.status >= 429).length;
  report.add({
    bench,
    metric: `${MANY} services + ${MANY} jobs, 20% faults, plane stopped ${seconds(restartedAt - stoppedAt)} mid-wait: failed / duplicates`,
    value: `${failed.length} / ${duplicates}${failed.length ? ` (${failed[0].name}: ${failed[0].error})` : ""}`,
    goal: "0 / 0",
    met: failed.length === 0 && duplicates === 0,
  });
  report.add({ bench, metric: "faulted answers seen in that run (of all requests); all written after", value: `${faulted} of ${log.length}; ${seconds(writtenAfterMs)}` });
  report.add({
    bench,
    metric: "one 429 with Retry-After 5 s: gap to the process's next request (any resource, any path)",
    value: Number.isFinite(gapMs) ? seconds(gapMs) : "no 429 observed",
    goal: "≥ 5 s",
    met: gapMs >= 5000 - 5,
  });
  const stats = observer.stats;
  report.add({ bench, metric: "shared poller over the whole bench: rounds / failed rounds / requests", value: `${stats.rounds} / ${stats.failedRounds} / ${stats.requests}` });
}
