// What the scale benchmark measures of one phase (create all, roll every service out, destroy all)
// from its outcomes and the plane's request log: detection lag per object, requests per object, and
// the whole provider process's read rate (mean and busiest second), with the shared poller's list
// pages apart, since they are what its bound covers.
import { max, median } from "./stats";
import { endpointOf, PROVIDER_CLIENT, type BenchPlane, type LogEntry } from "./waits";

export interface Outcome {
  kind: "service" | "job";
  id?: string;
  outs?: Record<string, any>;
  startedAt: number;
  returnedAt: number;
  error?: string;
}

export interface PhaseFigures {
  objects: number;
  wallMs: number;
  failed: number;
  firstError?: string;
  /** Per kind: detection lag of each object (its call returned − the platform's last change before). */
  lags: Partial<Record<Outcome["kind"], number[]>>;
  requests: number;
  reads: { mean: number; busiest: number };
  /** The shared poller's list pages (its by-id reads, for keys no page shows, are in `endpoints`). */
  pollReads: { mean: number; busiest: number };
  /** Requests per endpoint (ids replaced by :id), most first. */
  endpoints: Array<[string, number]>;
}

/** When the platform last changed this object before its call returned (its last event, or the job's transition). */
async function platformChangedAt(plane: BenchPlane, outcome: Outcome): Promise<number> {
  if (outcome.kind === "job") return Date.parse((await plane.api.get(`/api/v2/decorated_ha_jobs/${outcome.id}`)).body.result.state.state_transitioned_at);
  const events = (await plane.api.get(`/api/v2/services-v2/${outcome.id}/events?count=50`)).body.results as Array<{ created_at: string }>;
  return Math.max(...events.map((e) => Date.parse(e.created_at)).filter((at) => at <= outcome.returnedAt));
}

const isRead = (e: LogEntry) => e.method === "GET" || /\/(search|list)\/?$/.test(e.path) || e.path === "/api/v2/job_queues/";
/** The shared poller's list pages (watch.ts pollPage): no name filter, unlike a lookup by name. */
const isPollerPage = (e: LogEntry) =>
  e.query.name === undefined && ((e.method === "GET" && /^\/api\/v2\/(services-v2|decorated_ha_jobs)\/?$/.test(e.path)) || (e.method === "POST" && e.path === "/api/v2/job_queues/"));

/** Mean per second over [from, to] and the busiest whole second. */
function rate(entries: LogEntry[], from: number, to: number): { mean: number; busiest: number } {
  const inWindow = entries.filter((e) => e.at >= from && e.at <= to);
  const perSecond = new Map<number, number>();
  for (const e of inWindow) perSecond.set(Math.floor(e.at / 1000), (perSecond.get(Math.floor(e.at / 1000)) ?? 0) + 1);
  return { mean: to > from ? (inWindow.length * 1000) / (to - from) : NaN, busiest: Math.max(0, ...perSecond.values()) };
}

export async function measurePhase(plane: BenchPlane, outcomes: Outcome[], log: LogEntry[], withLags: boolean): Promise<PhaseFigures> {
  const ours = log.filter((e) => e.client === PROVIDER_CLIENT);
  const from = Math.min(...outcomes.map((o) => o.startedAt));
  const to = Math.max(...outcomes.map((o) => o.returnedAt));
  const failed = outcomes.filter((o) => o.error);
  const lags: PhaseFigures["lags"] = {};
  if (withLags) {
    for (const o of outcomes) if (o.id && !o.error) (lags[o.kind] ??= []).push(o.returnedAt - (await platformChangedAt(plane, o)));
  }
  const counts = new Map<string, number>();
  for (const e of ours) counts.set(endpointOf(e), (counts.get(endpointOf(e)) ?? 0) + 1);
  return {
    objects: outcomes.length,
    wallMs: to - from,
    failed: failed.length,
    firstError: failed[0]?.error,
    lags,
    requests: ours.length,
    reads: rate(ours.filter(isRead), from, to),
    pollReads: rate(ours.filter(isPollerPage), from, to),
    endpoints: [...counts].sort((a, b) => b[1] - a[1]),
  };
}

export function lagSummary(lags: number[] | undefined): { median: number; worst: number } | undefined {
  return lags?.length ? { median: median(lags), worst: max(lags) } : undefined;
}
