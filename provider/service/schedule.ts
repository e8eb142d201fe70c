// Drives a scheduled rollout (rollout.steps): each step is the same canary-share apply as a held
// canary, waited for with the deploy rules and bounded by the progress deadline; each pause runs the
// health gate and the confirm webhook. A failed gate or deadline rolls the canary back through the
// platform's rollback call and fails the update saying where it stopped. Where to start is read from
// the platform (rollout-plan.ts), so a killed `pulumi up` resumes without a new version.
import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceModel } from "../anyscale/service-models";
import { throwInitFailure } from "../core/dynamic-support";
import { ResourceInitError, WaitError } from "../core/errors";
import { reportProgress } from "../core/progress";
import { registerSecret } from "../core/redact";
import { formatDuration, parseDurationMs } from "../core/timeouts";
import { waitFor } from "../core/waiter";
import { intentFromBody, versionMatches, type ApplyIntent } from "./apply-decision";
import { applyLookingFirst } from "./apply-once";
import { acquireRolloutLease } from "./rollout-lease";
import { serviceName, type ServiceContext } from "./context";
import { prepareCanaryWeight, type PreparedDeploy } from "./deploy";
import { buildOutputs, failureOutputs } from "./outputs";
import type { Baseline } from "./gate";
import { measureBaseline, runGate } from "./probe";
import { promoteRequested } from "./promote";
import { rejectionReason, rejectionRecord } from "./rejection";
import { rollBackCanary } from "./rollback";
import { actionAfter, describeStop, effectiveSteps, locateInSchedule, stepBudget, stepLabel, type ObservedRollout } from "./rollout-plan";
import { gateRecord, type GateRecord, type RolloutStatus } from "./rollout-status";
import type { ServiceInputs } from "./schema";
import { deploymentRecord, observeService, rolloutExpectation } from "./settle";
import { deployRules, describeService, type DeployExpectation } from "./wait-rules";
import { confirmWithWebhook } from "./webhook";

export interface ScheduleRequest {
  context: ServiceContext;
  serviceId: string;
  inputs: ServiceInputs;
  props: Record<string, unknown>;
  /** The config being rolled out (what the canary carries). */
  prepared: PreparedDeploy;
  /** The service as read before anything was sent. */
  before: ServiceModel;
  timeoutMs: number;
  /** Tag sync after the first apply. */
  afterApply?: () => Promise<void>;
  /** The last status recorded in state (its gate measurements carry over on resume). */
  previousStatus?: RolloutStatus;
}

/** What the platform shows of the version this schedule rolls out. */
export function observedRollout(service: ServiceModel, intent: ApplyIntent): ObservedRollout {
  const canary = service.canary_version;
  if (canary && versionMatches(canary, intent)) return { kind: "canary", weight: canary.weight ?? 0, targetWeight: canary.target_weight ?? undefined };
  if (!canary && versionMatches(service.primary_version, intent)) return { kind: "primary" };
  return { kind: "absent" };
}

/** Thrown inside the run to stop it with a message; `rollBack` says whether the canary must go. */
class StepFailure extends Error {
  constructor(
    message: string,
    readonly rollBack: boolean,
  ) {
    super(message);
  }
}

