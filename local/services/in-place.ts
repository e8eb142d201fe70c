import { LocalApiError } from "../types";
import { primaryOf, type ServiceRecord } from "./model";
import { iso, pushEvent, type LifecycleContext } from "./record-ops";
import type { ApplyServiceRequest, NextVersionFault } from "./schema";
import { applyServiceLevelFields } from "./apply-request";
import type { ApplyOutcome } from "./lifecycle";

// An IN_PLACE apply: what the API refuses to change without a new version, and the update of the
// primary version's config in place (the previous config is kept so a failed update can return to it).

export function inPlaceUpdate(service: ServiceRecord, request: ApplyServiceRequest, fault: NextVersionFault | null, ctx: LifecycleContext): ApplyOutcome {
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
