import type { ScheduledPhase } from "../../local/services/schedule-log";
import { clearLog, endpointOf, requestLog, type BenchPlane } from "./waits";
import type { PeerTool } from "./peer-tools";
import { median } from "./stats";

// One measured run of a tool in the side-by-side bench: its wall time, the platform's own floor for
// the same phase (from the plane's schedule: GET /_local/services/schedule), the launch-to-first-write
// time and the requests it made (from the plane's request log, cleared before the run).

export type PeerPhase = "create" | "update" | "destroy";

export interface PeerRun {
  wallMs: number;
  /** The slowest service's time as the plane scheduled it: its write's arrival to its scheduled rest. */
  floorMs: number;
  firstWriteMs: number;
  requests: number;
  /** Services whose phase the schedule shows (the run's own check: every service went through it). */
  scheduled: number;
  /** Answers of 400 and above, as "METHOD path status" with their counts (a shape the plane refused). */
  refused: Record<string, number>;
  /** Requests by "METHOD path" (ids folded), for reading where each tool's requests go. */
  byPath: Record<string, number>;
}

export async function measuredRun(plane: BenchPlane, tool: PeerTool, phase: PeerPhase, parallelism: number | undefined): Promise<PeerRun> {
  await clearLog(plane);
  await plane.api.del("/_local/services/schedule");
  const { launchedAt, endedAt } = await tool.run(phase === "destroy" ? "destroy" : "apply", phase === "update" ? 1 : 0, parallelism);
  const log = await requestLog(plane);
  const schedule = (await plane.api.get("/_local/services/schedule")).body as ScheduledPhase[];
  const chains = new Map<string, ScheduledPhase[]>();
  for (const entry of schedule) if (entry.from >= launchedAt) chains.set(entry.serviceId, [...(chains.get(entry.serviceId) ?? []), entry]);
  let floorMs = 0;
  let scheduled = 0;
  for (const chain of chains.values()) {
    const rest = [...chain].reverse().find((e) => e.kind === "settled");
    if (!rest) continue;
    scheduled++;
    floorMs = Math.max(floorMs, rest.from - Math.min(...chain.map((e) => e.from)));
  }
  const refused: Record<string, number> = {};
  const byPath: Record<string, number> = {};
  for (const e of log) {
    const key = endpointOf(e);
    byPath[key] = (byPath[key] ?? 0) + 1;
    if (e.status >= 400 || e.status === 0) refused[`${key} ${e.status}`] = (refused[`${key} ${e.status}`] ?? 0) + 1;
  }
  const write = log.find((e) => e.method !== "GET" && e.path.startsWith("/api/v2/services-v2"));
  return { wallMs: endedAt - launchedAt, floorMs, firstWriteMs: write ? write.at - launchedAt : NaN, requests: log.length, scheduled, refused, byPath };
}

/** "median (min–max)" of a figure over rounds, in seconds, or as a plain number with `digits`. */
export function spread(values: number[], format: (v: number) => string): string {
  if (values.length === 1) return format(values[0]);
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}
