// update: execute the planner's decision — tags only, canary weight, in place, or a rollout — and
// converge a service whose last deploy failed or that was terminated outside Pulumi.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { AnyscaleError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { timeoutMsFor } from "../core/timeouts";
import { parseInputs, RESOURCE_TYPE, serviceName, type ServiceContext } from "./context";
import { intentFromBody, type ApplyIntent } from "./apply-decision";
import { applyLookingFirst } from "./apply-once";
import { prepareCanaryWeight, prepareInPlace, prepareRollout, resolvePlacement, type PreparedDeploy } from "./deploy";
import { desiredTags } from "./ownership";
import { refuseForeign } from "./ownership-guard";
import { canaryCompletingDeclared } from "./converge-guard";
import { buildOutputs, deploymentUnfinished, failureOutputs, inputsFromProps, type DeploymentRecord } from "./outputs";
import { planServiceUpdate } from "./planner";
import { DEFAULT_WAIT_MS } from "./schema";
import { deploymentRecord, finishDeploy, heldPercent, liveMatches, resumeOrRolloutExpectation } from "./settle";
import type { DeployExpectation } from "./wait-rules";
import { asksForPrimary, rollBackCanary } from "./rollback";
import { isHeld, type RolloutStatus } from "./rollout-status";
import { driveSchedule } from "./schedule";
import { throwInitFailure } from "../core/dynamic-support";

