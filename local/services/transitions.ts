import { primaryOf, versionById, type Phase, type ServiceRecord, type VersionRecord } from "./model";
import { CANARY_STEPS, iso, pushEvent, retireVersion, setState, setWeights, type LifecycleContext, type Timings } from "./record-ops";
import type { Readiness } from "./runtime";

// Timed transitions of the service state machine: pure, driven by `now` and each phase's persisted dueAt.

/** Applies every transition due by `now` (several at once after a restart or a slow timer). */
export function advance(existing: ServiceRecord, ctx: LifecycleContext): { service: ServiceRecord; changed: boolean } {
  if (!existing.phase || existing.phase.dueAt > ctx.now) return { service: existing, changed: false };
  const service = structuredClone(existing);
  let guard = 0;
  while (service.phase && service.phase.dueAt <= ctx.now && guard++ < 100) {
    step(service, service.phase, ctx);
  }
  return { service, changed: true };
}

function step(service: ServiceRecord, phase: Phase, ctx: LifecycleContext): void {
  const at = phase.dueAt;
  const timings = ctx.timings;
  switch (phase.kind) {
    case "starting": {
      const version = versionById(service, phase.versionId)!;
      if (version.fault === "fail_start") {
        failFirstVersion(service, version, at, "the Ray Serve application did not become healthy.");
        return;
      }
      const readiness = startReadiness(service, version, ctx);
      if (readiness.kind === "pending") {
        service.phase = { ...phase, dueAt: Math.max(at, ctx.now) + ctx.readiness!.pollMs };
        return;
      }
      if (readiness.kind === "failed") {
        failFirstVersion(service, version, at, readiness.message);
        return;
      }
      version.state = "RUNNING";
      setState(service, "RUNNING");
      pushEvent(service, at, "RUNNING", "INFO", `Version '${version.version}' is running.`, version);
      service.phase = version.fault === "unhealthy" ? { kind: "unhealthy_check", versionId: version.id, dueAt: at + timings.rolloutStepMs } : null;
      return;
    }
    case "unhealthy_check": {
      const version = versionById(service, phase.versionId)!;
      version.state = "UNHEALTHY";
      setState(service, "UNHEALTHY");
      service.errorMessage = `Version '${version.version}' became unhealthy: health checks are failing.`;
      service.phase = null;
      pushEvent(service, at, "UNHEALTHY", "ERROR", service.errorMessage, version);
      return;
    }
    case "canary_starting": {
      const canary = versionById(service, phase.versionId)!;
      if (canary.fault === "fail_start") {
        canary.state = "SYSTEM_FAILURE";
        beginAutoRollback(service, canary, at, timings, `Version '${canary.version}' failed to start; rolled back to version '${primaryOf(service).version}'.`);
        return;
      }
      if (canary.fault === "stuck") {
        // Never becomes ready and never fails: only a rollback (or a new rollout) ends it.
        service.phase = null;
        pushEvent(service, at, "ROLLOUT_UPDATED", "WARNING", `Canary version '${canary.version}' is still starting: its replicas are not ready.`, canary);
        return;
      }
      const readiness = startReadiness(service, canary, ctx);
      if (readiness.kind === "pending") {
        service.phase = { ...phase, dueAt: Math.max(at, ctx.now) + ctx.readiness!.pollMs };
        return;
      }
      if (readiness.kind === "failed") {
        canary.state = "SYSTEM_FAILURE";
        beginAutoRollback(service, canary, at, timings, `Version '${canary.version}' failed to start: ${readiness.message} Rolled back to version '${primaryOf(service).version}'.`);
        return;
      }
      canary.state = "RUNNING";
      pushEvent(service, at, "ROLLOUT_UPDATED", "INFO", `Canary version '${canary.version}' is running; shifting traffic.`, canary);
      service.phase = canary.weight < canary.targetWeight || canary.targetWeight === 100 ? { kind: "canary_step", versionId: canary.id, dueAt: at + timings.rolloutStepMs } : null;
      return;
    }
    case "canary_step": {
      const canary = versionById(service, phase.versionId)!;
      if (canary.fault === "unhealthy" && canary.weight > 0) {
        canary.state = "UNHEALTHY";
        beginAutoRollback(service, canary, at, timings, `Version '${canary.version}' became unhealthy during the rollout; rolled back to version '${primaryOf(service).version}'.`);
        return;
      }
      // The runtime's word between steps: a canary whose applications turned unhealthy goes back.
      const health = ctx.readiness?.of(service, canary);
      if (health?.kind === "unhealthy" || health?.kind === "failed") {
        canary.state = "UNHEALTHY";
        beginAutoRollback(service, canary, at, timings, `Version '${canary.version}' became unhealthy during the rollout: ${health.message} Rolled back to version '${primaryOf(service).version}'.`);
        return;
      }
      const next = nextWeight(canary.weight, canary.targetWeight);
      setWeights(service, canary, next);
      if (next === 100 && canary.targetWeight === 100 && service.autoCompleteRollout) {
        promoteCanary(service, canary, at);
        return;
      }
      service.phase = next < canary.targetWeight ? { kind: "canary_step", versionId: canary.id, dueAt: at + timings.rolloutStepMs } : null;
      pushEvent(service, at, "ROLLOUT_UPDATED", "INFO", `Canary version '${canary.version}' at ${next}% of traffic.`, canary);
      return;
    }
    case "rolling_back":
      finishRollback(service, phase.versionId, at, phase.reason);
      return;
    case "updating": {
      const version = versionById(service, phase.versionId)!;
      const since = phase.since ?? at - timings.startupMs;
      const readiness = version.fault ? undefined : startReadiness(service, version, ctx, since);
      if (readiness?.kind === "pending") {
        service.phase = { ...phase, since, dueAt: Math.max(at, ctx.now) + ctx.readiness!.pollMs };
        return;
      }
      if (version.fault || readiness?.kind === "failed") {
        version.version = phase.previous.version;
        version.rayServeConfig = phase.previous.rayServeConfig;
        version.envVars = phase.previous.envVars;
        version.fault = null;
        version.state = "RUNNING";
        setState(service, "RUNNING");
        service.errorMessage = `The in-place update failed${readiness?.kind === "failed" ? `: ${readiness.message}` : ""}; the previous Ray Serve configuration was restored.`;
        pushEvent(service, at, "ROLLBACK_INITIATED", "ERROR", service.errorMessage, version);
      } else {
        version.state = "RUNNING";
        setState(service, "RUNNING");
        pushEvent(service, at, "RUNNING", "INFO", `In-place update of version '${version.version}' completed.`, version);
      }
      service.phase = null;
      return;
    }
    case "terminating": {
      for (const v of service.versions) {
        if (v.state !== "TERMINATED") {
          v.state = "TERMINATED";
          v.weight = 0;
          v.targetWeight = 0;
        }
      }
      service.canaryVersionId = null;
      setState(service, "TERMINATED");
      service.endedAt = iso(at);
      service.phase = null;
      pushEvent(service, at, "TERMINATED", "INFO", `Service '${service.name}' terminated.`, null);
      return;
    }
  }
}

