// The platform's rollback call, then a wait until no canary is left and the primary serves all
// traffic. Used by failed gates and deadlines, and by the declarative rollback (the program went back
// to the primary's config while a canary was held).
import type { ServiceModel } from "../anyscale/service-models";
import { waitFor } from "../core/waiter";
import { digestRayServeConfig } from "./outputs";
import type { ServiceContext } from "./context";
import type { PreparedDeploy } from "./deploy";
import { observeService } from "./settle";
import { describeService, rollbackRules } from "./wait-rules";

export const ROLLBACK_WAIT_MS = 10 * 60_000;

export async function rollBackCanary(context: ServiceContext, serviceId: string, name: string, maxSurgePercent: number | undefined, timeoutMs = ROLLBACK_WAIT_MS) {
  await context.client.services.rollback(serviceId, maxSurgePercent);
  return waitFor({
    description: `service '${name}' to roll back`,
    observe: () => observeService(context.client, serviceId),
    rules: rollbackRules(),
    timeoutMs,
    schedule: context.pollSchedule,
    describe: describeService,
  });
}

/**
 * Declarative rollback applies when a canary is live and the program asks for exactly what the
 * primary already runs: the platform's rollback gets there without starting a third version.
 */
export function asksForPrimary(service: ServiceModel, prepared: PreparedDeploy): boolean {
  const primary = service.primary_version;
  if (!service.canary_version || !primary) return false;
  const versionName = typeof prepared.body.version === "string" ? prepared.body.version : undefined;
  return (
    (versionName === undefined || versionName === primary.version) &&
    primary.build_id === prepared.ids.buildId &&
    primary.compute_config_id === prepared.ids.computeConfigId &&
    digestRayServeConfig(primary.ray_serve_config) === digestRayServeConfig(prepared.rayServeConfig)
  );
}
