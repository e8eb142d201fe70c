import { LocalApiError } from "../types";
import { canaryOf, primaryOf, type ServiceRecord, type VersionRecord } from "./model";
import { activeVersions, isServing, iso, pushEvent, retireVersion, setWeights, stripNulls, stableJson, type LifecycleContext } from "./record-ops";
import type { ApplyServiceRequest, NextVersionFault } from "./schema";
import { settleRollback } from "./transitions";

// What the API calls do to a service, as pure functions over a ServiceRecord: no clock, no I/O, no
// randomness of their own (the caller passes `now` and id/token factories). Timed transitions that
// follow are in transitions.ts; timers (engine.ts) only decide *when* to run them.

export interface NewServiceFacts {
  projectId: string;
  cloudId: string;
  creatorId: string;
  hostname: string;
}

export interface ApplyOutcome {
  service: ServiceRecord;
  /** True when the armed next-version fault was attached to the version this apply created. */
  faultConsumed: boolean;
}

export function createService(request: ApplyServiceRequest, facts: NewServiceFacts, fault: NextVersionFault | null, ctx: LifecycleContext): ApplyOutcome {
  const strategy = request.rollout_strategy ?? "ROLLOUT";
  if (strategy === "IN_PLACE") {
    throw new LocalApiError(400, `IN_PLACE updates can only be used to update running services, but no service was found with name '${request.name}'.`);
  }
  rejectMultiVersion(strategy);
  const id = ctx.newId("service2");
  const version = newVersion(request, ctx, fault, 100, 100);
  let service: ServiceRecord = {
    id,
    name: request.name,
    description: request.description ?? null,
    projectId: facts.projectId,
    cloudId: facts.cloudId,
    creatorId: facts.creatorId,
    createdAt: iso(ctx.now),
    endedAt: null,
    lastDeployedAt: iso(ctx.now),
    archivedAt: null,
    hostname: facts.hostname,
    authToken: null,
    secondaryAuthToken: null,
    goalState: "RUNNING",
    currentState: "STARTING",
    errorMessage: null,
    // canary_percent is ignored when creating a service, so a new service always rolls out automatically.
    autoRolloutEnabled: true,
    autoCompleteRollout: request.auto_complete_rollout ?? true,
    maxSurgePercent: request.max_surge_percent ?? null,
    config: {},
    primaryVersionId: version.id,
    canaryVersionId: null,
    versions: [version],
    phase: { kind: "starting", versionId: version.id, dueAt: ctx.now + ctx.timings.startupMs },
    events: [],
  };
  service = applyServiceLevelFields(service, request, ctx);
  pushEvent(service, ctx.now, "CREATE_INITIATED", "INFO", `Service '${service.name}' created; starting version '${version.version}'.`, version);
  return { service, faultConsumed: fault !== null };
}

export function applyToService(existing: ServiceRecord, request: ApplyServiceRequest, fault: NextVersionFault | null, ctx: LifecycleContext): ApplyOutcome {
  const strategy = request.rollout_strategy ?? "ROLLOUT";
  rejectMultiVersion(strategy);
  let service = settleRollback(structuredClone(existing), ctx);
  if (strategy === "IN_PLACE") return inPlaceUpdate(service, request, fault, ctx);

  if (service.currentState === "TERMINATING") {
    throw new LocalApiError(400, `Service '${service.name}' is terminating; wait until it is TERMINATED to deploy it again.`);
  }
  service = applyServiceLevelFields(service, request, ctx);
  service.lastDeployedAt = iso(ctx.now);
  service.errorMessage = null;

  if (service.currentState === "TERMINATED") return restart(service, request, fault, ctx);

  const canary = canaryOf(service);
  if (canary && sameVersionConfig(canary, request)) {
    moveCanary(service, canary, request.canary_percent ?? 100, ctx);
    service.autoRolloutEnabled = request.canary_percent == null;
    return { service, faultConsumed: false };
  }

  const primary = primaryOf(service);
  // Version names are unique among the active versions: re-applying the primary's own name and config
  // changes nothing, reusing an active name for a different config is refused.
  if (request.version != null && request.version === primary.version && !canary && primary.state === "RUNNING" && sameVersionConfig(primary, request)) {
    service.errorMessage = existing.errorMessage;
    service.lastDeployedAt = existing.lastDeployedAt;
    return { service, faultConsumed: false };
  }
  for (const active of [primary, canary]) {
    if (active && request.version != null && request.version === active.version && !sameVersionConfig(active, request)) {
      throw new LocalApiError(400, `version '${request.version}' is already the name of an active version of service '${service.name}' with a different configuration; choose a new version name.`);
    }
  }
  if (!isServing(primary.state)) {
    // Nothing healthy to shift traffic away from: the new version simply replaces the primary.
    return replacePrimary(service, request, fault, ctx);
  }
  if (service.phase?.kind === "updating") {
    primary.state = "RUNNING";
    service.phase = null;
  }
  if (canary) {
    retireVersion(canary);
    pushEvent(service, ctx.now, "ROLLOUT_UPDATED", "INFO", `Canary version '${canary.version}' replaced by a new rollout.`, canary);
  }
  const target = request.canary_percent ?? 100;
  const next = newVersion(request, ctx, fault, 0, target);
  service.versions.push(next);
  service.canaryVersionId = next.id;
  primary.weight = 100;
  primary.targetWeight = 100 - target;
  service.autoRolloutEnabled = request.canary_percent == null;
  service.currentState = "ROLLING_OUT";
  service.phase = { kind: "canary_starting", versionId: next.id, dueAt: ctx.now + ctx.timings.startupMs };
  pushEvent(service, ctx.now, "ROLLOUT_INITIATED", "INFO", `Rolling out version '${next.version}' (target ${target}%).`, next);
  return { service, faultConsumed: fault !== null };
}

