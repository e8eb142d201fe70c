import type { NextVersionFault, ServiceState, VersionState } from "./schema";

// The persisted shape of a service. Pure data: lifecycle.ts changes it, view.ts renders it.

export interface VersionRecord {
  id: string;
  version: string;
  createdAt: string;
  /** Configured traffic weight (the current rollout step). */
  weight: number;
  /** Where this version's weight is heading (canary_percent, 100, or 0 when being removed). */
  targetWeight: number;
  state: VersionState;
  buildId: string;
  computeConfigId: string;
  rayServeConfig: Record<string, unknown>;
  rayGcsExternalStorageConfig: Record<string, unknown> | null;
  tracingConfig: Record<string, unknown> | null;
  connectionIds: string[];
  envVars: Record<string, string> | null;
  /** Fault armed for this version when it was created (consumed from the service's next-version fault). */
  fault: NextVersionFault | null;
}

/** A timed transition in progress; `dueAt` (epoch ms) is persisted so timers resume after a restart. */
export type Phase =
  | { kind: "starting"; versionId: string; dueAt: number }
  | { kind: "unhealthy_check"; versionId: string; dueAt: number }
  | { kind: "canary_starting"; versionId: string; dueAt: number }
  | { kind: "canary_step"; versionId: string; dueAt: number }
  | { kind: "rolling_back"; versionId: string; dueAt: number; reason: string | null }
  | { kind: "updating"; versionId: string; dueAt: number; previous: InPlaceSnapshot; /** When the update began (set once the runtime makes it wait). */ since?: number }
  | { kind: "terminating"; dueAt: number };

/** What an in-place update replaced, so a failed update can be reverted. */
export interface InPlaceSnapshot {
  version: string;
  rayServeConfig: Record<string, unknown>;
  envVars: Record<string, string> | null;
}

export interface ServiceEvent {
  id: string;
  createdAt: string;
  eventType: string;
  currentState: ServiceState;
  goalState: "RUNNING" | "TERMINATED";
  level: "INFO" | "WARNING" | "ERROR";
  message: string;
  origin: "SERVICE" | "SERVICE_VERSION";
  versionId: string | null;
  versionName: string | null;
}

export interface ServiceRecord {
  id: string;
  name: string;
  description: string | null;
  projectId: string;
  cloudId: string;
  creatorId: string;
  createdAt: string;
  endedAt: string | null;
  lastDeployedAt: string;
  archivedAt: string | null;
  hostname: string;
  authToken: string | null;
  secondaryAuthToken: string | null;
  goalState: "RUNNING" | "TERMINATED";
  currentState: ServiceState;
  errorMessage: string | null;
  autoRolloutEnabled: boolean;
  autoCompleteRollout: boolean;
  maxSurgePercent: number | null;
  /** Service-level config as last applied (access, protocols, env_vars, ...). */
  config: Record<string, unknown>;
  primaryVersionId: string;
  canaryVersionId: string | null;
  /** Every version ever created, oldest first (the /versions endpoint pages through these). */
  versions: VersionRecord[];
  phase: Phase | null;
  events: ServiceEvent[];
  /** Monotonic counter for event ids (events themselves are trimmed). */
  eventSeq?: number;
}

export const SERVICES = "services";
export const SERVICE_FAULTS = "service_faults";
export const MAX_EVENTS = 200;

export function versionById(service: ServiceRecord, id: string | null): VersionRecord | undefined {
  return id === null ? undefined : service.versions.find((v) => v.id === id);
}

export function primaryOf(service: ServiceRecord): VersionRecord {
  const primary = versionById(service, service.primaryVersionId);
  if (!primary) throw new Error(`service ${service.id} has no primary version record`);
  return primary;
}

export function canaryOf(service: ServiceRecord): VersionRecord | undefined {
  return versionById(service, service.canaryVersionId);
}
