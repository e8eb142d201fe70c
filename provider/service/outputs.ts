// Maps the live service onto the resource's outputs (plain JSON, camelCase). The query auth token is
// the only secret and the sdk class marks it with additionalSecretOutputs.
import { canonicalJson, secretValue, toPlainJson } from "../core/dynamic-support";
import { createHash } from "node:crypto";
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import { INPUT_KEYS, type ServiceInputs } from "./schema";
import type { DeploymentRecord, ServiceComputed, VersionSummary } from "./output-schema";

export type { DeploymentRecord, ServiceComputed, VersionSummary } from "./output-schema";

/** A deploy that failed or was cut short must be converged by the next update, even with nothing edited. */
export function deploymentUnfinished(record: DeploymentRecord | undefined): boolean {
  return record?.status === "failed" || record?.status === "interrupted";
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

/** The input fields out of a stored outputs (or inputs) bag; drops __provider and computed fields. */
export function inputsFromProps(props: Record<string, unknown>): ServiceInputs {
  const out: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (props[key] !== undefined && props[key] !== null) out[key] = props[key];
  return out as unknown as ServiceInputs;
}
