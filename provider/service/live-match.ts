// Pure: does a live version already run what a prepared apply asks for? Compared on every wire path the
// declaration gives a version-level field (build, compute config, Serve config, tracing, GCS storage,
// connections, version name, query auth), so a field changed alone can never be mistaken for "already live".
import { canonicalJson } from "../core/dynamic-support";
import { valueAt, withoutUnset } from "../core/declaration";
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import type { PreparedDeploy } from "./deploy";
import type { LiveService } from "./live-view";
import { isVersionField, SERVICE_FIELDS } from "./schema";

interface WireComparison {
  wire: string;
  live?: (live: LiveService) => unknown;
  platformChoosesWhenUnset: boolean;
}

/** One comparison per distinct wire path of the version-level fields. */
export const VERSION_WIRE: readonly WireComparison[] = SERVICE_FIELDS.filter(isVersionField).reduce<WireComparison[]>((paths, declared) => {
  if (!declared.wire) throw new Error(`${declared.path}: a version-level field needs its wire path`);
  if (!paths.some((known) => known.wire === declared.wire)) {
    paths.push({ wire: declared.wire, live: declared.live, platformChoosesWhenUnset: declared.platformChoosesWhenUnset ?? false });
  }
  return paths;
}, []);

/** null, undefined, [] and {} all mean "unset" on the wire. */
function wireForm(value: unknown): string {
  const cleaned = withoutUnset(value);
  const empty = cleaned === undefined || (typeof cleaned === "object" && cleaned !== null && Object.keys(cleaned).length === 0);
  return empty ? "" : canonicalJson(cleaned);
}

/** The wire paths on which `version` differs from the request (empty: it already runs it). */
export function wireDifferences(service: ServiceModel, version: ServiceVersionModel, prepared: PreparedDeploy): string[] {
  const live: LiveService = { service, version };
  return VERSION_WIRE.filter(({ wire, live: liveValue, platformChoosesWhenUnset }) => {
    const requested = valueAt(prepared.body, wire);
    if (requested === undefined && platformChoosesWhenUnset) return false;
    const shown = liveValue ? liveValue(live) : valueAt(version, wire);
    return wireForm(requested) !== wireForm(shown);
  }).map(({ wire }) => wire);
}

/** The service runs exactly this, settled on one version: nothing to deploy. */
export function liveMatches(service: ServiceModel, prepared: PreparedDeploy): boolean {
  const primary = service.primary_version;
  return !!primary && !service.canary_version && service.current_state === "RUNNING" && wireDifferences(service, primary, prepared).length === 0;
}

/** A canary is live and the request asks for exactly what the primary runs (a declarative rollback). */
export function asksForPrimary(service: ServiceModel, prepared: PreparedDeploy): boolean {
  const primary = service.primary_version;
  return !!primary && !!service.canary_version && wireDifferences(service, primary, prepared).length === 0;
}

/**
 * The live canary when it already runs the request and is heading to all traffic: an interrupted
 * rollout of this very config. The update waits for it instead of applying (decide.ts
 * `awaitCompletingCanary`): deciding on a read taken before the platform promoted the canary, an apply
 * would start a second, identical version (the reliability-crash race).
 */
export function canaryCompletingDeclared(service: ServiceModel, prepared: PreparedDeploy): ServiceVersionModel | undefined {
  const canary = service.canary_version;
  if (!canary || (canary.target_weight ?? canary.weight ?? 0) < 100) return undefined;
  return wireDifferences(service, canary, prepared).length === 0 ? canary : undefined;
}
