// Pure: one line per resource that names what an update will do, from the planners' verdicts
// (provider/service/planner.ts, provider/job/planner.ts, ...). The native host sends it to the engine
// as an info diagnostic during preview, so `pulumi preview` says "canary 10% → 50%, no new version"
// instead of a bare property diff.
import type { ServicePlan } from "../../service/planner";
import type { JobPlan } from "../../job/planner";
import type { JobQueuePlan } from "../../jobqueue/planner";
import type { ServicePlan as ZenmlPlan } from "../../zenml/planner";
import { effectiveSteps } from "../../service/rollout-plan";
import { MANUAL_PAUSE, type RolloutStep } from "../../service/rollout-schema";

/** How the planners' internal field names read to a user. */
const FIELD_LABELS: Record<string, string> = { sourceHash: "local files", secretEnvVarNames: "secret envVars" };

/** Internal inputs are never named (a digest of local files reads as such); each name once. */
export function userFieldNames(fields: readonly string[], internal: ReadonlySet<string>): string[] {
  const names = fields.filter((field) => FIELD_LABELS[field] || !internal.has(field)).map((field) => FIELD_LABELS[field] ?? field);
  return [...new Set(names)];
}

function changedText(fields: readonly string[], internal: ReadonlySet<string>): string {
  const names = userFieldNames(fields, internal);
  return names.length > 0 ? `${names.join(", ")} changed` : "settings changed";
}

export interface ServicePlanContext {
  /** Name of the version serving now ("v1"), when known. */
  primaryName?: string;
  /** The canary share held before this update (100 when none is held). */
  oldCanaryPercent: number;
  /** The last deploy failed or the service was stopped outside Pulumi: an update converges it. */
  needsConvergence?: boolean;
  internal: ReadonlySet<string>;
  /** The declared rollout schedule (rollout.steps) and whether each pause is gated (rollout.healthCheck). */
  schedule?: { steps: readonly RolloutStep[]; gated: boolean };
  /** A schedule held at a manual pause before this update (rolloutStatus.phase "paused"): its share. */
  heldSchedulePercent?: number;
  /** rollout.canaryPercent of the new inputs, when declared. */
  declaredCanaryPercent?: number;
  /** The program asks for a version a gate rejected (provider/service/rejection.ts): why nothing rolls out. */
  rejected?: string;
  /** ANYSCALE_PROMOTE releases the held pause. */
  releasePause?: boolean;
  /** Each gated step's size at its share ("10%: 200 probes, ~20 to the canary"), from provider/service/probe.ts. */
  gateSizes?: string;
}

/** Pure: "10% (10m) → 50% (manual hold) → 100%", the schedule as it will run (always ending at 100%). */
export function scheduleText(steps: readonly RolloutStep[]): string {
  return effectiveSteps(steps)
    .map((step) => `${step.percent}%${step.pause === undefined ? "" : step.pause === MANUAL_PAUSE ? " (manual hold)" : ` (${step.pause})`}`)
    .join(" → ");
}

const PROVIDER_SETTINGS = new Set([
  "deletionPolicy", "adoptExisting", "rollout.strategy", "rollout.maxSurgePercent", "rollout.autoRollback", "rollout.steps", "rollout.healthCheck", "rollout.progressDeadline", "rollout.retryRejected", "waitFor", "logLines",
]);

