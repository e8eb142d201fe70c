import { LocalApiError } from "../types";
import { canaryOf, primaryOf, type ServiceRecord, type VersionRecord } from "./model";
import { activeVersions, isServing, iso, pushEvent, retireVersion, setWeights, type LifecycleContext } from "./record-ops";
import type { ApplyServiceRequest, NextVersionFault } from "./schema";
import { settleRollback } from "./transitions";
import { applyServiceLevelFields, newVersion, rejectMultiVersion, sameVersionConfig } from "./apply-request";
import { inPlaceUpdate } from "./in-place";

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
