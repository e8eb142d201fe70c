// Pure: what a create or an update of a Service does, from the desired inputs, what the state records
// (the planner's verdict over old and new inputs, the last deployment, the schedule's status) and what
// the live service shows. create.ts and update.ts execute the action and nothing else. Two steps,
// because some answers need the prepared request (does the live version already run it?): the route
// first, then, for a deploy, the action once the request is prepared.
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import { deploymentUnfinished, type DeploymentRecord } from "./outputs";
import type { ServicePlan } from "./planner";
import { isHeld } from "./rollout-status";
import type { ServiceInputs } from "./schema";

export interface UpdateFacts {
  plan: ServicePlan;
  inputs: ServiceInputs;
  live: ServiceModel;
  deployment: DeploymentRecord | undefined;
  rolloutStatus: unknown;
  /** The program still asks for a version a gate rejected (delivery-hooks.ts): not a deploy to converge. */
  rejected?: boolean;
  /** ANYSCALE_PROMOTE names this service: a held schedule continues without a program change. */
  releasePause?: boolean;
}

export type UpdateRoute =
  /** Nothing reaches the platform: outputs from the live service. */
  | { kind: "nothing" }
  /** Only the tags API. */
  | { kind: "tagsOnly" }
  /** A schedule drives this canary on from its current share. */
  | { kind: "scheduleContinue"; canary: ServiceVersionModel }
  /** The live canary re-applied with a new share (100 completes it). */
  | { kind: "canaryMove"; canary: ServiceVersionModel; percent: number }
  /** The running version updated in place. */
  | { kind: "inPlace" }
  /** The declared config prepared as a new version; `decideDeploy` says what happens to it. */
  | { kind: "deploy"; reason: "edited" | "converge" | "restart"; canaryPercent: number | undefined };

/** A canary share held below 100% (undefined: complete the rollout). */
export function heldPercent(inputs: ServiceInputs): number | undefined {
  const percent = inputs.rollout?.canaryPercent;
  return percent !== undefined && percent < 100 ? percent : undefined;
}

function quiet(plan: ServicePlan): boolean {
  return plan.kind === "none" || plan.kind === "stateOnly" || plan.kind === "tagsOnly";
}

export function decideUpdate(facts: UpdateFacts): UpdateRoute {
  const { plan, inputs, live, deployment } = facts;
  const restarting = live.current_state === "TERMINATED";
  const mustConverge = (deploymentUnfinished(deployment) && !facts.rejected) || restarting;
  if (mustConverge) return { kind: "deploy", reason: restarting ? "restart" : "converge", canaryPercent: restarting ? undefined : heldPercent(inputs) };
  const steps = inputs.rollout?.steps !== undefined;
  // A schedule held at a manual pause continues when the program changes (the steps, typically).
  const status = facts.rolloutStatus;
  const heldCanary = isHeld(status) && live.canary_version?.id === status.versionId ? live.canary_version : undefined;
  if (heldCanary && ((quiet(plan) && plan.kind !== "none") || facts.releasePause)) {
    // Without a schedule any more, the declared share (or 100%, completing) applies.
    return steps ? { kind: "scheduleContinue", canary: heldCanary } : { kind: "canaryMove", canary: heldCanary, percent: inputs.rollout?.canaryPercent ?? 100 };
  }
  if (quiet(plan)) return { kind: plan.kind === "tagsOnly" ? "tagsOnly" : "nothing" };
  const ourCanary = live.canary_version && live.canary_version.id === deployment?.versionId ? live.canary_version : undefined;
  if (plan.kind === "canaryWeight" && ourCanary) {
    // A held canaryPercent replaced by a schedule: the schedule takes the same canary from its share.
    return steps ? { kind: "scheduleContinue", canary: ourCanary } : { kind: "canaryMove", canary: ourCanary, percent: plan.canaryPercent };
  }
  if (plan.kind === "inPlace" && !live.canary_version) return { kind: "inPlace" };
  // A rollout; also completing a canary whose version is no longer live.
  return { kind: "deploy", reason: "edited", canaryPercent: heldPercent(inputs) };
}

export interface DeployFacts {
  reason: "edited" | "converge" | "restart";
  inputs: ServiceInputs;
  live: ServiceModel;
  /** The live primary runs exactly the prepared request while a canary is live. */
  asksForPrimary: boolean;
  /** The live service runs exactly the prepared request, settled on one version. */
  liveMatches: boolean;
  /** A live canary already carrying the prepared request on its way to 100% (live-match.ts canaryCompletingDeclared). */
  completingCanary?: ServiceVersionModel;
}

export type DeployAction =
  /** The platform's rollback returns to the primary, which already runs the request (no third version). */
  | { kind: "rollbackToPrimary" }
  /** Already live: record it, sync the tags. */
  | { kind: "alreadyLive" }
  /** The schedule drives the new version over the running service. */
  | { kind: "schedule" }
  /**
   * This rollout's canary, interrupted and still heading to 100%: wait for it. Re-applying would start a
   * second, identical version if the platform promoted it meanwhile (the reliability-crash race).
   */
  | { kind: "awaitCompletingCanary"; canary: ServiceVersionModel }
  /** Send the request: a create over a terminated service, else a rollout. */
  | { kind: "apply"; intent: "create" | "rollout" };

export function decideDeploy(facts: DeployFacts): DeployAction {
  if (facts.reason === "restart") return { kind: "apply", intent: "create" };
  if (facts.asksForPrimary) return { kind: "rollbackToPrimary" };
  if (facts.liveMatches && heldPercent(facts.inputs) === undefined) return { kind: "alreadyLive" };
  // A create or restart has nothing to shift traffic from (the platform ignores canary_percent there).
  if (facts.inputs.rollout?.steps && facts.live.primary_version) return { kind: "schedule" };
  if (facts.completingCanary && heldPercent(facts.inputs) === undefined) return { kind: "awaitCompletingCanary", canary: facts.completingCanary };
  return { kind: "apply", intent: "rollout" };
}

export interface CreateFacts {
  inputs: ServiceInputs;
  /** A live (not terminated) service of the same name. */
  live: ServiceModel | undefined;
  /** It carries this resource's owner key: an interrupted create of ours. */
  ours: boolean;
}

/** Before anything is prepared: a live service of the same name that is not ours is refused unless adopted. */
export function refusesExisting(facts: CreateFacts): boolean {
  return !!facts.live && !facts.ours && !(facts.inputs.adoptExisting ?? false);
}

export type CreateAction =
  /** A live service already runs the request: take it over as is. */
  | { kind: "adopt"; service: ServiceModel }
  /** Our interrupted create's version is still coming up: wait for it instead of starting another. */
  | { kind: "awaitInterruptedCreate"; service: ServiceModel }
  /** Send the request: a rollout onto the live service, else a create. */
  | { kind: "apply"; intent: "create" | "rollout" };

export function decideCreate(facts: CreateFacts & { liveMatches: boolean; interruptedCreateStillStarting: boolean }): CreateAction {
  const { live } = facts;
  if (live && facts.liveMatches) return { kind: "adopt", service: live };
  if (live && facts.ours && facts.interruptedCreateStillStarting && heldPercent(facts.inputs) === undefined) return { kind: "awaitInterruptedCreate", service: live };
  return { kind: "apply", intent: live ? "rollout" : "create" };
}