export function rollbackService(existing: ServiceRecord, maxSurgePercent: number | null, ctx: LifecycleContext): ServiceRecord {
  const service = structuredClone(existing);
  const canary = canaryOf(service);
  if (!canary || service.phase?.kind === "rolling_back") {
    throw new LocalApiError(400, `Service '${service.name}' has no rollout in progress to roll back.`);
  }
  if (maxSurgePercent !== null) service.maxSurgePercent = maxSurgePercent;
  canary.targetWeight = 0;
  canary.state = "TERMINATING";
  primaryOf(service).targetWeight = 100;
  service.currentState = "ROLLING_BACK";
  service.phase = { kind: "rolling_back", versionId: canary.id, dueAt: ctx.now + ctx.timings.rolloutStepMs, reason: null };
  pushEvent(service, ctx.now, "ROLLBACK_INITIATED", "INFO", `Rolling back canary version '${canary.version}'.`, canary);
  return service;
}

export function terminateService(existing: ServiceRecord, ctx: LifecycleContext): ServiceRecord {
  const service = structuredClone(existing);
  if (service.currentState === "TERMINATED" || service.currentState === "TERMINATING") return service;
  service.goalState = "TERMINATED";
  service.currentState = "TERMINATING";
  for (const v of activeVersions(service)) {
    v.state = "TERMINATING";
    v.targetWeight = 0;
  }
  service.phase = { kind: "terminating", dueAt: ctx.now + Math.max(1, Math.round(ctx.timings.startupMs / 2)) };
  pushEvent(service, ctx.now, "TERMINATE_INITIATED", "INFO", `Terminating service '${service.name}'.`, null);
  return service;
}

function moveCanary(service: ServiceRecord, canary: VersionRecord, target: number, ctx: LifecycleContext): void {
  canary.targetWeight = target;
  primaryOf(service).targetWeight = 100 - target;
  service.currentState = "ROLLING_OUT";
  pushEvent(service, ctx.now, "ROLLOUT_UPDATED", "INFO", `Canary version '${canary.version}' target moved to ${target}%.`, canary);
  if (canary.state === "STARTING") return; // canary_starting still pending; it will step toward the new target
  if (target < canary.weight) {
    setWeights(service, canary, target);
    service.phase = null;
    return;
  }
  if (target > canary.weight || (target === 100 && service.autoCompleteRollout)) {
    service.phase = { kind: "canary_step", versionId: canary.id, dueAt: ctx.now + ctx.timings.rolloutStepMs };
  }
}