function failFirstVersion(service: ServiceRecord, version: VersionRecord, at: number, reason: string): void {
  version.state = "SYSTEM_FAILURE";
  setState(service, "USER_ERROR_FAILURE");
  service.errorMessage = `Version '${version.version}' failed to start: ${reason}`;
  service.phase = null;
  pushEvent(service, at, "USER_ERROR_FAILURE", "ERROR", service.errorMessage, version);
}

/**
 * The runtime's word on a starting version (always ready without one). Pending for longer than the
 * runtime's start timeout, counted from `since` (the version's creation), is a failure to start.
 */
function startReadiness(service: ServiceRecord, version: VersionRecord, ctx: LifecycleContext, since = Date.parse(version.createdAt)): Readiness {
  if (!ctx.readiness) return { kind: "ready" };
  const seen = ctx.readiness.of(service, version);
  // Unhealthy while starting: Serve may still bring the replicas up.
  const readiness: Readiness = seen.kind === "unhealthy" ? { kind: "pending" } : seen;
  if (readiness.kind === "pending" && ctx.now - since > ctx.readiness.startTimeoutMs) {
    return { kind: "failed", message: `its Ray Serve applications were not RUNNING after ${Math.round(ctx.readiness.startTimeoutMs / 1000)}s.` };
  }
  return readiness;
}

function nextWeight(current: number, target: number): number {
  if (target <= current) return target;
  const next = CANARY_STEPS.find((w) => w > current) ?? 100;
  return Math.min(next, target);
}

function promoteCanary(service: ServiceRecord, canary: VersionRecord, at: number): void {
  const old = primaryOf(service);
  retireVersion(old);
  canary.weight = 100;
  canary.targetWeight = 100;
  service.primaryVersionId = canary.id;
  service.canaryVersionId = null;
  setState(service, "RUNNING");
  service.phase = null;
  pushEvent(service, at, "RUNNING", "INFO", `Rollout of version '${canary.version}' completed; version '${old.version}' removed.`, canary);
}

function beginAutoRollback(service: ServiceRecord, canary: VersionRecord, at: number, timings: Timings, reason: string): void {
  canary.targetWeight = 0;
  primaryOf(service).targetWeight = 100;
  setState(service, "ROLLING_BACK");
  service.phase = { kind: "rolling_back", versionId: canary.id, dueAt: at + timings.rolloutStepMs, reason };
  pushEvent(service, at, "ROLLBACK_INITIATED", "ERROR", reason, canary);
}

export function finishRollback(service: ServiceRecord, canaryId: string, at: number, reason: string | null): void {
  const canary = versionById(service, canaryId);
  if (canary) {
    // A failed canary keeps its failure state in the version history; a manual rollback terminates it.
    const failed = canary.state === "SYSTEM_FAILURE" || canary.state === "UNHEALTHY";
    canary.weight = 0;
    canary.targetWeight = 0;
    if (!failed) canary.state = "TERMINATED";
  }
  const primary = primaryOf(service);
  primary.weight = 100;
  primary.targetWeight = 100;
  service.canaryVersionId = null;
  setState(service, primary.state === "UNHEALTHY" ? "UNHEALTHY" : "RUNNING");
  if (reason) service.errorMessage = reason;
  service.phase = null;
  pushEvent(service, at, "RUNNING", reason ? "WARNING" : "INFO", `Rollback completed; version '${primary.version}' serves all traffic.`, primary);
}

/** A pending rollback is completed first, so a new apply starts from a clean primary. */
export function settleRollback(service: ServiceRecord, ctx: LifecycleContext): ServiceRecord {
  if (service.phase?.kind === "rolling_back") finishRollback(service, service.phase.versionId, ctx.now, service.phase.reason);
  return service;
}
