import { LocalApiError } from "../types";
import type { ServiceRecord, VersionRecord } from "./model";
import { iso, stableJson, stripNulls, type LifecycleContext } from "./record-ops";
import type { ApplyServiceRequest, NextVersionFault } from "./schema";

// What one apply request means for a service record, as pure functions: the version it defines, the
// service-level fields it sets, whether it names an active version's config again, and the strategies
// the single-version apply endpoint refuses.

export function newVersion(request: ApplyServiceRequest, ctx: LifecycleContext, fault: NextVersionFault | null, weight: number, targetWeight: number): VersionRecord {
  return {
    id: ctx.newId("service2_version"),
    version: request.version ?? ctx.newVersionName(),
    createdAt: iso(ctx.now),
    weight,
    targetWeight,
    state: "STARTING",
    buildId: request.build_id,
    computeConfigId: request.compute_config_id,
    rayServeConfig: request.ray_serve_config,
    rayGcsExternalStorageConfig: request.ray_gcs_external_storage_config ?? null,
    tracingConfig: request.tracing_config ?? null,
    connectionIds: request.connection_ids ?? [],
    envVars: request.config?.env_vars ?? null,
    fault,
  };
}

/** Description, service-level config and query auth token follow the latest apply. */
export function applyServiceLevelFields(service: ServiceRecord, request: ApplyServiceRequest, ctx: LifecycleContext): ServiceRecord {
  if (request.description != null) service.description = request.description;
  if (request.config != null) service.config = stripNulls(request.config);
  if (request.max_surge_percent != null) service.maxSurgePercent = request.max_surge_percent;
  if (request.auto_complete_rollout != null) service.autoCompleteRollout = request.auto_complete_rollout;
  // Bearer auth is on unless the config turns it off (the SDK default is true).
  const access = (service.config.access ?? {}) as { use_bearer_token?: boolean | null };
  const useBearer = access.use_bearer_token ?? true;
  if (useBearer && !service.authToken) service.authToken = ctx.newAuthToken();
  if (!useBearer) {
    service.authToken = null;
    service.secondaryAuthToken = null;
  }
  return service;
}

/** Same version-defining config as `canary` (or any active version): a re-apply only moves its traffic target. */
export function sameVersionConfig(canary: VersionRecord, request: ApplyServiceRequest): boolean {
  if (request.version != null && request.version !== canary.version) return false;
  const envVars = request.config == null ? canary.envVars : (request.config.env_vars ?? null);
  return (
    stableJson(request.ray_serve_config) === stableJson(canary.rayServeConfig) &&
    request.build_id === canary.buildId &&
    request.compute_config_id === canary.computeConfigId &&
    stableJson(request.ray_gcs_external_storage_config ?? null) === stableJson(canary.rayGcsExternalStorageConfig) &&
    stableJson(request.tracing_config ?? null) === stableJson(canary.tracingConfig) &&
    stableJson(envVars) === stableJson(canary.envVars)
  );
}

export function rejectMultiVersion(strategy: string): void {
  if (strategy === "MULTI_VERSION") {
    throw new LocalApiError(400, "rollout_strategy MULTI_VERSION is not accepted by /api/v2/services-v2/apply; use /api/v2/services-v2/apply_multi_version.");
  }
}
