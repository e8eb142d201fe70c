// create: resolve, refuse (or adopt) a live service of the same name — taking back, without
// adoptExisting, one an interrupted create of this resource left behind — then execute what
// decide.ts chooses (adopt, wait for our interrupted create, or apply) and settle.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { AnyscaleClient } from "../anyscale/client";
import type { ServiceModel } from "../anyscale/service-models";
import { throwInitFailure } from "../core/dynamic-support";
import { AnyscaleError } from "../core/errors";
import { classify } from "../core/write-once";
import { registerSecret } from "../core/redact";
import { timeoutMsFor } from "../core/timeouts";
import { decideAfterAmbiguousApply, intentFromBody } from "./apply-decision";
import { applyLookingFirst } from "./apply-once";
import { parseInputs, RESOURCE_TYPE, serviceName, type ServiceContext } from "./context";
import { prepareRollout, resolvePlacement, type PreparedDeploy } from "./deploy";
import { buildOutputs, failureOutputs } from "./outputs";
import { desiredTags, ownedBy } from "./ownership";
import { DEFAULT_WAIT_MS, type ServiceInputs } from "./schema";
import { decideCreate, heldPercent, refusesExisting } from "./decide";
import { liveMatches } from "./live-match";
import { confirmStillFree, ownerOf, settleCollision } from "./ownership-guard";
import { deploymentRecord, finishDeploy, rolloutExpectation } from "./settle";
import type { DeployExpectation } from "./wait-rules";

export async function createService(context: ServiceContext, props: Record<string, unknown>): Promise<dynamic.CreateResult> {
  const inputs = parseInputs(props);
  const name = serviceName(inputs);
  const anyscale = context.client;
  const placement = await resolvePlacement(anyscale, inputs);
  const existing = await anyscale.services.findByName(name, { projectId: placement.projectId });
  const live = existing && existing.current_state !== "TERMINATED" ? existing : undefined;
  const liveTags = live ? await anyscale.tags.list(RESOURCE_TYPE, live.id) : undefined;
  // Ours: an earlier create of this very resource applied, but the engine never recorded it.
  const ours = !!liveTags && ownedBy(liveTags, inputs.ownershipScope);
  if (live && refusesExisting({ inputs, live, ours })) {
    throw new AnyscaleError(
      `name: a service named '${name}' already exists in project ${placement.projectId} (id ${live.id}, state ${live.current_state}, ${ownerOf(liveTags, inputs.ownershipScope)}). ` +
        `Set adoptExisting: true to take it over, or choose another name.`,
    );
  }
  const tags = desiredTags(inputs.tags, inputs.ownershipScope, liveTags);
  const prepared = await prepareRollout(anyscale, name, inputs, placement, {
    rolloutStrategy: "ROLLOUT",
    // canary_percent is ignored by the platform for a new or terminated service; when adopting a live one it is honoured.
    canaryPercent: live ? heldPercent(inputs) : undefined,
    maxSurgePercent: inputs.rollout?.maxSurgePercent,
  });
  // The owner key goes with the apply, so a service never exists without it (the apply merges tags).
  prepared.body.tags = Object.keys(tags).length > 0 ? tags : undefined;
  const action = decideCreate({
    inputs,
    live,
    ours,
    liveMatches: !!live && liveMatches(live, prepared),
    interruptedCreateStillStarting: !!live && interruptedCreateStillStarting(live, prepared),
  });
  const timeoutMs = timeoutMsFor(inputs.timeouts, "create", DEFAULT_WAIT_MS);
  switch (action.kind) {
    case "adopt":
      await anyscale.tags.set(RESOURCE_TYPE, action.service.id, tags, liveTags);
      return { id: action.service.id, outs: buildOutputs(inputs, action.service, deploymentRecord("succeeded", action.service.primary_version?.id, prepared)) };
    case "awaitInterruptedCreate": {
      const service = action.service;
      registerSecret(service.auth_token);
      const expectation: DeployExpectation = { kind: "create", targetVersionId: service.primary_version?.id, canaryPercent: 100 };
      return finishDeploy(context, service.id, inputs, props, prepared, expectation, timeoutMs, () => anyscale.tags.set(RESOURCE_TYPE, service.id, tags, liveTags));
    }
    case "apply":
      return applyAndSettle(context, { inputs, props, prepared, projectId: placement.projectId, existing, live, liveTags, timeoutMs });
  }
}

