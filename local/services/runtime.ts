import type { RouteContext, RouteResult } from "../types";
import type { ServiceRecord, VersionRecord } from "./model";

// What runs a service version's applications. The echo runtime runs nothing: a version is ready once
// its startup time has passed and the query URL answers with a JSON echo. The Ray runtime
// (local/ray/) runs the applications under Ray Serve, says when they are ready or why they failed,
// and forwards query-URL traffic to them. The state machine stays pure: it reads readiness from a
// snapshot the runtime keeps.

/**
 * Whether a version's applications are up, as the runtime last saw them: failed = they could not be
 * deployed; unhealthy = deployed, but the runtime reports them unhealthy now (a starting version
 * may still recover; a canary taking traffic is rolled back).
 */
export type Readiness = { kind: "ready" } | { kind: "pending" } | { kind: "failed"; message: string } | { kind: "unhealthy"; message: string };

export interface ServiceRuntime {
  readonly name: "echo" | "ray";
  /** How often a starting version is looked at again while the runtime says it is pending. */
  readonly pollMs: number;
  /** Longest a version may stay pending before it counts as failed to start. */
  readonly startTimeoutMs: number;
  readiness(service: ServiceRecord, version: VersionRecord): Readiness;
  /**
   * Called after every saved change: the runtime brings what runs in line with the records. Absent
   * when nothing runs (echo), so a save costs no read of every record (hundreds of services).
   */
  reconcile?(services: readonly ServiceRecord[]): void;
  /** Answers a query-URL request for one application of a serving version; undefined = echo it. */
  forward?(ctx: RouteContext, service: ServiceRecord, version: VersionRecord, app: { name?: string; route_prefix?: string | null }, path: string): Promise<RouteResult>;
}

export const echoRuntime: ServiceRuntime = {
  name: "echo",
  pollMs: 0,
  startTimeoutMs: 0,
  readiness: () => ({ kind: "ready" }),
};
