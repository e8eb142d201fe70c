// create: resolve, refuse (or adopt) a live service of the same name, deploy, and settle.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { AnyscaleClient } from "../anyscale/client";
import type { ServiceModel } from "../anyscale/models";
import { throwInitFailure } from "../core/dynamic-support";
import { AnyscaleConnectionError, AnyscaleError, AnyscaleTimeoutError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { timeoutMsFor } from "../core/timeouts";
import { parseInputs, RESOURCE_TYPE, serviceName, type ServiceContext } from "./context";
import { prepareRollout, resolvePlacement, type PreparedDeploy } from "./deploy";
import { buildOutputs, failureOutputs } from "./outputs";
import { DEFAULT_WAIT_MS, withDefaults, type ServiceInputs } from "./schema";
import { deploymentRecord, finishDeploy, heldPercent, liveMatches, rolloutExpectation } from "./settle";
import type { DeployExpectation } from "./wait-rules";

export async function createService(context: ServiceContext, props: Record<string, unknown>): Promise<dynamic.CreateResult> {
  const inputs = parseInputs(props);
  const name = serviceName(inputs);
  const anyscale = context.client;
  const placement = await resolvePlacement(anyscale, inputs);
  const existing = await anyscale.findServiceByName(name, { projectId: placement.projectId });
  const live = existing && existing.current_state !== "TERMINATED" ? existing : undefined;
  if (live && !withDefaults(inputs).adoptExisting) {
    throw new AnyscaleError(
      `name: a service named '${name}' already exists in project ${placement.projectId} (id ${live.id}, state ${live.current_state}). ` +
        `Set adoptExisting: true to take it over, or choose another name.`,
    );
  }
  const prepared = await prepareRollout(anyscale, name, inputs, placement, {
    rolloutStrategy: "ROLLOUT",
    // canary_percent is ignored by the platform for a new or terminated service; when adopting a live one it is honoured.
    canaryPercent: live ? heldPercent(inputs) : undefined,
    maxSurgePercent: inputs.rollout?.maxSurgePercent,
  });
  if (live && liveMatches(live, prepared)) {
    await anyscale.setTags(RESOURCE_TYPE, live.id, inputs.tags ?? {});
    return { id: live.id, outs: buildOutputs(inputs, live, deploymentRecord("succeeded", live.primary_version?.id, prepared)) };
  }
  const applied = await applyForCreate(anyscale, prepared, inputs, props, placement.projectId, existing);
  registerSecret(applied.auth_token);
  const expectation: DeployExpectation = live
    ? rolloutExpectation(existing, applied, heldPercent(inputs) ?? 100)
    : { kind: "create", targetVersionId: existing ? undefined : applied.primary_version?.id, previousPrimaryVersionId: existing?.primary_version?.id, canaryPercent: 100 };
  // A reused (adopted or restarted) service may carry tags the inputs do not declare; a new one got them with the apply.
  const syncTags = existing ? () => anyscale.setTags(RESOURCE_TYPE, applied.id, inputs.tags ?? {}) : undefined;
  return finishDeploy(context, applied.id, inputs, props, prepared, expectation, timeoutMsFor(inputs.timeouts, "create", DEFAULT_WAIT_MS), syncTags);
}

/**
 * The apply is never re-sent on an ambiguous failure (a second apply could start another version). If the
 * request may have reached the platform, look: a service that now exists is recorded (not orphaned) and
 * the next `pulumi up` converges it.
 */
async function applyForCreate(
  anyscale: AnyscaleClient,
  prepared: PreparedDeploy,
  inputs: ServiceInputs,
  props: Record<string, unknown>,
  projectId: string,
  before: ServiceModel | undefined,
): Promise<ServiceModel> {
  try {
    return await anyscale.applyService(prepared.body);
  } catch (error) {
    if (!mayHaveReachedServer(error)) throw error;
    const after = await anyscale.findServiceByName(serviceName(inputs), { projectId }).catch(() => undefined);
    const createdNow = after && (!before || (before.current_state === "TERMINATED" && after.current_state !== "TERMINATED"));
    if (!after || !createdNow) throw error;
    const message = `The apply request failed ambiguously (${(error as Error).message}) but service ${after.id} exists; recorded so the next update converges it.`;
    throwInitFailure(after.id, failureOutputs(inputs, after, deploymentRecord("failed", undefined, prepared, message), after.id), props, message);
  }
}

function mayHaveReachedServer(error: unknown): boolean {
  if (error instanceof AnyscaleTimeoutError) return true;
  if (error instanceof AnyscaleConnectionError) return !["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"].includes(error.code ?? "");
  const status = (error as { status?: number }).status;
  return typeof status === "number" && status >= 500;
}
