// Sending a Service apply so that a transient failure neither fails the deploy nor starts a second
// version: the apply is create-or-update and not idempotent (every accepted apply of a rollout makes a
// new version), so after an ambiguous failure the provider reads the service and lets the pure
// apply-decision rules say whether to send it again or carry on (core/write-once.ts does the loop).
import type { AnyscaleClient } from "../anyscale/client";
import type { ServiceModel } from "../anyscale/service-models";
import { LOOK_THEN_RESEND_ATTEMPTS, sendLookingFirst, type LookVerdict } from "../core/write-once";
import { decideAfterAmbiguousApply, type ApplyIntent } from "./apply-decision";

/** Sends of one apply in total: the one look-then-resend budget. */
export const APPLY_ATTEMPTS = LOOK_THEN_RESEND_ATTEMPTS;

export interface ApplyTarget {
  name: string;
  projectId: string;
  /** The service as read just before the apply (undefined: none of that name). */
  before: ServiceModel | undefined;
}

export interface ApplyOptions {
  /** Tests and benches shorten the pause before looking. */
  delayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Applies `body` and returns the service as the apply (or, after a lost answer, the live service)
 * shows it. A clear rejection (4xx) is thrown as the platform reported it; so is the last ambiguous
 * failure when the attempts run out or the live service does not tell what happened.
 */
export function applyLookingFirst(
  anyscale: AnyscaleClient,
  body: Record<string, unknown>,
  intent: ApplyIntent,
  target: ApplyTarget,
  options: ApplyOptions = {},
): Promise<ServiceModel> {
  return sendLookingFirst({
    what: "apply",
    send: () => anyscale.services.apply(body),
    look: async (): Promise<LookVerdict<ServiceModel>> => {
      const after = await anyscale.services.findByName(target.name, { projectId: target.projectId });
      const verdict = decideAfterAmbiguousApply(intent, target.before, after);
      return verdict.action === "continue" ? { action: "found", value: verdict.service, reason: verdict.reason } : verdict;
    },
    attempts: APPLY_ATTEMPTS,
    ...options,
  });
}
