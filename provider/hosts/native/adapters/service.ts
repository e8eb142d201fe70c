// The Service adapter: its planner verdict as changed fields and a plan line naming the rollout.
import * as serviceProvider from "../../../service/dynamic";
import { serviceInputsObject } from "../../../service/schema";
import { declaredCanaryPercent, planServiceUpdate } from "../../../service/planner";
import { computedFromService, deploymentUnfinished, inputsFromProps, type DeploymentRecord } from "../../../service/outputs";
import { isHeld } from "../../../service/rollout-status";
import { placementAsDeclared } from "../../../service/placement-record";
import type { ServiceModel } from "../../../anyscale/service-models";
import { keysProduced, scopeOf, type Props, type ProviderModule, type ResourceAdapter } from "../adapter";
import { describeServicePlan } from "../plan-lines";

export const service: ResourceAdapter = {
  token: "anyscale:index:Service",
  module: serviceProvider as unknown as ProviderModule,
  inputSchema: serviceInputsObject,
  docsPage: "service.md",
  internal: new Set(["autoNamePrefix", "ownershipScope", "sourceHash"]),
  computedOutputs: keysProduced((model: ServiceModel) => computedFromService(model, { status: "succeeded" }) as unknown as Props),
  secretOutputs: ["queryAuthToken"],
  prepare(news, identity) {
    return {
      ...news,
      ...(news.name === undefined ? { autoNamePrefix: identity.name } : {}),
      ownershipScope: scopeOf(identity),
    };
  },
  plan(state, news) {
    const olds = inputsFromProps(placementAsDeclared(state, news));
    const plan = planServiceUpdate(olds, inputsFromProps(news));
    const replaces = new Set(plan.kind === "replace" ? plan.replaces : []);
    const deployment = state.deployment as DeploymentRecord | undefined;
    const primary = state.primaryVersion as { name?: string } | null | undefined;
    const rollout = inputsFromProps(news).rollout;
    return {
      fields: plan.changed.map((path) => ({ path, replace: replaces.has(path) })),
      line: describeServicePlan(plan, {
        primaryName: primary?.name,
        schedule: rollout?.steps ? { steps: rollout.steps, gated: rollout.healthCheck !== undefined } : undefined,
        heldSchedulePercent: isHeld(state.rolloutStatus) ? state.rolloutStatus.percent : undefined,
        declaredCanaryPercent: rollout?.canaryPercent,
        oldCanaryPercent: declaredCanaryPercent(olds),
        needsConvergence: deploymentUnfinished(deployment) || state.state === "TERMINATED",
        internal: this.internal,
      }),
    };
  },
};
