// delete: terminate, wait for TERMINATED, then archive or delete per deletionPolicy. Never a service
// another stack owns (ownership-guard.ts), nor one a later create of this resource took over (handover.ts).
import { nextService } from "../anyscale/watch";
import { timeoutMsFor } from "../core/timeouts";
import { waitFor } from "../core/waiter";
import { RESOURCE_TYPE, withoutProvider, type ServiceContext } from "./context";
import { claimedByAnother } from "./handover";
import { SERVICE_MARK_KIND } from "./ownership";
import { refuseForeign } from "./ownership-guard";
import { inputsFromProps } from "./outputs";
import { DEFAULT_DELETE_WAIT_MS, withDefaults } from "./schema";
import { describeService, terminationRules } from "./wait-rules";

/** Terminate, wait for TERMINATED, then archive or delete per deletionPolicy. Already gone is success. */
export async function deleteService(context: ServiceContext, id: string, props: Record<string, unknown>): Promise<void> {
  const anyscale = context.client;
  const inputs = inputsFromProps(withoutProvider(props));
  const policy = withDefaults({ ...inputs, applications: inputs.applications ?? [] }).deletionPolicy;
  const service = await anyscale.services.get(id);
  if (!service) return;
  const tags = await anyscale.tags.list(RESOURCE_TYPE, id);
  // A replacement's create returned this very service: it is the new resource's now.
  if (claimedByAnother(SERVICE_MARK_KIND, tags, inputs.ownershipScope, props.ownerClaim)) return;
  // An adopted service (adoptExisting, or `pulumi import`) is this stack's to terminate.
  if (inputs.adoptExisting !== true) refuseForeign(tags, inputs.ownershipScope, service.name, id, policy === "terminate" ? "terminate" : `terminate and ${policy}`);
  if (service.current_state !== "TERMINATED") {
    if (service.current_state !== "TERMINATING") {
      await ignoreNotFound(anyscale.services.terminate(id));
    }
    await waitFor({
      description: `service '${service.name}' to terminate`,
      observe: () => nextService(anyscale, id),
      rules: terminationRules(),
      timeoutMs: timeoutMsFor(inputs.timeouts, "delete", DEFAULT_DELETE_WAIT_MS),
      schedule: context.pollSchedule,
      describe: (observed) => (observed ? describeService(observed) : "gone"),
    });
  }
  if (policy === "archive") await ignoreNotFound(anyscale.services.archive(id));
  if (policy === "delete") await ignoreNotFound(anyscale.services.delete(id));
}
async function ignoreNotFound(call: Promise<void>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return;
    throw error;
  }
}
