// The ComputeConfig adapter: inputs are the SDK's compute config fields; every change is a new version.
import { z } from "zod";
import * as computeConfigProvider from "../../../computeconfig/dynamic";
import { computeConfigName } from "../../../computeconfig/schema";
import { planComputeConfigChange } from "../../../computeconfig/planner";
import { COMPUTE_CONFIG_OUTPUT_NAMES, computeConfigOutputsSchema } from "../../../computeconfig/output-schema";
import { singleComputeConfigSchema } from "../../../anyscale/compute-config";
import { timeoutsSchema } from "../../../core/timeouts";
import { nameDefaulted, type ProviderModule, type ResourceAdapter } from "../adapter";
import { describeNewVersionPlan } from "../plan-lines";

export const computeConfig: ResourceAdapter = {
  token: "anyscale:index:ComputeConfig",
  module: computeConfigProvider as unknown as ProviderModule,
  // The resource's inputs are the SDK's ComputeConfig fields (or `configs`, the multi-resource form) beside name and timeouts.
  inputSchema: singleComputeConfigSchema("camel").extend({
    name: computeConfigName.optional(),
    configs: z.array(singleComputeConfigSchema("camel")).optional(),
    timeouts: timeoutsSchema.optional(),
  }),
  docsPage: "compute-config.md",
  defaultedInputs: ["name"],
  internal: new Set(),
  computedOutputs: COMPUTE_CONFIG_OUTPUT_NAMES,
  outputSchema: computeConfigOutputsSchema,
  secretOutputs: [],
  // Each change registers the next version: its number and ref are new.
  knownThroughUpdate: () => ["computeConfigId", "cloudId"],
  prepare: nameDefaulted,
  plan(state, news) {
    const plan = planComputeConfigChange(state, news);
    return { fields: plan.replaces.map((path) => ({ path, replace: true })), line: describeNewVersionPlan(plan.replaces, [], "a new version is registered, then the old one archived") };
  },
};
