import * as fs from "node:fs";
import { runAnyscaleCli } from "../test/helpers/anyscale-cli";
import { scratchDir, serviceConfig, SERVICE_APP_DIR, writeConfig } from "../test/helpers/cli-fixtures";
import { anyscaleProgram } from "./lib/programs";
import type { Report } from "./lib/report";
import { max, median, ratio, seconds, timed } from "./lib/stats";
import { benchProject, clearRequestLog, REALISTIC_TIMINGS, requestLog, startBenchPlane, type LoggedRequest } from "./lib/stacks";

// `pulumi up` creating 20 Services on a plane where a version takes 1.5 s to start:
// - do the waits overlap? (20 services' wait span vs one service's; goal <= 1.5x)
// - requests per service (goal: deploy + a few polls, no more than the official clients make)
// - the same workload through the official `anyscale` CLI, as a sequential script: wall-time ratio.

const SERVICES = 20;
const GOAL_OVERLAP = 1.5;

interface ServiceTraffic {
  applyAt: number;
  lastPollAt: number;
  requests: number;
}

type AttributedRequest = LoggedRequest & { serviceName?: string };

/** Requests that concern one service (its apply, or its id in the path, or its name in the query), per service name. */
function trafficByService(log: AttributedRequest[]): Map<string, ServiceTraffic> {
  const traffic = new Map<string, ServiceTraffic>();
  for (const entry of log) {
    const at = Date.parse(entry.ts);
    const isApply = entry.method === "PUT" && entry.path === "/api/v2/services-v2/apply";
    const queryName = (entry.query as any)?.name;
    const name: string | undefined = (isApply ? entry.body?.name : undefined) ?? entry.serviceName ?? (typeof queryName === "string" ? queryName : undefined);
    if (!name) continue;
    if (isApply && !traffic.has(name)) traffic.set(name, { applyAt: at, lastPollAt: at, requests: 0 });
    const t = traffic.get(name);
    if (!t) continue;
    t.requests += 1;
    t.lastPollAt = Math.max(t.lastPollAt, at);
  }
  return traffic;
}

/** Response bodies are not logged, so ids are mapped back to names through the API. */
async function withIds(plane: { url: string; token: string }, log: LoggedRequest[], names: string[]): Promise<AttributedRequest[]> {
  const { api } = await import("../test/helpers/local-plane");
  const ids = new Map<string, string>();
  for (const name of names) {
    const found = (await api(plane).get(`/api/v2/services-v2/?name=${encodeURIComponent(name)}&count=50`)).body.results ?? [];
    const match = found.find((s: any) => s.name === name);
    if (match) ids.set(match.id, name);
  }
  return log.map((entry) => {
    const id = /\/services-v2\/([^/?]+)/.exec(entry.path)?.[1] ?? /\/ext\/v0\/services\/([^/?]+)/.exec(entry.path)?.[1];
    return id && ids.has(id) ? { ...entry, serviceName: ids.get(id) } : entry;
  });
}

/** The requests not about one service, by endpoint (ids folded), most frequent first. */
function topSharedLookups(log: AttributedRequest[]): string {
  const counts = new Map<string, number>();
  for (const entry of log) {
    if (entry.serviceName || (entry.method === "PUT" && entry.path === "/api/v2/services-v2/apply") || typeof (entry.query as any)?.name === "string") continue;
    const endpoint = `${entry.method} ${entry.path.replace(/\/[a-z0-9]+_[a-z0-9]{16,}/g, "/{id}")}`;
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([endpoint, n]) => `${endpoint} x${n}`).join("; ");
}

/** How long ago the service named `name` reached RUNNING (its RUNNING event). */
async function runningToNowMs(plane: { url: string; token: string }, name: string): Promise<number> {
  const now = Date.now();
  const { api } = await import("../test/helpers/local-plane");
  const found = ((await api(plane).get(`/api/v2/services-v2/?name=${encodeURIComponent(name)}&count=50`)).body.results ?? []).find((s: any) => s.name === name);
  const events = (await api(plane).get(`/api/v2/services-v2/${found.id}/events?count=50`)).body.results as any[];
  const running = events.find((e) => e.event_type === "RUNNING");
  return now - Date.parse(running.created_at);
}

