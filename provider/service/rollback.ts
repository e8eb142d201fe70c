// The platform's rollback call, then a wait until no canary is left and the primary serves all
// traffic. Used by failed gates and deadlines, and by the declarative rollback (the program went back
// to the primary's config while a canary was held).
import { waitFor } from "../core/waiter";
import type { ServiceContext } from "./context";
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
