// update: read the live service, let decide.ts choose the action, execute it. Every apply goes through
// applyLookingFirst: after a lost answer it compares the live service with the one read here (before
// the apply) and re-sends only if nothing happened.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import { throwInitFailure } from "../core/dynamic-support";
import { AnyscaleError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { timeoutMsFor } from "../core/timeouts";
import { intentFromBody, type ApplyIntent } from "./apply-decision";
import { applyLookingFirst } from "./apply-once";
import { parseInputs, RESOURCE_TYPE, serviceName, type ServiceContext } from "./context";
import { decideDeploy, decideUpdate, type UpdateRoute } from "./decide";
import { prepareCanaryWeight, prepareInPlace, prepareRollout, resolvePlacement, type PreparedDeploy } from "./deploy";
import { asksForPrimary, canaryCompletingDeclared, liveMatches } from "./live-match";
import { desiredTags, ownedBy } from "./ownership";
import { buildOutputs, failureOutputs, inputsFromProps, type DeploymentRecord } from "./outputs";
import { keptRolloutStatus, planWithDelivery } from "./delivery-hooks";
import { rollBackCanary } from "./rollback";
import type { RolloutStatus } from "./rollout-status";
import { refuseForeign } from "./ownership-guard";
import { driveSchedule } from "./schedule";
import { DEFAULT_WAIT_MS, type ServiceInputs } from "./schema";
import { deploymentRecord, finishDeploy, resumeOrRolloutExpectation } from "./settle";
import type { DeployExpectation } from "./wait-rules";

/** What every step of one update shares. */
interface Update {
  context: ServiceContext;
  id: string;
  name: string;
  inputs: ServiceInputs;
  news: Record<string, unknown>;
  live: ServiceModel;
  timeoutMs: number;
  previousStatus: RolloutStatus | undefined;
  /** What an update that rolls nothing out keeps of the delivery record (a standing rejection). */
  keptStatus: { rolloutStatus?: unknown };
  syncTags: () => Promise<void>;
  apply: (kind: ApplyIntent["kind"], prepared: PreparedDeploy) => Promise<ServiceModel>;
}

export async function updateService(context: ServiceContext, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.UpdateResult> {
  const inputs = parseInputs(news);
  const name = serviceName(inputs);
  const anyscale = context.client;
  const live = await anyscale.services.get(id);
  if (!live) throw new AnyscaleError(`Service '${name}' (${id}) no longer exists; run \`pulumi refresh\` to drop it from the stack, then \`pulumi up\` to recreate it.`);
  registerSecret(live.auth_token);
  const deployment = olds.deployment as DeploymentRecord | undefined;
  const { plan, rejected, releasePause } = planWithDelivery(olds, inputsFromProps(olds), inputs);
  const route = decideUpdate({ plan, inputs, live, deployment, rolloutStatus: olds.rolloutStatus, rejected: rejected !== undefined, releasePause });
  const liveTags = await anyscale.tags.list(RESOURCE_TYPE, id);
  // Never drive a service another stack owns (ownership-guard.ts), unless this stack adopted it
  // (adoptExisting now or when it was recorded, e.g. by `pulumi import`): then it gets our mark now.
  const adopted = inputs.adoptExisting === true || inputsFromProps(olds).adoptExisting === true;
  if (!adopted) refuseForeign(liveTags, inputs.ownershipScope, name, id, "update");
  else if (!ownedBy(liveTags, inputs.ownershipScope)) await anyscale.tags.set(RESOURCE_TYPE, id, desiredTags(inputs.tags, inputs.ownershipScope, liveTags), liveTags);
  const update: Update = {
    context,
    id,
    name,
    inputs,
    news,
    live,
    timeoutMs: timeoutMsFor(inputs.timeouts, "update", DEFAULT_WAIT_MS),
    previousStatus: olds.rolloutStatus as RolloutStatus | undefined,
    keptStatus: keptRolloutStatus(olds),
    // The owner key (and any other provider tag) stays: only the user's tags follow the inputs.
    syncTags: () => anyscale.tags.set(RESOURCE_TYPE, id, desiredTags(inputs.tags, inputs.ownershipScope, liveTags), liveTags),
    apply: (kind, prepared) => applyLookingFirst(anyscale, prepared.body, intentFromBody(kind, prepared.body, prepared.rayServeConfig), { name, projectId: live.project_id, before: live }),
  };
  return execute(update, route, deployment);
}

async function execute(update: Update, route: UpdateRoute, deployment: DeploymentRecord | undefined): Promise<dynamic.UpdateResult> {
  const { live, inputs } = update;
  switch (route.kind) {
    case "nothing":
    case "tagsOnly":
      if (route.kind === "tagsOnly") await update.syncTags();
      return { outs: { ...buildOutputs(inputs, live, deployment ?? { status: "succeeded", versionId: live.primary_version?.id }), ...update.keptStatus } };
    case "scheduleContinue":
      return scheduleFrom(update, prepareCanaryWeight(update.name, inputs, live, route.canary, route.canary.weight ?? 0));
    case "canaryMove":
      return moveCanary(update, route.canary, route.percent);
    case "inPlace": {
      const prepared = await prepareInPlace(update.context.client, update.name, inputs, live);
      await sendApply(update, "inPlace", prepared);
      const expectation: DeployExpectation = { kind: "inPlace", canaryPercent: 100, expectedRayServeConfig: prepared.rayServeConfig, targetVersionId: live.primary_version?.id };
      return finish(update, prepared, expectation);
    }
    case "deploy":
      return deploy(update, route);
  }
}

async function deploy(update: Update, route: Extract<UpdateRoute, { kind: "deploy" }>): Promise<dynamic.UpdateResult> {
  const { context, live, inputs } = update;
  const placement = await resolvePlacement(context.client, inputs);
  const prepared = await prepareRollout(context.client, update.name, inputs, placement, {
    rolloutStrategy: "ROLLOUT",
    canaryPercent: route.canaryPercent,
    maxSurgePercent: inputs.rollout?.maxSurgePercent,
  });
  const action = decideDeploy({
    reason: route.reason,
    inputs,
    live,
    asksForPrimary: asksForPrimary(live, prepared),
    liveMatches: liveMatches(live, prepared),
    completingCanary: canaryCompletingDeclared(live, prepared),
  });
  switch (action.kind) {
    case "rollbackToPrimary":
      return rollBackToPrimary(update, prepared);
    case "alreadyLive":
      await update.syncTags();
      return { outs: buildOutputs(inputs, live, deploymentRecord("succeeded", live.primary_version?.id, prepared)) };
    case "schedule":
      return scheduleFrom(update, prepared);
    case "awaitCompletingCanary":
      return finish(update, prepared, { kind: "canaryWeight", targetVersionId: action.canary.id, canaryPercent: 100 });
    case "apply": {
      const applied = await sendApply(update, action.intent, prepared);
      const expectation: DeployExpectation =
        action.intent === "create"
          ? { kind: "create", previousPrimaryVersionId: live.primary_version?.id, canaryPercent: 100, targetVersionId: applied.primary_version?.id !== live.primary_version?.id ? applied.primary_version?.id : undefined }
          : resumeOrRolloutExpectation(live, applied, route.canaryPercent ?? 100);
      return finish(update, prepared, expectation);
    }
  }
}

async function sendApply(update: Update, kind: ApplyIntent["kind"], prepared: PreparedDeploy): Promise<ServiceModel> {
  const applied = await update.apply(kind, prepared);
  registerSecret(applied.auth_token);
  return applied;
}

function finish(update: Update, prepared: PreparedDeploy, expectation: DeployExpectation) {
  return finishDeploy(update.context, update.id, update.inputs, update.news, prepared, expectation, update.timeoutMs, update.syncTags);
}

function scheduleFrom(update: Update, prepared: PreparedDeploy) {
  const { context, id, inputs, news, live, timeoutMs, syncTags, previousStatus } = update;
  return driveSchedule({ context, serviceId: id, inputs, props: news, prepared, before: live, timeoutMs, afterApply: syncTags, previousStatus });
}

async function moveCanary(update: Update, canary: ServiceVersionModel, percent: number) {
  const prepared = prepareCanaryWeight(update.name, update.inputs, update.live, canary, percent);
  await sendApply(update, "canaryWeight", prepared);
  return finish(update, prepared, { kind: "canaryWeight", targetVersionId: canary.id, canaryPercent: percent });
}

/** Declarative rollback: the program went back to what the primary runs while a canary is live. */
async function rollBackToPrimary(update: Update, prepared: PreparedDeploy): Promise<dynamic.UpdateResult> {
  const { context, id, name, inputs } = update;
  try {
    await update.syncTags();
    const rolledBack = await rollBackCanary(context, id, name, inputs.rollout?.maxSurgePercent, update.timeoutMs);
    return { outs: buildOutputs(inputs, rolledBack.observed, deploymentRecord("succeeded", rolledBack.result.primaryVersionId, prepared)) };
  } catch (error) {
    const message = `Service '${name}': rolling the canary back to the primary's config failed: ${(error as Error).message}`;
    const latest = await context.client.services.get(id).catch(() => undefined);
    throwInitFailure(id, failureOutputs(inputs, latest, deploymentRecord("failed", undefined, prepared, message), id), update.news, message);
  }
}
