// The anyscale.JobQueue dynamic provider. This module's exports object IS the provider: the resource
// class passes `require("../provider/jobqueue/dynamic")`. Each operation lives in its own module.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createAnyscaleClient } from "../anyscale/connect";
import { ProviderState } from "../core/provider-state";
import { checkQueue, diffQueue } from "./check";
import type { Inputs, QueueContext } from "./context";
import { createQueue, updateQueue } from "./create";
import { readQueue } from "./read";
import { deleteQueue } from "./teardown";

const state = new ProviderState<QueueContext>(createAnyscaleClient);

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  state.configure(req.config);
}

export function check(olds: Inputs, news: Inputs): Promise<dynamic.CheckResult> {
  return checkQueue(news, olds);
}

export function diff(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  return diffQueue(olds, news);
}

export function create(inputs: Inputs): Promise<dynamic.CreateResult> {
  return createQueue(state.get(), inputs);
}

export function read(id: string, props?: Inputs): Promise<dynamic.ReadResult> {
  return readQueue(state.get(), id, props);
}

export function update(id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  return updateQueue(state.get(), id, olds, news);
}

function remove(id: string, props: Inputs): Promise<void> {
  return deleteQueue(state.get(), id, props);
}
export { remove as delete };
