// The anyscale.Job dynamic provider. This module's exports object IS the provider (see
// docs/ARCHITECTURE.md): the resource class passes `require("../provider/job/dynamic")`. Credentials
// are read in configure and live only in this process; each operation lives in its own module.
import { registerSecretEnvValues } from "../workload/secret-env";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createAnyscaleClient } from "../anyscale/connect";
import { ProviderState } from "../core/provider-state";
import { checkJob, diffJob } from "./check";
import type { Inputs, JobContext } from "./context";
import { createJob, updateJob } from "./create";
import { readJob } from "./read";
import { deleteJob } from "./teardown";

const state = new ProviderState<JobContext>(createAnyscaleClient);

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  state.configure(req.config);
}

export function check(olds: Inputs, news: Inputs): Promise<dynamic.CheckResult> {
  return checkJob(news, olds);
}

export function diff(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  return diffJob(olds, news);
}

export function create(inputs: Inputs): Promise<dynamic.CreateResult> {
  registerSecretEnvValues(inputs); // an error echoing a secret env value is redacted (workload/secret-env.ts)
  return createJob(state.get(), inputs);
}

export function read(id: string, props?: Inputs): Promise<dynamic.ReadResult> {
  return readJob(state.get(), id, props);
}

export function update(id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  registerSecretEnvValues(news);
  return updateJob(state.get(), id, olds, news);
}

function remove(id: string, props: Inputs): Promise<void> {
  return deleteJob(state.get(), id, props);
}
export { remove as delete };
