// Pure rules for judging a service while a deploy settles, and while it terminates. They are
// replayed over recorded state sequences in the unit tests.
import { jsonEqual } from "../core/dynamic-support";
import type { WaitDecision, WaitRules } from "../core/waiter";
import { normalizeServiceState, type ServiceModel, type ServiceVersionModel } from "../anyscale/service-models";

export type DeployKind = "create" | "rollout" | "inPlace" | "canaryWeight";

export interface DeployExpectation {
  kind: DeployKind;
  /** The version this deploy created, when the apply response already showed it. */
  targetVersionId?: string;
  /** The primary version before the deploy: a version with this id is never the new one (except in place). */
  previousPrimaryVersionId?: string;
  /** Held canary share; 100 means the new version must become primary. */
  canaryPercent: number;
  /** In place: the Serve config sent, recognised on the primary version once the platform took it. */
  expectedRayServeConfig?: Record<string, unknown>;
}

export interface DeployMemory {
  targetVersionId?: string;
  /** The target was seen among the live versions (so its disappearance means a rollback). */
  seenTarget: boolean;
  /** In place: a non-RUNNING state was seen after the apply (the platform started the update). */
  seenActivity: boolean;
  /** Consecutive polls where an already-known target id was missing (one could be a stale read). */
  absentPolls: number;
}

/** A target known from the apply response but missing this many polls in a row has been rolled back. */
export const ABSENT_POLLS_FOR_ROLLBACK = 3;

export interface DeployResult {
  targetVersionId: string;
  /** The platform itself rolled back: the outcome is a failure, reported with the service's error. */
  rolledBack?: false;
}

const FAILED_STATES = new Set(["SYSTEM_FAILURE", "USER_ERROR_FAILURE"]);
const TERMINAL_STATES = new Set(["TERMINATING", "TERMINATED"]);

export function describeService(service: ServiceModel): string {
  const parts = [`state ${service.current_state}`];
  if (service.primary_version) parts.push(`primary ${versionLabel(service.primary_version)}`);
  if (service.canary_version) parts.push(`canary ${versionLabel(service.canary_version)}`);
  if (service.error_message) parts.push(`error: ${service.error_message}`);
  return parts.join(", ");
}

export function versionLabel(version: ServiceVersionModel): string {
  const name = version.version ?? version.id.slice(-8);
  return `${name} (${version.current_state}, ${version.weight ?? "?"}%)`;
}

function errorSuffix(service: ServiceModel): string {
  return service.error_message ? `: ${service.error_message}` : " (the service reports no error message)";
}

/** Finds the deployed version: by id once known, else the first version that is not the old primary. */
function locateTarget(service: ServiceModel, expectation: DeployExpectation, memory: DeployMemory): ServiceVersionModel | undefined {
  const live = [service.canary_version, service.primary_version].filter((version): version is ServiceVersionModel => !!version);
  const knownId = memory.targetVersionId ?? expectation.targetVersionId;
  if (knownId) return live.find((version) => version.id === knownId);
  if (expectation.kind === "inPlace" || expectation.kind === "canaryWeight") return undefined;
  return live.find((version) => version.id !== expectation.previousPrimaryVersionId);
}

export function deployRules(expectation: DeployExpectation): WaitRules<ServiceModel, DeployMemory, DeployResult> {
  return {
    initialMemory: { targetVersionId: expectation.targetVersionId, seenTarget: false, seenActivity: false, absentPolls: 0 },
    decide(service, memory) {
      const state = normalizeServiceState(service.current_state);
      if (expectation.kind === "inPlace") return decideInPlace(service, state, expectation, memory);
      const target = locateTarget(service, expectation, memory);
      const next: DeployMemory = {
        ...memory,
        targetVersionId: target?.id ?? memory.targetVersionId,
        seenTarget: memory.seenTarget || !!target,
        absentPolls: target ? 0 : memory.absentPolls + 1,
      };
      const decide = (decision: WaitDecision<DeployResult>) => ({ decision, memory: next });

      if (FAILED_STATES.has(state)) return decide({ kind: "failure", reason: `the service is ${state}${errorSuffix(service)}` });
      if (TERMINAL_STATES.has(state)) return decide({ kind: "failure", reason: `the service is ${state} (terminated while deploying)` });

      if (!target) {
        const knownButGone = next.targetVersionId !== undefined && next.absentPolls >= ABSENT_POLLS_FOR_ROLLBACK;
        if ((next.seenTarget || knownButGone) && state !== "ROLLING_BACK") {
          const primary = service.primary_version ? versionLabel(service.primary_version) : "none";
          return decide({ kind: "failure", reason: `the platform rolled back to ${primary}${errorSuffix(service)}` });
        }
        // Never judge from the old version's RUNNING: the new version has not shown up yet.
        return decide({ kind: "retry", progress: `${state}: waiting for the new version to appear` });
      }

      const isPrimary = service.primary_version?.id === target.id;
      const isCanary = service.canary_version?.id === target.id;
      if (state === "ROLLING_BACK" && isCanary) {
        return decide({ kind: "retry", progress: `ROLLING_BACK: the platform is rolling back ${versionLabel(target)}${errorSuffix(service)}` });
      }
      const targetRunning = normalizeServiceState(target.current_state) === "RUNNING";
      const wantsFull = expectation.kind === "create" || expectation.canaryPercent >= 100;
      if (isPrimary && !service.canary_version && targetRunning && state === "RUNNING") {
        return decide({ kind: "success", result: { targetVersionId: target.id }, summary: `version ${versionLabel(target)} is primary and RUNNING` });
      }
      if (!wantsFull && isCanary && targetRunning && (target.weight ?? -1) === expectation.canaryPercent && state !== "UNHEALTHY") {
        return decide({
          kind: "success",
          result: { targetVersionId: target.id },
          summary: `canary ${versionLabel(target)} held at ${expectation.canaryPercent}%`,
        });
      }
      const goal = wantsFull ? "100%" : `${expectation.canaryPercent}%`;
      return decide({ kind: "retry", progress: `${state}: ${isCanary ? "canary" : "version"} ${versionLabel(target)} heading to ${goal}` });
    },
  };
}

