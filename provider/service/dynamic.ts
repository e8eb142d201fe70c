// The anyscale.Service dynamic provider. This module's exports ARE the provider (the sdk class passes
// `require(...)` of it), so Pulumi state holds a require reference, not inlined code. Credentials are
// read in configure and live only in this process; each operation lives in its own module.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createAnyscaleClient } from "../anyscale/connect";
import { observedPollSchedule } from "../anyscale/watch";
import { ProviderState } from "../core/provider-state";
import { checkService, diffService } from "./check";
import type { ServiceContext } from "./context";
import { createService } from "./create";
import { createWithClaim, readKeepingClaim, updateKeepingClaim } from "./handover";
import { keepPlacement, withPlacement } from "./placement-record";
import { registerSecretEnvValues } from "../workload/secret-env";
import { readService } from "./read";
import { deleteService } from "./teardown";
import { updateService } from "./update";

const state = new ProviderState<ServiceContext>((config) => {
  const { client, settings } = createAnyscaleClient(config);
  return { client, settings, pollSchedule: pollScheduleFromEnvironment() };
});

/** Reads anyscale:host/token/cloud/project (with env and credentials-file fallbacks); a bad token fails here, before any request. */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  state.configure(req.config);
  state.get();
}

/** Waits observe through the process's shared poller, which sets the pace (ANYSCALE_POLL_INTERVAL_MS for tests). */
function pollScheduleFromEnvironment() {
  return observedPollSchedule();
}

const ready = (): ServiceContext => state.get();

export function check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  return checkService(state.peek()?.settings, olds, news);
}

export function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
  return diffService(id, olds, news);
}

export function create(props: Record<string, unknown>): Promise<dynamic.CreateResult> {
  registerSecretEnvValues(props); // an error echoing a secret env value is redacted (workload/secret-env.ts)
  return createWithClaim(() => withPlacement(() => ready().client, () => createService(ready(), props)));
}

export function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
  registerSecretEnvValues(news);
  return updateKeepingClaim(olds, () => withPlacement(() => ready().client, () => updateService(ready(), id, olds, news)));
}

export function read(id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  return readKeepingClaim(props, async () => keepPlacement(props, await readService(ready(), id, props)));
}

function remove(id: string, props: Record<string, unknown>): Promise<void> {
  return deleteService(ready(), id, props);
}
export { remove as delete };
