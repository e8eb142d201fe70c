// Maps the live service onto the resource's outputs (plain JSON, camelCase). The query auth token is
// the only secret and the sdk class marks it with additionalSecretOutputs.
import { canonicalJson, secretValue, toPlainJson } from "../core/dynamic-support";
import { RUNTIME_ENV_FIELDS } from "../core/runtime-env-fields";
import { createHash } from "node:crypto";
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import type { ServiceInputs } from "./schema";
import type { RolloutStatus } from "./rollout-status";

export interface VersionSummary {
  id: string;
  name: string;
  state: string;
  weight: number;
}

/** What the provider last deployed: lets read tell out-of-band changes from our own, and lets a failed deploy resume. */
export interface DeploymentRecord {
  /** interrupted: refresh found a rollout still under way that no finished `up` recorded (a killed up). */
  status: "succeeded" | "failed" | "interrupted";
  versionId?: string;
  buildId?: string;
  computeConfigId?: string;
  rayServeConfigDigest?: string;
  message?: string;
}

/** A deploy that failed or was cut short must be converged by the next update, even with nothing edited. */
export function deploymentUnfinished(record: DeploymentRecord | undefined): boolean {
  return record?.status === "failed" || record?.status === "interrupted";
}

export interface ServiceComputed {
  serviceId: string;
  state: string;
  queryUrl: string | null;
  queryAuthToken: string | null;
  hostname: string | null;
  creator: string | null;
  creatorId: string | null;
  projectId: string;
  cloudId: string | null;
  errorMessage: string | null;
  primaryVersion: VersionSummary | null;
  canaryVersion: VersionSummary | null;
  versions: VersionSummary[];
  deployment: DeploymentRecord;
  /** Where a scheduled rollout stands (schedule.ts fills it; read keeps the last one); null without a schedule. */
  rolloutStatus: RolloutStatus | null;
}

export type ServiceOutputs = ServiceInputs & ServiceComputed;

export function summarizeVersion(version: ServiceVersionModel): VersionSummary {
  return {
    id: version.id,
    name: version.version ?? version.id.slice(-8),
    state: version.current_state,
    weight: version.weight ?? 0,
  };
}

export function digestRayServeConfig(config: unknown): string {
  return createHash("sha256").update(canonicalJson(config ?? {})).digest("hex").slice(0, 16);
}

export function computedFromService(service: ServiceModel, deployment: DeploymentRecord): ServiceComputed {
  const active = [service.primary_version, service.canary_version].filter((version): version is ServiceVersionModel => !!version);
  return {
    serviceId: service.id,
    state: service.current_state,
    queryUrl: service.base_url ?? null,
    queryAuthToken: service.auth_token ?? null,
    hostname: service.hostname ?? null,
    creator: service.creator?.email ?? null,
    creatorId: service.creator_id ?? null,
    projectId: service.project_id,
    cloudId: service.cloud_id ?? null,
    errorMessage: service.error_message ?? null,
    primaryVersion: service.primary_version ? summarizeVersion(service.primary_version) : null,
    canaryVersion: service.canary_version ? summarizeVersion(service.canary_version) : null,
    versions: active.map(summarizeVersion),
    deployment,
    rolloutStatus: null,
  };
}

/**
 * Inputs echoed into outputs exactly as given (no defaults filled in): read hands them back as the
 * refreshed inputs, so a default must not appear there as drift. The planner applies defaults itself.
 */
export function storedInputs(inputs: ServiceInputs): ServiceInputs {
  return { ...inputs };
}

export function buildOutputs(inputs: ServiceInputs, service: ServiceModel, deployment: DeploymentRecord): Record<string, unknown> {
  return toPlainJson({ ...storedInputs(inputs), ...computedFromService(service, deployment) }) as Record<string, unknown>;
}

/** Outputs for an init failure: never the query token (the engine may store these before secrets are applied). */
export function failureOutputs(inputs: ServiceInputs, service: ServiceModel | undefined, deployment: DeploymentRecord, serviceId: string): Record<string, unknown> {
  if (!service) return toPlainJson({ ...storedInputs(inputs), serviceId, deployment }) as Record<string, unknown>;
  const outputs = buildOutputs(inputs, service, deployment);
  // Recorded with the failure, as a secret the engine encrypts (never plaintext in state).
  if (outputs.queryAuthToken) outputs.queryAuthToken = secretValue(outputs.queryAuthToken);
  else delete outputs.queryAuthToken;
  return outputs;
}

const INPUT_KEYS = [
  "name",
  "autoNamePrefix",
  "ownershipScope",
  "sourceHash",
  "applications",
  "imageUri",
  "containerfile",
  "registryLoginSecret",
  "rayVersion",
  "computeConfig",
  ...RUNTIME_ENV_FIELDS,
  "cloud",
  "project",
  "connections",
  "versionName",
  "queryAuthTokenEnabled",
  "httpOptions",
  "grpcOptions",
  "loggingConfig",
  "rayGcsExternalStorageConfig",
  "tracingConfig",
  "tags",
  "rollout",
  "timeouts",
  "deletionPolicy",
  "adoptExisting",
] as const;

/** The input fields out of a stored outputs (or inputs) bag; drops __provider and computed fields. */
export function inputsFromProps(props: Record<string, unknown>): ServiceInputs {
  const out: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined && props[key] !== null) out[key] = props[key];
  return out as unknown as ServiceInputs;
}