export function describeServicePlan(plan: ServicePlan, context: ServicePlanContext): string | undefined {
  const primary = context.primaryName ?? "the current version";
  const gate = context.schedule?.gated ? `, each pause gated on the canary's own answers (a failed gate rolls back)${context.gateSizes ? `: ${context.gateSizes}` : ""}` : "";
  if (context.rejected && (plan.kind === "none" || plan.kind === "stateOnly")) return `no rollout: ${context.rejected}`;
  if (context.rejected && plan.kind === "tagsOnly") return `tags only; no rollout: ${context.rejected}`;
  // A held schedule continues on any change of the program (update.ts), even a settings-only one.
  const held = context.heldSchedulePercent;
  if (held !== undefined && (plan.kind === "stateOnly" || plan.kind === "tagsOnly" || context.releasePause)) {
    if (context.schedule && context.releasePause) return `pause released (ANYSCALE_PROMOTE): the canary held at ${held}% moves on, no new version: ${scheduleText(context.schedule.steps)}${gate}`;
    if (context.schedule) return `schedule continues from the canary held at ${held}%, no new version: ${scheduleText(context.schedule.steps)}${gate}`;
    const target = context.declaredCanaryPercent ?? 100;
    return `canary ${held}% → ${target}%, no new version (the schedule was removed${target >= 100 ? ": completes the rollout" : ""})`;
  }
  if (plan.kind === "canaryWeight" && context.schedule) {
    return `canary ${context.oldCanaryPercent}%, no new version: a schedule takes it over: ${scheduleText(context.schedule.steps)}${gate}`;
  }
  switch (plan.kind) {
    case "none":
      return context.needsConvergence ? "converge: the last deploy did not finish; the declared version is applied again" : undefined;
    case "replace":
      return `replace: ${changedText(plan.replaces, context.internal)}; a new service is created, then the old one is retired`;
    case "rollout": {
      const versionFields = plan.changed.filter((field) => field !== "tags" && field !== "rollout.canaryPercent" && !PROVIDER_SETTINGS.has(field));
      const what = `rollout: new version (${changedText(versionFields, context.internal)})`;
      if (context.schedule) {
        return `${what} on a schedule: ${scheduleText(context.schedule.steps)}${gate}; ${primary} serves the rest until then`;
      }
      const percent = plan.canaryPercent;
      if (percent !== undefined && percent < 100) return `${what}, held at ${percent}% of traffic; ${primary} keeps ${100 - percent}%`;
      return `${what}, takes 100% of traffic once healthy; ${primary} is retired`;
    }
    case "inPlace": {
      const fields = plan.changed.filter((field) => field !== "tags" && !PROVIDER_SETTINGS.has(field));
      return `in place: ${changedText(fields, context.internal)}`;
    }
    case "canaryWeight": {
      const move = `canary ${context.oldCanaryPercent}% → ${plan.canaryPercent}%, no new version`;
      return plan.canaryPercent >= 100 ? `${move} (completes the rollout)` : move;
    }
    case "tagsOnly":
      return "tags only";
    case "stateOnly":
      return `provider settings only (${userFieldNames(plan.changed, context.internal).join(", ")}): no API call`;
  }
}

export function describeJobPlan(plan: JobPlan, internal: ReadonlySet<string>): string | undefined {
  if (!plan.changes) return undefined;
  if (plan.replaces.length > 0) return `re-run: ${changedText(plan.replaces, internal)}; a new job is submitted`;
  const tags = Object.keys(plan.tagChanges.upsert).length + plan.tagChanges.remove.length > 0;
  if (plan.behaviourChanges.length === 0) return "tags only";
  const settings = `provider settings only (${userFieldNames(plan.behaviourChanges, internal).join(", ")})`;
  return tags ? `tags and ${settings}` : settings;
}

export function describeJobQueuePlan(plan: JobQueuePlan, internal: ReadonlySet<string>): string | undefined {
  if (!plan.changes) return undefined;
  if (plan.replaces.length > 0) {
    const order = plan.deleteBeforeReplace ? "the old queue is removed first (names are unique)" : "a new queue is created, then the old one is removed";
    return `replace: ${changedText(plan.replaces, internal)}; ${order}`;
  }
  const inPlace = Object.keys(plan.inPlace).map((wire) => (wire === "max_concurrency" ? "maxConcurrency" : "idleTimeoutS"));
  if (inPlace.length > 0) return `in place: ${changedText(inPlace, internal)}`;
  const tags = Object.keys(plan.tagChanges.upsert).length + plan.tagChanges.remove.length > 0;
  return tags ? "tags only" : `provider settings only (${plan.behaviourChanges.join(", ")}): nothing changes on the platform`;
}

export function describeZenmlPlan(plan: ZenmlPlan, internal: ReadonlySet<string>, recordGone: boolean): string | undefined {
  if (recordGone) return "replace: the ZenML record was deleted outside Pulumi; it is registered again";
  if (!plan.changes) return undefined;
  if (plan.replaces.length > 0) return `replace: ${changedText(plan.replaces, internal)}; a new record is registered, then the old one deleted`;
  return `in place: ${changedText(plan.updates, internal)}`;
}

/** ComputeConfig and ContainerImage: a replacement, or the next immutable version of the same object. */
export function describeNewVersionPlan(replaces: readonly string[], newVersion: readonly string[], replaceEffect: string): string | undefined {
  const internal = new Set<string>();
  if (replaces.length > 0) return `replace: ${changedText(replaces, internal)}; ${replaceEffect}`;
  if (newVersion.length > 0) return `new version: ${changedText(newVersion, internal)}`;
  return undefined;
}