export async function updateService(context: ServiceContext, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
  const inputs = parseInputs(news);
  const oldInputs = inputsFromProps(olds);
  const name = serviceName(inputs);
  const anyscale = context.client;
  const live = await anyscale.services.get(id);
  if (!live) throw new AnyscaleError(`Service '${name}' (${id}) no longer exists; run \`pulumi refresh\` to drop it from the stack, then \`pulumi up\` to recreate it.`);
  registerSecret(live.auth_token);
  const plan = planServiceUpdate(oldInputs, inputs);
  const lastDeployment = olds.deployment as DeploymentRecord | undefined;
  const mustConverge = deploymentUnfinished(lastDeployment) || live.current_state === "TERMINATED";
  const timeoutMs = timeoutMsFor(inputs.timeouts, "update", DEFAULT_WAIT_MS);
  const liveTags = await anyscale.tags.list(RESOURCE_TYPE, id);
  refuseForeign(liveTags, inputs.ownershipScope, name, id, "update");
  // The owner key (and any other provider tag) stays: only the user's tags follow the inputs.
  const syncTags = () => anyscale.tags.set(RESOURCE_TYPE, id, desiredTags(inputs.tags, inputs.ownershipScope, liveTags), liveTags);
  // Every apply below is sent through applyLookingFirst: after a lost answer it compares the live
  // service with `live` (read above, before the apply) and re-sends only if nothing happened.
  const apply = (kind: ApplyIntent["kind"], prepared: PreparedDeploy) =>
    applyLookingFirst(anyscale, prepared.body, intentFromBody(kind, prepared.body, prepared.rayServeConfig), { name, projectId: live.project_id, before: live });

  // A schedule held at a manual pause continues when the program changes (the steps, typically).
  const previousStatus = olds.rolloutStatus as RolloutStatus | undefined;
  const heldCanary = isHeld(previousStatus) && live.canary_version?.id === previousStatus.versionId ? live.canary_version : undefined;
  if (!mustConverge && heldCanary && (plan.kind === "stateOnly" || plan.kind === "tagsOnly")) {
    if (inputs.rollout?.steps) {
      const prepared = prepareCanaryWeight(name, inputs, live, heldCanary, heldCanary.weight ?? 0);
      return driveSchedule({ context, serviceId: id, inputs, props: news, prepared, before: live, timeoutMs, afterApply: syncTags, previousStatus });
    }
    // The schedule was dropped: the declared share (or 100%, completing) applies, as for a held canary.
    const percent = inputs.rollout?.canaryPercent ?? 100;
    const prepared = prepareCanaryWeight(name, inputs, live, heldCanary, percent);
    const applied = await apply("canaryWeight", prepared);
    registerSecret(applied.auth_token);
    return finishDeploy(context, id, inputs, news, prepared, { kind: "canaryWeight", targetVersionId: heldCanary.id, canaryPercent: percent }, timeoutMs, syncTags);
  }

  if (!mustConverge && (plan.kind === "none" || plan.kind === "stateOnly" || plan.kind === "tagsOnly")) {
    // Tags-only: the tags API, no new version.
    if (plan.kind === "tagsOnly") await syncTags();
    return { outs: buildOutputs(inputs, live, lastDeployment ?? { status: "succeeded", versionId: live.primary_version?.id }) };
  }

  if (!mustConverge && plan.kind === "canaryWeight" && live.canary_version && live.canary_version.id === lastDeployment?.versionId) {
    if (inputs.rollout?.steps) {
      // A held canaryPercent replaced by a schedule: the schedule takes the same canary from its share.
      const prepared = prepareCanaryWeight(name, inputs, live, live.canary_version, live.canary_version.weight ?? 0);
      return driveSchedule({ context, serviceId: id, inputs, props: news, prepared, before: live, timeoutMs, afterApply: syncTags, previousStatus });
    }
    const prepared = prepareCanaryWeight(name, inputs, live, live.canary_version, plan.canaryPercent);
    const applied = await apply("canaryWeight", prepared);
    registerSecret(applied.auth_token);
    return finishDeploy(context, id, inputs, news, prepared, { kind: "canaryWeight", targetVersionId: live.canary_version.id, canaryPercent: plan.canaryPercent }, timeoutMs, syncTags);
  }

  if (!mustConverge && plan.kind === "inPlace" && live.current_state !== "TERMINATED" && !live.canary_version) {
    const prepared = await prepareInPlace(anyscale, name, inputs, live);
    const applied = await apply("inPlace", prepared);
    registerSecret(applied.auth_token);
    return finishDeploy(context, id, inputs, news, prepared, { kind: "inPlace", canaryPercent: 100, expectedRayServeConfig: prepared.rayServeConfig, targetVersionId: live.primary_version?.id }, timeoutMs, syncTags);
  }

  // Rollout (also: completing a canary whose version is no longer live, resuming a failed deploy, restarting a terminated service).
  const placement = await resolvePlacement(anyscale, inputs);
  const restarting = live.current_state === "TERMINATED";
  const prepared = await prepareRollout(anyscale, name, inputs, placement, {
    rolloutStrategy: "ROLLOUT",
    canaryPercent: restarting ? undefined : heldPercent(inputs),
    maxSurgePercent: inputs.rollout?.maxSurgePercent,
  });
  // Declarative rollback: the program went back to what the primary runs while a canary is live. The
  // platform's rollback call gets there without a third version. Version-level env vars are not
  // visible on the platform's versions, so a change to them always rolls out.
  if (!restarting && !(plan.changed as string[]).includes("envVars") && asksForPrimary(live, prepared)) {
    try {
      await syncTags();
      const rolledBack = await rollBackCanary(context, id, name, inputs.rollout?.maxSurgePercent, timeoutMs);
      return { outs: buildOutputs(inputs, rolledBack.observed, deploymentRecord("succeeded", rolledBack.result.primaryVersionId, prepared)) };
    } catch (error) {
      const message = `Service '${name}': rolling the canary back to the primary's config failed: ${(error as Error).message}`;
      const latest = await anyscale.services.get(id).catch(() => undefined);
      throwInitFailure(id, failureOutputs(inputs, latest, deploymentRecord("failed", undefined, prepared, message), id), news, message);
    }
  }
  if (!restarting && liveMatches(live, prepared) && heldPercent(inputs) === undefined) {
    await syncTags();
    return { outs: buildOutputs(inputs, live, deploymentRecord("succeeded", live.primary_version?.id, prepared)) };
  }
  // A schedule drives new versions over a running service (a create or restart has nothing to shift
  // traffic from, and the platform ignores canary_percent there).
  if (!restarting && inputs.rollout?.steps && live.primary_version) {
    return driveSchedule({ context, serviceId: id, inputs, props: news, prepared, before: live, timeoutMs, afterApply: syncTags, previousStatus });
  }
  // A canary already carrying this config on its way to 100% is this rollout: wait for it, never re-apply (converge-guard.ts).
  const completing = restarting || heldPercent(inputs) !== undefined ? undefined : canaryCompletingDeclared(live, prepared);
  if (completing) return finishDeploy(context, id, inputs, news, prepared, { kind: "canaryWeight", targetVersionId: completing.id, canaryPercent: 100 }, timeoutMs, syncTags);
  const applied = await apply(restarting ? "create" : "rollout", prepared);
  registerSecret(applied.auth_token);
  const expectation: DeployExpectation = restarting
    ? { kind: "create", previousPrimaryVersionId: live.primary_version?.id, canaryPercent: 100, targetVersionId: applied.primary_version?.id !== live.primary_version?.id ? applied.primary_version?.id : undefined }
    : resumeOrRolloutExpectation(live, applied, heldPercent(inputs) ?? 100);
  return finishDeploy(context, id, inputs, news, prepared, expectation, timeoutMs, syncTags);
}