/** A create, or a rollout onto the live service of the same name, then the wait. */
async function applyAndSettle(
  context: ServiceContext,
  request: { inputs: ServiceInputs; props: Record<string, unknown>; prepared: PreparedDeploy; projectId: string; existing?: ServiceModel; live?: ServiceModel; liveTags?: Record<string, string>; timeoutMs: number },
): Promise<dynamic.CreateResult> {
  const { inputs, props, prepared, existing, live, liveTags } = request;
  const anyscale = context.client;
  const name = serviceName(inputs);
  // Right before the apply (uploads and builds widen the window): the name is still free, or still ours.
  await confirmStillFree(anyscale, name, request.projectId, live, inputs.ownershipScope);
  const applied = await applyForCreate(anyscale, prepared, inputs, props, request.projectId, existing, live);
  // A racing stack's service under our apply: undo ours, name the owner, record nothing of theirs.
  await settleCollision(anyscale, applied, name, inputs.ownershipScope, !existing);
  registerSecret(applied.auth_token);
  const expectation: DeployExpectation = live
    ? rolloutExpectation(existing, applied, heldPercent(inputs) ?? 100)
    : { kind: "create", targetVersionId: existing ? undefined : applied.primary_version?.id, previousPrimaryVersionId: existing?.primary_version?.id, canaryPercent: 100 };
  // A reused (adopted or restarted) service may carry tags the inputs do not declare; a new one got them with the apply.
  const syncTags = existing ? () => anyscale.tags.set(RESOURCE_TYPE, applied.id, desiredTags(inputs.tags, inputs.ownershipScope, liveTags)) : undefined;
  return finishDeploy(context, applied.id, inputs, props, prepared, expectation, request.timeoutMs, syncTags);
}

/** The interrupted create's own version is still coming up (our service in any other state gets the declared config rolled out onto it). */
function interruptedCreateStillStarting(live: ServiceModel, prepared: PreparedDeploy): boolean {
  if (live.current_state !== "STARTING" || live.canary_version) return false;
  return decideAfterAmbiguousApply(intentFromBody("create", prepared.body, prepared.rayServeConfig), undefined, live).action === "continue";
}

/**
 * Applies, re-sending only when the live service shows the apply never took effect (apply-once.ts).
 * When the answer stays unclear but a service now exists, it is recorded (not orphaned) so the next
 * `pulumi up` converges it.
 */
async function applyForCreate(
  anyscale: AnyscaleClient,
  prepared: PreparedDeploy,
  inputs: ServiceInputs,
  props: Record<string, unknown>,
  projectId: string,
  before: ServiceModel | undefined,
  live: ServiceModel | undefined,
): Promise<ServiceModel> {
  const name = serviceName(inputs);
  // Adopting a live service is a rollout on it; a new or TERMINATED one is a create.
  const intent = intentFromBody(live ? "rollout" : "create", prepared.body, prepared.rayServeConfig);
  try {
    return await applyLookingFirst(anyscale, prepared.body, intent, { name, projectId, before });
  } catch (error) {
    if (classify(error) !== "ambiguous") throw error;
    const after = await anyscale.services.findByName(name, { projectId }).catch(() => undefined);
    const createdNow = after && (!before || (before.current_state === "TERMINATED" && after.current_state !== "TERMINATED"));
    if (!after || !createdNow) throw error;
    const message = `The apply request failed ambiguously (${(error as Error).message}) but service ${after.id} exists; recorded so the next update converges it.`;
    throwInitFailure(after.id, failureOutputs(inputs, after, deploymentRecord("failed", undefined, prepared, message), after.id), props, message);
  }
}
