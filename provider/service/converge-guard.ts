// Interrupted rollouts converge without a new version, whatever the timing. The race behind the
// `reliability-crash` failure: after a killed `up`, the next update reads the service (the old
// primary plus our canary heading to 100%), then prepares the deploy (lookups, uploads: slow under
// load) while the platform finishes that canary. Deciding on the stale read, it saw a canary, so not
// "live matches", and applied — onto a primary now running exactly that config. The apply carries no
// version name, so the platform started a second, identical version and terminated nothing useful.
// The decision must not hinge on when the canary completes: a canary that already carries the
// declared config and is heading to 100% is this rollout, and the update waits for it instead of
// applying. Pure.
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import type { PreparedDeploy } from "./deploy";
import { digestRayServeConfig } from "./outputs";

/** The live canary when it already carries the prepared config and is heading to all traffic. */
export function canaryCompletingDeclared(live: ServiceModel, prepared: PreparedDeploy): ServiceVersionModel | undefined {
  const canary = live.canary_version;
  if (!canary) return undefined;
  const heading = canary.target_weight ?? canary.weight ?? 0;
  const versionName = typeof prepared.body.version === "string" ? prepared.body.version : undefined;
  const same =
    canary.build_id === prepared.ids.buildId &&
    canary.compute_config_id === prepared.ids.computeConfigId &&
    digestRayServeConfig(canary.ray_serve_config) === digestRayServeConfig(prepared.rayServeConfig) &&
    (versionName === undefined || versionName === canary.version);
  return same && heading >= 100 ? canary : undefined;
}
