// The anyscale.ComputeConfig dynamic provider. This module's exports object IS the provider (see
// docs/ARCHITECTURE.md): the resource class passes `require("../provider/computeconfig/dynamic")`.
//
// A version is what the official CLI's `compute-config create` registers: POST
// /api/v2/compute_templates/ with the name and new_version=true. The resource's id is that version's
// id; a change registers the next version (replace), destroy archives the version.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createAnyscaleClient } from "../anyscale/connect";
import { ProviderState } from "../core/provider-state";
import { toPlainJson, validateAllowingUnknowns } from "../core/dynamic-support";
import { reportProgress } from "../core/progress";
import { sendLookingFirst } from "../core/write-once";
import type { AnyscaleClient } from "../anyscale/client";
import { inlineComputeConfigToApi, toSnakeComputeConfig } from "../anyscale/compute-config";
import { resolveCloudId } from "../anyscale/catalog";
import {
  archiveComputeTemplateVersion,
  getComputeTemplateVersion,
  latestComputeTemplateVersion,
  registerComputeTemplateVersion,
  type ComputeTemplateVersion,
} from "../anyscale/compute-templates";
import { planComputeConfigChange } from "./planner";
import type { ComputeConfigComputed } from "./output-schema";
import { expectPredecessor, refuseForeignName } from "./name-guard";
import { inputRuleFailures } from "../workload/input-rules";
import { computeConfigInputsSchema, configOf } from "./schema";

type Inputs = Record<string, unknown>;

const state = new ProviderState(createAnyscaleClient);

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  state.configure(req.config);
}

function api(): AnyscaleClient {
  return state.get().client;
}

export async function check(_olds: Inputs, news: Inputs): Promise<dynamic.CheckResult> {
  const { __provider, ...userInputs } = news;
  const ruleFailures = inputRuleFailures(userInputs);
  if (ruleFailures.length > 0) return { failures: ruleFailures };
  const validation = validateAllowingUnknowns(computeConfigInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { failures: validation.failures };
  return { inputs: toPlainJson({ ...userInputs, __provider }) };
}

export async function diff(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  const plan = planComputeConfigChange(olds, news);
  if (plan.replaces.length > 0) expectPredecessor(news.name, olds.computeConfigId);
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: false };
}

function outputsOf(template: ComputeTemplateVersion): ComputeConfigComputed {
  return { computeConfigId: template.id, version: template.version, ref: `${template.name}:${template.version}`, cloudId: template.config.cloud_id };
}

export async function create(inputs: Inputs): Promise<dynamic.CreateResult> {
  const client = api();
  const snake = toSnakeComputeConfig(configOf(inputs));
  const cloudId = await resolveCloudId(client, typeof snake.cloud === "string" ? snake.cloud : undefined);
  const body = await inlineComputeConfigToApi(client, snake, cloudId);
  const name = String(inputs.name);
  const latestBefore = await latestComputeTemplateVersion(client, name);
  refuseForeignName(name, latestBefore, inputs.adoptExisting === true);
  reportProgress(`registering compute config ${name}`);
  // A lost answer may still have registered the version: only a version newer than the latest seen
  // before sending is ours; none means it never arrived, so registering again makes no duplicate.
  const before = latestBefore?.version ?? 0;
  const template = await sendLookingFirst<ComputeTemplateVersion>({
    what: `register compute config '${name}'`,
    send: () => registerComputeTemplateVersion(client, name, body),
    look: async () => {
      const latest = await latestComputeTemplateVersion(client, name);
      return latest && latest.version > before
        ? { action: "found", value: latest, reason: `version ${latest.version} was registered` }
        : { action: "resend", reason: `no version after ${before} is registered` };
    },
  });
  return { id: template.id, outs: { ...inputs, ...outputsOf(template) } };
}

/** Refresh: the version still registered and not archived, else gone (the next `up` registers it again). */
export async function read(id: string, props: Inputs): Promise<dynamic.ReadResult> {
  const template = await getComputeTemplateVersion(api(), id);
  if (!template || template.archived_at) return {};
  return { id, props: { ...props, name: template.name, ...outputsOf(template) } };
}

/** Only timeouts can change without a replacement; nothing to send. */
export async function update(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  return { outs: { ...news, computeConfigId: olds.computeConfigId, version: olds.version, ref: olds.ref, cloudId: olds.cloudId } };
}

/** Archives the version, as the platform's `compute-config archive` does; an archived or missing one is done. */
export async function delete_(id: string): Promise<void> {
  await archiveComputeTemplateVersion(api(), id);
}
export { delete_ as delete };
