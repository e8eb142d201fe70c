import { MAX_EVENTS, canaryOf, primaryOf, type ServiceEvent, type ServiceRecord, type VersionRecord } from "./model";
import type { Readiness } from "./runtime";
import type { ServiceState } from "./schema";

// Small shared operations on a ServiceRecord, and the context the pure state machine runs with.

/** The platform's canary weight progression (AWS): 0 → 5 → 10 → 20 → 30 → 50 → 75 → 100. */
export const CANARY_STEPS = [5, 10, 20, 30, 50, 75, 100] as const;

export interface Timings {
  startupMs: number;
  rolloutStepMs: number;
}

export interface LifecycleContext {
  now: number;
  timings: Timings;
  newId(prefix: string): string;
  /** A short random version name, as the platform picks when none is given. */
  newVersionName(): string;
  newAuthToken(): string;
  /**
   * Whether a version's applications are up (the Ray runtime asks Serve); absent = ready once its
   * startup time has passed (the echo runtime). `pollMs` paces the looks while it is pending, and a
   * version pending longer than `startTimeoutMs` after its creation has failed to start.
   */
  readiness?: { of(service: ServiceRecord, version: VersionRecord): Readiness; pollMs: number; startTimeoutMs: number };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Active versions: the primary and, during a rollout, the canary. */
export function activeVersions(service: ServiceRecord): VersionRecord[] {
  return [primaryOf(service), canaryOf(service)].filter((v): v is VersionRecord => v !== undefined);
}

export function isServing(state: VersionRecord["state"]): boolean {
  return state === "RUNNING" || state === "UPDATING" || state === "UNHEALTHY";
}

export function setWeights(service: ServiceRecord, canary: VersionRecord, canaryWeight: number): void {
  canary.weight = canaryWeight;
  primaryOf(service).weight = 100 - canaryWeight;
}

export function retireVersion(version: VersionRecord): void {
  version.state = "TERMINATED";
  version.weight = 0;
  version.targetWeight = 0;
}

export function setState(service: ServiceRecord, state: ServiceState): void {
  service.currentState = state;
}

export function pushEvent(service: ServiceRecord, at: number, eventType: string, level: ServiceEvent["level"], message: string, version: VersionRecord | null): void {
  service.events.push({
    id: `sevt_${service.id.slice(-8)}_${(service.eventSeq = (service.eventSeq ?? 0) + 1)}`,
    createdAt: iso(at),
    eventType,
    currentState: service.currentState,
    goalState: service.goalState,
    level,
    message,
    origin: version ? "SERVICE_VERSION" : "SERVICE",
    versionId: version?.id ?? null,
    versionName: version?.version ?? null,
  });
  if (service.events.length > MAX_EVENTS) service.events.splice(0, service.events.length - MAX_EVENTS);
}

export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

export function stripNulls(value: Record<string, unknown>): Record<string, unknown> {
  return sortKeys(value) as Record<string, unknown>;
}
