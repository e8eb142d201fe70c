// Settling a deploy: what to wait for, waiting for it, and judging the outcome — recording a failed
// service instead of orphaning it, and rolling a failed canary back when asked.
import type { ServiceModel } from "../anyscale/service-models";
import { throwInitFailure } from "../core/dynamic-support";
import { AnyscaleError, WaitError } from "../core/errors";
import { registerSecret } from "../core/redact";
import { waitFor } from "../core/waiter";
import type { AnyscaleClient } from "../anyscale/client";
import { nextService } from "../anyscale/watch";
import { serviceName, type ServiceContext } from "./context";
import type { PreparedDeploy } from "./deploy";
import { buildOutputs, digestRayServeConfig, failureOutputs, type DeploymentRecord } from "./outputs";
import type { ServiceInputs } from "./schema";
import { deployRules, describeService, rollbackRules, type DeployExpectation } from "./wait-rules";

const ROLLBACK_WAIT_MS = 10 * 60_000;

export function rolloutExpectation(before: ServiceModel | undefined, applied: ServiceModel, canaryPercent: number): DeployExpectation {
  const previousPrimary = before?.primary_version?.id;
  const candidates = [applied.canary_version, applied.primary_version];
  const target = candidates.find((version) => version && version.id !== previousPrimary && version.id !== before?.canary_version?.id);
  return { kind: "rollout", targetVersionId: target?.id, previousPrimaryVersionId: previousPrimary, canaryPercent };
}

export function deploymentRecord(status: DeploymentRecord["status"], versionId: string | undefined, prepared: PreparedDeploy, message?: string): DeploymentRecord {
  return {
    status,
    versionId,
    buildId: prepared.ids.buildId,
    computeConfigId: prepared.ids.computeConfigId,
    rayServeConfigDigest: digestRayServeConfig(prepared.rayServeConfig),
    ...(message ? { message } : {}),
  };
}

/**
 * Waits for the deploy to settle and judges the outcome. On failure or timeout the service is never
 * orphaned: the error carries its id (create-but-failed-to-initialize), so the engine records it and
 * the next `pulumi up` continues from there. With rollout.autoRollback, a failed canary is rolled back first.
 */
export async function finishDeploy(
  context: ServiceContext,
  serviceId: string,
  inputs: ServiceInputs,
  props: Record<string, unknown>,
  prepared: PreparedDeploy,
  expectation: DeployExpectation,
  timeoutMs: number,
  /** Follow-up calls after the apply (tag sync): their failure must not orphan the service either. */
  afterApply?: () => Promise<void>,
): Promise<{ id: string; outs: Record<string, unknown> }> {
  const anyscale = context.client;
  const pollSchedule = context.pollSchedule;
  const name = serviceName(inputs);
  try {
    await afterApply?.();
    const outcome = await waitFor({
      description: `service '${name}' to ${expectation.canaryPercent < 100 ? `hold its canary at ${expectation.canaryPercent}%` : "finish deploying"}`,
      observe: () => observeService(anyscale, serviceId),
      rules: deployRules(expectation),
      timeoutMs,
      schedule: pollSchedule,
      describe: describeService,
    });
    return { id: serviceId, outs: buildOutputs(inputs, outcome.observed, deploymentRecord("succeeded", outcome.result.targetVersionId, prepared)) };
  } catch (error) {
    // Whatever went wrong after the apply, the service exists: record it with the reason.
    if (!(error instanceof WaitError)) {
      const message = `Service '${name}' was deployed, but ${(error as Error).message}`;
      throwInitFailure(serviceId, failureOutputs(inputs, undefined, deploymentRecord("failed", undefined, prepared, message), serviceId), props, message);
    }
    const { last, message } = await autoRollback(context, serviceId, inputs, error.lastObserved as ServiceModel | undefined, error.message, timeoutMs);
    const latest = last ?? (await anyscale.services.get(serviceId).catch(() => undefined));
    throwInitFailure(serviceId, failureOutputs(inputs, latest, deploymentRecord("failed", undefined, prepared, message), serviceId), props, message);
  }
}

/** With rollout.autoRollback, a failed canary (the platform did not already revert it) is rolled back before the failure is reported. */
async function autoRollback(context: ServiceContext, serviceId: string, inputs: ServiceInputs, last: ServiceModel | undefined, message: string, timeoutMs: number): Promise<{ last: ServiceModel | undefined; message: string }> {
  const platformRolledBack = /rolled back|reverted/.test(message);
  if (!inputs.rollout?.autoRollback || platformRolledBack || !last?.canary_version) return { last, message };
  try {
    await context.client.services.rollback(serviceId, inputs.rollout.maxSurgePercent);
    const rolledBack = await waitFor({
      description: `service '${serviceName(inputs)}' to roll back`,
      observe: () => observeService(context.client, serviceId),
      rules: rollbackRules(),
      // The rollback gets its own budget: the deploy's may be exactly what ran out.
      timeoutMs: Math.max(timeoutMs, ROLLBACK_WAIT_MS),
      schedule: context.pollSchedule,
      describe: describeService,
    });
    return { last: rolledBack.observed, message: `${message} autoRollback: ${rolledBack.summary}.` };
  } catch (rollbackError) {
    return { last, message: `${message} autoRollback failed: ${(rollbackError as Error).message}` };
  }
}

export async function observeService(anyscale: AnyscaleClient, serviceId: string): Promise<ServiceModel> {
  const service = await nextService(anyscale, serviceId);
  if (!service) throw new AnyscaleError(`Service ${serviceId} disappeared while waiting for it (GET /api/v2/services-v2/${serviceId} returned 404).`);
  registerSecret(service.auth_token);
  return service;
}

/** A re-apply of the config already rolling out moves that same canary: the target is the live canary. */
export function resumeOrRolloutExpectation(before: ServiceModel, applied: ServiceModel, canaryPercent: number): DeployExpectation {
  if (before.canary_version && applied.canary_version?.id === before.canary_version.id) {
    return { kind: "canaryWeight", targetVersionId: before.canary_version.id, canaryPercent };
  }
  return rolloutExpectation(before, applied, canaryPercent);
}