export async function driveSchedule(request: ScheduleRequest): Promise<{ id: string; outs: Record<string, unknown> }> {
  const { context, serviceId, inputs, props, prepared } = request;
  const anyscale = context.client;
  const name = serviceName(inputs);
  const declared = inputs.rollout!.steps!;
  const steps = effectiveSteps(declared);
  const check = inputs.rollout?.healthCheck;
  const deadlineMs = inputs.rollout?.progressDeadline ? parseDurationMs(inputs.rollout.progressDeadline) : undefined;
  const operationEnd = Date.now() + request.timeoutMs;
  const intent = intentFromBody("rollout", prepared.body, prepared.rayServeConfig);

  const lease = await acquireRolloutLease(anyscale, serviceId, name); // one driver per rollout (rollout-lease.ts)
  let service = request.before;
  let canaryId: string | undefined = service.canary_version && versionMatches(service.canary_version, intent) ? service.canary_version.id : undefined;
  let lastGate: GateRecord | null = request.previousStatus && request.previousStatus.versionId === canaryId ? request.previousStatus.lastGate : null;
  let status: RolloutStatus = { phase: "progressing", step: null, steps: steps.length, percent: 0, versionId: canaryId ?? null, stepStartedAt: null, lastGate };
  // The primary alone, measured before the canary takes traffic; on resume, what the last gate recorded of it.
  const recordedPrimary = lastGate?.primary;
  let baseline: Baseline | null = recordedPrimary ? { requests: recordedPrimary.requests, succeeded: Math.round(recordedPrimary.successRate * recordedPrimary.requests), latencies: [] } : null;
  // A pause released without a program change (ANYSCALE_PROMOTE): the held step moves on without re-judging.
  const previous = request.previousStatus;
  const releasedStep = previous?.phase === "paused" && previous.versionId === canaryId && promoteRequested(name) ? previous.step : null;

  const setStatus = (patch: Partial<RolloutStatus>) => {
    status = { ...status, ...patch, lastGate };
  };
  const succeed = (phase: RolloutStatus["phase"]) => {
    setStatus({ phase });
    const versionId = phase === "completed" ? service.primary_version?.id : canaryId;
    return { id: serviceId, outs: { ...buildOutputs(inputs, service, deploymentRecord("succeeded", versionId, prepared)), rolloutStatus: status } };
  };

  /** Waits until step `index` is RUNNING at its share; the progress deadline turns a stall into a rollback. */
  const reach = async (expectation: DeployExpectation, index: number) => {
    const budget = stepBudget(deadlineMs, operationEnd - Date.now());
    try {
      const outcome = await waitFor({
        description: `service '${name}' to reach ${stepLabel(declared, index)}`,
        observe: () => observeService(anyscale, serviceId),
        rules: deployRules(expectation),
        timeoutMs: budget.timeoutMs,
        schedule: context.pollSchedule,
        describe: describeService,
      });
      service = outcome.observed;
      return outcome.result.targetVersionId;
    } catch (error) {
      if (error instanceof WaitError && error.outcome === "timeout" && budget.onTimeout === "progressDeadline") {
        const last = error.lastObserved as ServiceModel | undefined;
        if (last) service = last;
        const canary = last?.canary_version && (canaryId === undefined || last.canary_version.id === canaryId) ? last.canary_version : undefined;
        throw new StepFailure(`${stepLabel(declared, index)}: ${describeStop(steps[index].percent, canary, deadlineMs!)}`, true);
      }
      throw error;
    }
  };

  /** The same call as moving a held canary: its own config with a new canary_percent. */
  const moveTo = async (index: number) => {
    const percent = steps[index].percent;
    await lease.confirm();
    service = await observeService(anyscale, serviceId);
    const canary = service.canary_version;
    if (!canary || canary.id !== canaryId) {
      throw new StepFailure(`${stepLabel(declared, index)}: the canary is no longer live (the platform rolled it back?); ${describeService(service)}`, false);
    }
    const heading = canary.target_weight ?? canary.weight;
    if (heading !== percent || percent === 100) {
      const move = prepareCanaryWeight(name, inputs, service, canary, percent);
      const applied = await applyLookingFirst(anyscale, move.body, intentFromBody("canaryWeight", move.body, move.rayServeConfig), { name, projectId: service.project_id, before: service });
      registerSecret(applied.auth_token);
    }
    setStatus({ step: index + 1, percent, stepStartedAt: null });
    await reach({ kind: "canaryWeight", targetVersionId: canaryId, canaryPercent: percent }, index);
  };

  try {
    const position = locateInSchedule(declared, observedRollout(service, intent));
    if (position.kind === "complete") {
      await request.afterApply?.();
      return succeed("completed");
    }
    let index: number;
    if (position.kind === "start") {
      index = 0;
      if (check && service.base_url && !(service.canary_version && (service.canary_version.weight ?? 0) > 0)) {
        baseline = await measureBaseline({ queryUrl: service.base_url, token: service.auth_token ?? null }, check, stepLabel(declared, 0));
      }
      const percent = steps[0].percent;
      const body = { ...prepared.body, canary_percent: percent < 100 ? percent : undefined };
      const applied = await applyLookingFirst(anyscale, body, intentFromBody("rollout", body, prepared.rayServeConfig), { name, projectId: service.project_id, before: service });
      registerSecret(applied.auth_token);
      await request.afterApply?.();
      setStatus({ step: 1, percent });
      const expectation = rolloutExpectation(service, applied, percent);
      canaryId = expectation.targetVersionId;
      canaryId = await reach(expectation, 0);
      setStatus({ versionId: canaryId });
    } else {
      index = position.index;
      await request.afterApply?.();
      reportProgress(`resuming ${stepLabel(declared, index)} of the rollout of version ${canaryId}`);
      await moveTo(index);
    }

    for (;;) {
      const percent = steps[index].percent;
      const label = `canary ${percent}% (step ${index + 1} of ${steps.length})`;
      const stepStarted = new Date();
      setStatus({ step: index + 1, percent, stepStartedAt: stepStarted.toISOString() });
      reportProgress(label);
      const action = actionAfter(declared, index);
      if (action.kind === "done") return succeed("completed");
      const pauseMs = action.kind === "advance" ? action.pauseMs : 0;

      const released = releasedStep === index + 1;
      if (released) reportProgress(`${label}: pause released (ANYSCALE_PROMOTE)`);
      if (check && !released) {
        const target = { queryUrl: service.base_url ?? "", token: service.auth_token ?? null };
        if (!target.queryUrl) throw new StepFailure(`${stepLabel(declared, index)}: the service has no query URL to probe`, true);
        const decision = await runGate(target, check, pauseMs, label, percent, baseline);
        lastGate = gateRecord(index + 1, percent, decision, new Date());
        if (decision.kind === "fail") throw new StepFailure(`step ${index + 1} (${percent}%): ${decision.reason}`, true);
        if (decision.kind === "hold") {
          const message = `step ${index + 1} (${percent}%): ${decision.reason}; held for a person: release with ANYSCALE_PROMOTE=${name} pulumi up, or change the program`;
          reportProgress(`${label}: inconclusive gate, held`);
          setStatus({ message });
          return succeed("paused");
        }
      }
      const left = stepStarted.getTime() + pauseMs - Date.now();
      if (left > 0) {
        reportProgress(`${label}, pausing ${formatDuration(left)}`);
        await sleep(left);
      }
      // Judge the outcome, not the clock: the canary must still be ours at this share after the pause.
      service = await observeService(anyscale, serviceId);
      if (service.canary_version?.id !== canaryId) {
        throw new StepFailure(`${stepLabel(declared, index)}: the canary left during the pause (the platform rolled it back?); ${describeService(service)}`, false);
      }
      if (check?.webhookUrl) {
        const payload = { service: name, serviceId, versionId: canaryId, step: index + 1, steps: steps.length, percent, gate: lastGate };
        const budget = stepBudget(deadlineMs, operationEnd - Date.now());
        try {
          const confirmed = await confirmWithWebhook(check.webhookUrl, payload, budget.timeoutMs, context.pollSchedule, stepLabel(declared, index));
          if (lastGate) lastGate = { ...lastGate, webhookStatus: confirmed.result };
        } catch (error) {
          if (!(error instanceof WaitError)) throw error;
          throw new StepFailure(`step ${index + 1} (${percent}%): the confirm webhook did not answer 2xx within ${formatDuration(budget.timeoutMs)} (last: ${(error.lastObserved as { status: number | null } | undefined)?.status ?? "no answer"})`, true);
        }
      }
      if (action.kind === "hold" && !released) {
        reportProgress(`${label}: held at a manual pause; change the program to continue`);
        return succeed("paused");
      }
      index = action.kind === "hold" ? index + 1 : action.next;
      await moveTo(index);
    }
  } catch (error) {
    if (error instanceof ResourceInitError) throw error;
    let message: string;
    let rollBack: boolean;
    if (error instanceof StepFailure) {
      message = error.message;
      rollBack = error.rollBack;
    } else if (error instanceof WaitError) {
      message = error.message;
      if (error.lastObserved) service = error.lastObserved as ServiceModel;
      rollBack = !!inputs.rollout?.autoRollback && !/rolled back|reverted/.test(message);
    } else {
      message = `Service '${name}' was deployed, but ${(error as Error).message}`;
      rollBack = false;
    }
    let phase: RolloutStatus["phase"] = "failed";
    const latest = await anyscale.services.get(serviceId).catch(() => undefined);
    if (latest) service = latest;
    const ours = service.canary_version && (canaryId !== undefined ? service.canary_version.id === canaryId : versionMatches(service.canary_version, intent));
    const rejectedName = ours ? (service.canary_version?.version ?? null) : null;
    if (rollBack && ours) {
      try {
        const rolledBack = await rollBackCanary(context, serviceId, name, inputs.rollout?.maxSurgePercent, Math.max(operationEnd - Date.now(), 60_000));
        service = rolledBack.observed;
        phase = "rolledBack";
        message = `${message}. Rolled back: ${rolledBack.summary}.`;
      } catch (rollbackError) {
        message = `${message}. The rollback failed: ${(rollbackError as Error).message}`;
      }
    }
    setStatus({ phase, message });
    if (phase === "rolledBack") {
      const version = { id: canaryId ?? null, name: rejectedName ?? (typeof prepared.body.version === "string" ? prepared.body.version : null) };
      status = { ...status, rejected: rejectionRecord(inputs, version, { step: status.step, percent: status.percent }, rejectionReason(message), new Date()) };
    }
    const outputs = { ...failureOutputs(inputs, service, deploymentRecord("failed", undefined, prepared, message), serviceId), rolloutStatus: status };
    throwInitFailure(serviceId, outputs, props, message);
  } finally {
    await lease.release();
  }
}