function summarize(traffic: Map<string, ServiceTraffic>): { spanMs: number; requestsPerService: number; maxRequests: number } {
  const all = [...traffic.values()];
  const spanMs = max(all.map((t) => t.lastPollAt)) - Math.min(...all.map((t) => t.applyAt));
  const requestsPerService = all.reduce((n, t) => n + t.requests, 0) / all.length;
  return { spanMs, requestsPerService, maxRequests: max(all.map((t) => t.requests)) };
}

export async function deployWaitBench(report: Report): Promise<void> {
  const plane = await startBenchPlane(REALISTIC_TIMINGS);
  try {
    // One service, then twenty, with the same program shape.
    const single = await benchProject("deploy-1", anyscaleProgram("d1", { services: 1, jobs: 0 }, { workingDir: SERVICE_APP_DIR }), plane);
    await clearRequestLog(plane);
    const singleUp = await timed(() => single.up());
    const singleNames = ["d1-svc-0"];
    const singleTraffic = summarize(trafficByService(await withIds(plane, await requestLog(plane), singleNames)));

    const twenty = await benchProject("deploy-20", anyscaleProgram("d20", { services: SERVICES, jobs: 0 }, { workingDir: SERVICE_APP_DIR }), plane);
    await clearRequestLog(plane);
    const twentyUp = await timed(() => twenty.up());
    const twentyLog = await requestLog(plane);
    const twentyNames = Array.from({ length: SERVICES }, (_, i) => `d20-svc-${i}`);
    const twentyTraffic = summarize(trafficByService(await withIds(plane, twentyLog, twentyNames)));

    // The engine runs at most --parallel resource operations at once (default 4 x CPU cores), so the
    // provider's own overlap is measured with enough engine parallelism for all 20.
    const wide = await benchProject("deploy-20-wide", anyscaleProgram("d20w", { services: SERVICES, jobs: 0 }, { workingDir: SERVICE_APP_DIR }), plane);
    await clearRequestLog(plane);
    const wideUp = await timed(() => wide.pulumi(["up", "--yes", "--skip-preview", "--parallel", String(SERVICES * 2), "--stack", wide.stack]));
    const wideNames = Array.from({ length: SERVICES }, (_, i) => `d20w-svc-${i}`);
    const wideTraffic = summarize(trafficByService(await withIds(plane, await requestLog(plane), wideNames)));

    report.add({ bench: "deploy 20", metric: "one service: apply -> provider's last poll", value: seconds(singleTraffic.spanMs) });
    report.add({ bench: "deploy 20", metric: "20 services: first apply -> last poll", value: seconds(twentyTraffic.spanMs) });
    const overlap = twentyTraffic.spanMs / singleTraffic.spanMs;
    report.add({ bench: "deploy 20", metric: "wait overlap, default --parallel (20-service span / 1-service span)", value: ratio(twentyTraffic.spanMs, singleTraffic.spanMs), goal: `<= ${GOAL_OVERLAP}x`, met: overlap <= GOAL_OVERLAP });
    report.add({ bench: "deploy 20", metric: `20 services, --parallel ${SERVICES * 2}: first apply -> last poll`, value: seconds(wideTraffic.spanMs) });
    const wideOverlap = wideTraffic.spanMs / singleTraffic.spanMs;
    report.add({ bench: "deploy 20", metric: `wait overlap with --parallel ${SERVICES * 2}`, value: ratio(wideTraffic.spanMs, singleTraffic.spanMs), goal: `<= ${GOAL_OVERLAP}x`, met: wideOverlap <= GOAL_OVERLAP });
    report.add({ bench: "deploy 20", metric: "pulumi up wall: 1 service / 20 (default parallel) / 20 (wide)", value: `${seconds(singleUp.ms)} / ${seconds(twentyUp.ms)} / ${seconds(wideUp.ms)}` });
    report.add({ bench: "deploy 20", metric: "requests per service (pulumi-anyscale; max)", value: `${twentyTraffic.requestsPerService.toFixed(1)} (max ${twentyTraffic.maxRequests})` });
    report.add({ bench: "deploy 20", metric: "all requests of the 20-service up / shared lookups", value: `${twentyLog.length} / ${twentyLog.length - Math.round(twentyTraffic.requestsPerService * SERVICES)}` });
    report.add({ bench: "deploy 20", metric: "most repeated shared lookups", value: topSharedLookups(await withIds(plane, twentyLog, twentyNames)) });

    // The official CLI, as users script it today: deploy, then wait, one service after the other.
    const work = scratchDir("bench-official-cli-");
    await clearRequestLog(plane);
    const officialNames: string[] = [];
    const officialLags: number[] = [];
    const official = await timed(async () => {
      for (let i = 0; i < SERVICES; i++) {
        const name = `cli-svc-${i}`;
        officialNames.push(name);
        const file = writeConfig(work, `${name}.yaml`, serviceConfig(name, { env_vars: undefined, tags: undefined }));
        const deployed = await runAnyscaleCli(plane, ["service", "deploy", "-f", file], { cwd: work, timeoutMs: 120_000 });
        if (deployed.code !== 0) throw new Error(`anyscale service deploy ${name} failed: ${deployed.stderr.slice(-300)}`);
        const waited = await runAnyscaleCli(plane, ["service", "wait", "-n", name, "--timeout-s", "120"], { cwd: work, timeoutMs: 150_000 });
        if (waited.code !== 0) throw new Error(`anyscale service wait ${name} failed: ${waited.stderr.slice(-300)}`);
        officialLags.push(await runningToNowMs(plane, name));
      }
    });
    const officialLog = await requestLog(plane);
    const officialTraffic = summarize(trafficByService(await withIds(plane, officialLog, officialNames)));
    fs.rmSync(work, { recursive: true, force: true });
    report.add({ bench: "deploy 20", metric: "official CLI, sequential deploy+wait x20: wall", value: seconds(official.ms) });
    report.add({ bench: "deploy 20", metric: "official CLI `service wait`: RUNNING -> wait returns, median (max)", value: `${seconds(median(officialLags))} (${seconds(max(officialLags))}), includes Python start-up` });
    report.add({ bench: "deploy 20", metric: "requests per service (official CLI)", value: `${officialTraffic.requestsPerService.toFixed(1)} (max ${officialTraffic.maxRequests})` });
    report.add({ bench: "deploy 20", metric: "all requests / 20: pulumi-anyscale vs official CLI", value: `${(twentyLog.length / SERVICES).toFixed(1)} vs ${(officialLog.length / SERVICES).toFixed(1)}` });
    report.add({
      bench: "deploy 20",
      metric: "requests per service: pulumi-anyscale <= official CLI",
      value: `${twentyTraffic.requestsPerService.toFixed(1)} vs ${officialTraffic.requestsPerService.toFixed(1)}`,
      goal: "<=",
      met: twentyTraffic.requestsPerService <= officialTraffic.requestsPerService,
    });
    report.add({ bench: "deploy 20", metric: "official CLI script wall / one pulumi up wall (default parallel)", value: ratio(official.ms, twentyUp.ms) });
    report.add({ bench: "deploy 20", metric: `official CLI script wall / one pulumi up wall (--parallel ${SERVICES * 2})`, value: ratio(official.ms, wideUp.ms) });

    await wide.destroy({ allowFailure: true });
    wide.remove();
    await twenty.destroy({ allowFailure: true });
    await single.destroy({ allowFailure: true });
    twenty.remove();
    single.remove();
  } finally {
    await plane.stop();
  }
}
