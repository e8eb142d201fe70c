// The zenml.Service dynamic provider. This module's exports object IS the provider: resource classes
// pass `require("../provider/zenml/dynamic")`, so Pulumi captures a small require instead of code.
// Credentials come only from configure(); nothing here is captured into state.
import type * as pulumi from "@pulumi/pulumi";
import { ProviderState } from "../core/provider-state";
import { checkZenmlService, diffZenmlService } from "./check";
import { zenmlContext, type Props } from "./context";
import { createZenmlService, updateZenmlService } from "./create";
import { deleteZenmlService, readZenmlService } from "./read";

const state = new ProviderState(zenmlContext);

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  // A bad setting is reported by the first operation that needs the server; check still validates inputs.
  state.configure(req.config);
}

export function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  return checkZenmlService(state.peek(), olds, news);
}

export function diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  return diffZenmlService(state.peek(), id, olds, news);
}

export function create(props: Props): Promise<pulumi.dynamic.CreateResult> {
  return createZenmlService(state.get(), props);
}

export function read(id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
  return readZenmlService(state.get(), id, props);
}

export function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  return updateZenmlService(state.get(), id, olds, news);
}

export function deleteService(id: string): Promise<void> {
  return deleteZenmlService(state.get(), id);
}
export { deleteService as delete };
