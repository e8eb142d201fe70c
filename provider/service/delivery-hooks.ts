// What progressive delivery adds to diff and update, in one place so each of them needs a one-line
// hook: a standing rejection (the program still asks for the version a gate rolled back) is not a
// change to converge, and ANYSCALE_PROMOTE releases a held pause without a program change.
import { serviceName } from "./context";
import { planServiceUpdate, type ServicePlan } from "./planner";
import { promoteRequested } from "./promote";
import { standingRejection, type RejectionRecord } from "./rejection";
import { isHeld } from "./rollout-status";
import { VERSION_FIELDS, type ServiceInputs } from "./schema";

export interface DeliveryPlan {
  plan: ServicePlan;
  /** The program asks for a version a gate or deadline rejected: nothing rolls out, preview says why. */
  rejected?: RejectionRecord;
  /** A held schedule is released (ANYSCALE_PROMOTE names this service). */
  releasePause: boolean;
}

/**
 * The planner's verdict, seen through delivery: under a standing rejection the version fields compare
 * as unchanged (refresh may have folded the live primary into the stored inputs; the program still
 * asks for the rejected version, which must not roll out again), so only tags or settings can change.
 */
export function planWithDelivery(oldOutputs: Record<string, unknown>, oldInputs: ServiceInputs, newInputs: ServiceInputs): DeliveryPlan {
  const rejected = standingRejection(oldOutputs, newInputs);
  const base = rejected ? withVersionFieldsOf(oldInputs, newInputs) : oldInputs;
  const releasePause = isHeld(oldOutputs.rolloutStatus) && promoteRequested(serviceName(newInputs));
  return { plan: planServiceUpdate(base, newInputs), ...(rejected ? { rejected } : {}), releasePause };
}

function withVersionFieldsOf(olds: ServiceInputs, news: ServiceInputs): ServiceInputs {
  const merged: Record<string, unknown> = { ...olds };
  for (const field of VERSION_FIELDS) {
    const value = (news as Record<string, unknown>)[field];
    if (value === undefined) delete merged[field];
    else merged[field] = value;
  }
  return merged as ServiceInputs;
}

/** The delivery record an update that rolls nothing out keeps (rolloutStatus, with any rejection). */
export function keptRolloutStatus(oldOutputs: Record<string, unknown>): { rolloutStatus?: unknown } {
  return oldOutputs.rolloutStatus !== undefined ? { rolloutStatus: oldOutputs.rolloutStatus } : {};
}
