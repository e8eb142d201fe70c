// The Service adapter: its planner verdict as changed fields and a plan line naming the rollout.
import * as serviceProvider from "../../../service/dynamic";
import { SERVICE_FIELDS, serviceInputsObject } from "../../../service/schema";
import { describedWithChange, pathsOf } from "../../../core/declaration";
import { declaredCanaryPercent } from "../../../service/planner";
import { planWithDelivery } from "../../../service/delivery-hooks";
import { describeRejection } from "../../../service/rejection";
import { describeGateSizes } from "../../../service/probe";
import { deploymentUnfinished, inputsFromProps, type DeploymentRecord } from "../../../service/outputs";
import { OUTPUT_NAMES, SECRET_OUTPUTS, SERVICE_LEVEL_OUTPUTS, serviceOutputsSchema } from "../../../service/output-schema";
import { isHeld } from "../../../service/rollout-status";
import { placementAsDeclared } from "../../../service/placement-record";
import { scopeOf, type Props, type ProviderModule, type ResourceAdapter } from "../adapter";
import { describeServicePlan } from "../plan-lines";

export const service: ResourceAdapter = {
  token: "anyscale:index:Service",
  module: serviceProvider as unknown as ProviderModule,
  inputSchema: serviceInputsObject,
  docsPage: "service.md",
  internal: new Set(pathsOf(SERVICE_FIELDS, "internal")),
  computedOutputs: OUTPUT_NAMES,
  outputSchema: serviceOutputsSchema,
  secretOutputs: SECRET_OUTPUTS,
  describeInput: (field) => {
    const declared = SERVICE_FIELDS.find((candidate) => candidate.path === field);
    return declared && describedWithChange(declared);
  },
  knownThroughUpdate(state, news) {
    const kind = planWithDelivery(state, inputsFromProps(placementAsDeclared(state, news)), inputsFromProps(news)).plan.kind;
    const settled = !deploymentUnfinished(state.deployment as DeploymentRecord | undefined) && state.state !== "TERMINATED";
    // Tags (and state-only fields) go through the tags API: no version, so nothing the platform reports moves.
    if (settled && (kind === "tagsOnly" || kind === "stateOnly" || kind === "none")) return this.computedOutputs.filter((output) => output !== "rolloutStatus");
    const authToggled = (state.queryAuthTokenEnabled ?? true) !== (news.queryAuthTokenEnabled ?? true);
    return SERVICE_LEVEL_OUTPUTS.filter((output) => !(authToggled && output === "queryAuthToken"));
  },
  prepare(news, identity) {
    return {
      ...news,
      ...(news.name === undefined ? { autoNamePrefix: identity.name } : {}),
      ownershipScope: scopeOf(identity),
    };
  },
  plan(state, news) {
    const olds = inputsFromProps(placementAsDeclared(state, news));
    const { plan, rejected, releasePause } = planWithDelivery(state, olds, inputsFromProps(news));
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
        needsConvergence: (deploymentUnfinished(deployment) && !rejected) || state.state === "TERMINATED",
        rejected: rejected ? describeRejection(rejected) : undefined,
        releasePause,
        gateSizes: rollout?.steps && rollout.healthCheck ? describeGateSizes(rollout.healthCheck, rollout.steps) : undefined,
        internal: this.internal,
      }),
    };
  },
};
