// After an apply failed ambiguously (5xx, reset, timeout) the request may or may not have taken
// effect, and a blind re-send is unsafe: an apply that did take effect would start a second version.
// So the provider looks at the live service and decides from what it sees. Pure: the observations
// come in, a verdict goes out (apply-once.ts does the I/O).
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import { digestRayServeConfig } from "./outputs";

/** What the apply asked for, in the terms the live service shows it. */
export interface ApplyIntent {
  /** create: new or TERMINATED service; rollout: a new version; canaryWeight: move the held canary; inPlace: same version, new Serve config. */
  kind: "create" | "rollout" | "canaryWeight" | "inPlace";
  /** `version` of the request when one was sent: the platform keeps it as the version's name. */
  versionName?: string;
  buildId: string;
  computeConfigId: string;
  rayServeConfigDigest: string;
  /** canary_percent sent (undefined: complete the rollout). */
  canaryPercent?: number;
}

export type ApplyVerdict =
  /** The apply never took effect: sending it again is safe. */
  | { action: "resend"; reason: string }
  /** The apply took effect: carry on as if it had answered with this service. */
  | { action: "continue"; service: ServiceModel; reason: string }
  /** Something else happened (the service vanished, or changed in a way this apply does not explain): report the original error. */
  | { action: "give-up"; reason: string };

export function intentFromBody(kind: ApplyIntent["kind"], body: Record<string, unknown>, rayServeConfig: Record<string, unknown>): ApplyIntent {
  return {
    kind,
    versionName: typeof body.version === "string" ? body.version : undefined,
    buildId: String(body.build_id ?? ""),
    computeConfigId: String(body.compute_config_id ?? ""),
    rayServeConfigDigest: digestRayServeConfig(rayServeConfig),
    canaryPercent: typeof body.canary_percent === "number" ? body.canary_percent : undefined,
  };
}

/** A version carrying what was applied: its name when we set one, else build + compute config + Serve config. */
export function versionMatches(version: ServiceVersionModel | null | undefined, intent: ApplyIntent): boolean {
  if (!version) return false;
  if (intent.versionName !== undefined && version.version !== intent.versionName) return false;
  return (
    version.build_id === intent.buildId &&
    version.compute_config_id === intent.computeConfigId &&
    digestRayServeConfig(version.ray_serve_config) === intent.rayServeConfigDigest
  );
}

function activeVersions(service: ServiceModel | undefined): ServiceVersionModel[] {
  return [service?.canary_version, service?.primary_version].filter((version): version is ServiceVersionModel => !!version);
}

/** Where a version's traffic is heading (the platform reports target_weight; older answers only weight). */
function targetWeight(version: ServiceVersionModel | null | undefined): number | undefined {
  if (!version) return undefined;
  return version.target_weight ?? version.weight ?? undefined;
}

/**
 * before: the service as read before the apply (undefined: none of that name); after: as read now.
 * The verdict never says "resend" when the live service shows any version the apply could have made.
 */
export function decideAfterAmbiguousApply(intent: ApplyIntent, before: ServiceModel | undefined, after: ServiceModel | undefined): ApplyVerdict {
  const knownIds = new Set(activeVersions(before).map((version) => version.id));
  const fresh = activeVersions(after).find((version) => !knownIds.has(version.id) && versionMatches(version, intent));

  if (intent.kind === "create") {
    if (!after) return { action: "resend", reason: "no service of that name exists: the apply never took effect" };
    if (before && after.id !== before.id) {
      // A TERMINATED service is never replaced by a new id on apply; a different one is someone else's.
      return { action: "give-up", reason: `another service (${after.id}) of that name appeared` };
    }
    if (fresh) return { action: "continue", service: after, reason: `version ${fresh.id} carries the applied config` };
    const unchanged = before !== undefined && after.current_state === "TERMINATED" && after.primary_version?.id === before.primary_version?.id;
    if (unchanged) return { action: "resend", reason: "the service is still the TERMINATED one seen before: the apply never took effect" };
    return { action: "give-up", reason: `service ${after.id} exists but shows no version with the applied config` };
  }

  if (!after || (before && after.id !== before.id)) return { action: "give-up", reason: "the service is gone" };
  if (!before) return { action: "give-up", reason: "no earlier observation to compare with" };

  switch (intent.kind) {
    case "rollout": {
      if (fresh) return { action: "continue", service: after, reason: `new version ${fresh.id} carries the applied config` };
      // Re-applying the config of the live canary moves that canary (no new version): compare its target.
      const resumed = before.canary_version && versionMatches(before.canary_version, intent) ? before.canary_version : undefined;
      if (resumed) return canaryMoveVerdict(intent, before, after, resumed.id);
      if (sameVersions(before, after)) return { action: "resend", reason: "no new version appeared: the apply never took effect" };
      return { action: "give-up", reason: "the service's versions changed, but not to the applied config" };
    }
    case "canaryWeight": {
      const canaryId = before.canary_version?.id;
      if (!canaryId) return { action: "give-up", reason: "there was no canary to move" };
      return canaryMoveVerdict(intent, before, after, canaryId);
    }
    case "inPlace": {
      const primaryId = before.primary_version?.id;
      if (!primaryId || after.primary_version?.id !== primaryId) return { action: "give-up", reason: "the primary version changed" };
      if (digestRayServeConfig(after.primary_version?.ray_serve_config) === intent.rayServeConfigDigest) {
        return { action: "continue", service: after, reason: "the primary version carries the applied Serve config" };
      }
      if (digestRayServeConfig(after.primary_version?.ray_serve_config) === digestRayServeConfig(before.primary_version?.ray_serve_config)) {
        return { action: "resend", reason: "the primary version still has its previous Serve config: the apply never took effect" };
      }
      return { action: "give-up", reason: "the primary version's Serve config changed, but not to the applied one" };
    }
  }
}

function canaryMoveVerdict(intent: ApplyIntent, before: ServiceModel, after: ServiceModel, canaryId: string): ApplyVerdict {
  const wanted = intent.canaryPercent ?? 100;
  if (after.canary_version?.id === canaryId) {
    const target = targetWeight(after.canary_version);
    if (target === wanted) return { action: "continue", service: after, reason: `canary ${canaryId} is heading to ${wanted}%` };
    if (target === targetWeight(before.canary_version)) return { action: "resend", reason: "the canary's target is unchanged: the apply never took effect" };
    return { action: "give-up", reason: `canary ${canaryId} is heading to ${target}%, not ${wanted}%` };
  }
  if (after.primary_version?.id === canaryId && wanted === 100) return { action: "continue", service: after, reason: `canary ${canaryId} was promoted` };
  return { action: "give-up", reason: `canary ${canaryId} is no longer live` };
}

function sameVersions(before: ServiceModel, after: ServiceModel): boolean {
  return after.primary_version?.id === before.primary_version?.id && after.canary_version?.id === before.canary_version?.id;
}