function inPlaceUpdate(service: ServiceRecord, request: ApplyServiceRequest, fault: NextVersionFault | null, ctx: LifecycleContext): ApplyOutcome {
  const reject = (detail: string): never => {
    throw new LocalApiError(400, detail);
  };
  if (request.canary_percent != null) reject("canary_percent cannot be specified when doing an IN_PLACE update.");
  if (request.max_surge_percent != null) reject("max_surge_percent cannot be specified when doing an IN_PLACE update.");
  if (service.currentState === "TERMINATING" || service.currentState === "TERMINATED") {
    reject(`IN_PLACE updates can only be used to update running services, but service '${service.name}' is ${service.currentState.toLowerCase()}.`);
  }
  if (service.canaryVersionId !== null) reject("IN_PLACE updates cannot be used while a rollout is in progress. Complete the rollout or roll back first.");
  const primary = primaryOf(service);
  if (request.build_id !== primary.buildId) reject(`IN_PLACE updates cannot change build_id (primary version uses '${primary.buildId}').`);
  if (request.compute_config_id !== primary.computeConfigId) {
    reject(`IN_PLACE updates cannot change compute_config_id (primary version uses '${primary.computeConfigId}').`);
  }
  const updated = applyServiceLevelFields(service, request, ctx);
  const version = primaryOf(updated);
  const previous = updated.phase?.kind === "updating" ? updated.phase.previous : { version: version.version, rayServeConfig: version.rayServeConfig, envVars: version.envVars };
  version.rayServeConfig = request.ray_serve_config;
  if (request.version) version.version = request.version;
  if (request.config?.env_vars !== undefined) version.envVars = request.config.env_vars ?? null;
  version.fault = fault;
  version.state = "UPDATING";
  updated.currentState = "UPDATING";
  updated.errorMessage = null;
  updated.lastDeployedAt = iso(ctx.now);
  updated.phase = { kind: "updating", versionId: version.id, dueAt: ctx.now + ctx.timings.startupMs, previous };
  pushEvent(updated, ctx.now, "UPDATE_INITIATED", "INFO", `Updating version '${version.version}' in place.`, version);
  return { service: updated, faultConsumed: fault !== null };
}

function restart(service: ServiceRecord, request: ApplyServiceRequest, fault: NextVersionFault | null, ctx: LifecycleContext): ApplyOutcome {
  // canary_percent is dropped for a TERMINATED service: a redeploy simply starts it again.
  const version = newVersion(request, ctx, fault, 100, 100);
  service.versions.push(version);
  service.primaryVersionId = version.id;
  service.canaryVersionId = null;
  service.goalState = "RUNNING";
  service.currentState = "STARTING";
  service.endedAt = null;
  service.autoRolloutEnabled = true;
  service.phase = { kind: "starting", versionId: version.id, dueAt: ctx.now + ctx.timings.startupMs };
  pushEvent(service, ctx.now, "RESTART_INITIATED", "INFO", `Restarting service '${service.name}' with version '${version.version}'.`, version);
  return { service, faultConsumed: fault !== null };
}

function replacePrimary(service: ServiceRecord, request: ApplyServiceRequest, fault: NextVersionFault | null, ctx: LifecycleContext): ApplyOutcome {
  const old = primaryOf(service);
  retireVersion(old);
  const canary = canaryOf(service);
  if (canary) retireVersion(canary);
  const version = newVersion(request, ctx, fault, 100, 100);
  service.versions.push(version);
  service.primaryVersionId = version.id;
  service.canaryVersionId = null;
  service.currentState = "STARTING";
  service.autoRolloutEnabled = true;
  service.phase = { kind: "starting", versionId: version.id, dueAt: ctx.now + ctx.timings.startupMs };
  pushEvent(service, ctx.now, "UPDATE_INITIATED", "INFO", `Replacing version '${old.version}' (not serving) with version '${version.version}'.`, version);
  return { service, faultConsumed: fault !== null };
}

function newVersion(request: ApplyServiceRequest, ctx: LifecycleContext, fault: NextVersionFault | null, weight: number, targetWeight: number): VersionRecord {
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
function applyServiceLevelFields(service: ServiceRecord, request: ApplyServiceRequest, ctx: LifecycleContext): ServiceRecord {
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
function sameVersionConfig(canary: VersionRecord, request: ApplyServiceRequest): boolean {
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

function rejectMultiVersion(strategy: string): void {
  if (strategy === "MULTI_VERSION") {
    throw new LocalApiError(400, "rollout_strategy MULTI_VERSION is not accepted by /api/v2/services-v2/apply; use /api/v2/services-v2/apply_multi_version.");
  }
}
