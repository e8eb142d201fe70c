// The anyscale.ComputeConfig dynamic provider. This module's exports object IS the provider (see
// docs/ARCHITECTURE.md): the resource class passes `require("../provider/computeconfig/dynamic")`.
//
// A version is what the official CLI's `compute-config create` registers: POST
// /api/v2/compute_templates with the name and new_version=true. The resource's id is that version's
// id; a change registers the next version (replace), destroy archives the version.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { NotFoundError } from "../core/errors";
import { createAnyscaleClient } from "../anyscale/connect";
import { ProviderState } from "../core/provider-state";
import { toPlainJson, validateAllowingUnknowns } from "../core/dynamic-support";
import { reportProgress } from "../core/progress";
import type { AnyscaleClient } from "../anyscale/client";
import { inlineComputeConfigToApi, toSnakeComputeConfig } from "../anyscale/compute-config";
import { resolveCloudId } from "../anyscale/catalog";
import { planComputeConfigChange } from "./planner";
import { computeConfigInputsSchema, configOf } from "./schema";

type Inputs = Record<string, unknown>;

const templateSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullish(),
  config: z.looseObject({ cloud_id: z.string() }),
});

const state = new ProviderState(createAnyscaleClient);

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  state.configure(req.config);
}

function api(): AnyscaleClient {
  return state.get().client;
}

export async function check(_olds: Inputs, news: Inputs): Promise<dynamic.CheckResult> {
  const { __provider, ...userInputs } = news;
  const validation = validateAllowingUnknowns(computeConfigInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { failures: validation.failures };
  return { inputs: toPlainJson({ ...userInputs, __provider }) };
}

export async function diff(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  const plan = planComputeConfigChange(olds, news);
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: false };
}

function outputsOf(template: z.infer<typeof templateSchema>): Inputs {
  return { computeConfigId: template.id, version: template.version, ref: `${template.name}:${template.version}`, cloudId: template.config.cloud_id };
}

export async function create(inputs: Inputs): Promise<dynamic.CreateResult> {
  const client = api();
  const snake = toSnakeComputeConfig(configOf(inputs));
  const cloudId = await resolveCloudId(client, typeof snake.cloud === "string" ? snake.cloud : undefined);
  const body = await inlineComputeConfigToApi(client, snake, cloudId);
  reportProgress(`registering compute config ${String(inputs.name)}`);
  const template = await client.result(templateSchema, "POST", "/api/v2/compute_templates", {
    body: { name: inputs.name, config: body, anonymous: false, new_version: true },
  });
  return { id: template.id, outs: { ...inputs, ...outputsOf(template) } };
}

/** Refresh: the version still registered and not archived, else gone (the next `up` registers it again). */
export async function read(id: string, props: Inputs): Promise<dynamic.ReadResult> {
  try {
    const template = await api().result(templateSchema, "GET", `/api/v2/compute_templates/${encodeURIComponent(id)}`);
    if (template.archived_at) return {};
    return { id, props: { ...props, name: template.name, ...outputsOf(template) } };
  } catch (error) {
    if (error instanceof NotFoundError) return {};
    throw error;
  }
}

/** Only timeouts can change without a replacement; nothing to send. */
export async function update(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  return { outs: { ...news, computeConfigId: olds.computeConfigId, version: olds.version, ref: olds.ref, cloudId: olds.cloudId } };
}

/** Archives the version, as the platform's `compute-config archive` does; an archived or missing one is done. */
export async function delete_(id: string): Promise<void> {
  try {
    await api().send("POST", `/api/v2/compute_templates/${encodeURIComponent(id)}/archive`, { idempotent: true });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
export { delete_ as delete };