function decideInPlace(service: ServiceModel, state: string, expectation: DeployExpectation, memory: DeployMemory) {
  const primaryNow = service.primary_version;
  const takenNow =
    !!primaryNow && (expectation.expectedRayServeConfig === undefined || jsonEqual(primaryNow.ray_serve_config ?? {}, expectation.expectedRayServeConfig));
  // Polls in a row showing a settled RUNNING service without the new config: the update was refused or reverted
  // before we saw it run (one such poll could simply be too early).
  const settledWithoutIt = state === "RUNNING" && !takenNow;
  const next: DeployMemory = { ...memory, seenActivity: memory.seenActivity || state !== "RUNNING", absentPolls: settledWithoutIt ? memory.absentPolls + 1 : 0 };
  const decide = (decision: WaitDecision<DeployResult>) => ({ decision, memory: next });
  if (FAILED_STATES.has(state)) return decide({ kind: "failure", reason: `the service is ${state}${errorSuffix(service)}` });
  if (TERMINAL_STATES.has(state)) return decide({ kind: "failure", reason: `the service is ${state} (terminated while updating)` });
  const primary = service.primary_version;
  if (!primary) return decide({ kind: "retry", progress: `${state}: no primary version yet` });
  const configTaken =
    expectation.expectedRayServeConfig === undefined || jsonEqual(primary.ray_serve_config ?? {}, expectation.expectedRayServeConfig);
  if (!configTaken && state === "RUNNING" && (next.seenActivity || next.absentPolls >= ABSENT_POLLS_FOR_ROLLBACK)) {
    // The update ran and the primary no longer carries the new config: the platform reverted it.
    return decide({ kind: "failure", reason: `the platform reverted the in-place update${errorSuffix(service)}` });
  }
  if (configTaken && state === "RUNNING" && normalizeServiceState(primary.current_state) === "RUNNING" && !service.canary_version) {
    return decide({ kind: "success", result: { targetVersionId: primary.id }, summary: `in-place update applied to ${versionLabel(primary)}` });
  }
  return decide({ kind: "retry", progress: `${state}: in-place update of ${versionLabel(primary)}` });
}

/** After our own rollback call: done when no canary remains and the service RUNNING again. */
export function rollbackRules(): WaitRules<ServiceModel, undefined, { primaryVersionId: string }> {
  return {
    initialMemory: undefined,
    decide(service) {
      const state = normalizeServiceState(service.current_state);
      if (FAILED_STATES.has(state) || TERMINAL_STATES.has(state)) {
        return { decision: { kind: "failure", reason: `the service is ${state}${errorSuffix(service)}` }, memory: undefined };
      }
      if (!service.canary_version && state === "RUNNING" && service.primary_version) {
        return {
          decision: { kind: "success", result: { primaryVersionId: service.primary_version.id }, summary: `rolled back to ${versionLabel(service.primary_version)}` },
          memory: undefined,
        };
      }
      return { decision: { kind: "retry", progress: `${state}: rolling back` }, memory: undefined };
    },
  };
}

/** Deletion: done at TERMINATED, or when the service is gone (undefined = 404). */
export function terminationRules(): WaitRules<ServiceModel | undefined, undefined, "terminated" | "gone"> {
  return {
    initialMemory: undefined,
    decide(service) {
      if (!service) return { decision: { kind: "success", result: "gone", summary: "the service is gone" }, memory: undefined };
      const state = normalizeServiceState(service.current_state);
      if (state === "TERMINATED") return { decision: { kind: "success", result: "terminated", summary: "the service is TERMINATED" }, memory: undefined };
      return { decision: { kind: "retry", progress: `${state}: terminating` }, memory: undefined };
    },
  };
}
