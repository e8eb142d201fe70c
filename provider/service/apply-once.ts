// Sending a Service apply so that a transient failure neither fails the deploy nor starts a second
// version: the apply is create-or-update and not idempotent (every accepted apply of a rollout makes a
// new version), so after an ambiguous failure the provider reads the service (idempotent, retried by the
// transport) and lets the pure apply-decision rules say whether to send it again or carry on.
import { LOOK_THEN_RESEND_ATTEMPTS } from "../core/http";
import type { AnyscaleClient } from "../anyscale/client";
import type { ServiceModel } from "../anyscale/models";
import { AnyscaleConnectionError, AnyscaleError, AnyscaleTimeoutError } from "../core/errors";
import { decideAfterAmbiguousApply, type ApplyIntent, type ApplyVerdict } from "./apply-decision";

/** Sends of one apply in total; with the transport's own retries of reads this rides out a burst of faults. */
export const APPLY_ATTEMPTS = LOOK_THEN_RESEND_ATTEMPTS;
const LOOK_DELAY_MS = 200;

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

/** The platform may have acted on the request: a 5xx, a timeout, or a connection lost after sending. */
export function mayHaveReachedServer(error: unknown): boolean {
  if (error instanceof AnyscaleTimeoutError) return true;
  if (error instanceof AnyscaleConnectionError) return !["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"].includes(error.code ?? "");
  const status = (error as { status?: number }).status;
  return typeof status === "number" && status >= 500;
}

/**
 * Applies `body` and returns the service as the apply (or, after a lost answer, the live service)
 * shows it. A clear rejection (4xx) is thrown as the platform reported it; so is the last ambiguous
 * failure when the attempts run out or the live service does not tell what happened — the error then
 * carries the last verdict's reason.
 */
export async function applyLookingFirst(
  anyscale: AnyscaleClient,
  body: Record<string, unknown>,
  intent: ApplyIntent,
  target: ApplyTarget,
  options: ApplyOptions = {},
): Promise<ServiceModel> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const delayMs = options.delayMs ?? envDelayMs() ?? LOOK_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await anyscale.applyService(body);
    } catch (error) {
      if (!mayHaveReachedServer(error)) throw error;
      // Give a slow apply a moment to land before looking, so "absent" means "never arrived".
      await sleep(delayMs * attempt);
      let after: ServiceModel | undefined;
      try {
        after = await anyscale.findServiceByName(target.name, { projectId: target.projectId });
      } catch (lookError) {
        // Not knowing what happened, never re-send: report the apply's own failure.
        throw withVerdict(error, { action: "give-up", reason: `the service could not be read (${(lookError as Error).message})` }, attempt);
      }
      const verdict = decideAfterAmbiguousApply(intent, target.before, after);
      if (verdict.action === "continue") return verdict.service;
      if (verdict.action === "give-up" || attempt >= APPLY_ATTEMPTS) throw withVerdict(error, verdict, attempt);
    }
  }
}

function envDelayMs(): number | undefined {
  const pollMs = Number(process.env.ANYSCALE_POLL_INTERVAL_MS);
  return Number.isFinite(pollMs) && pollMs > 0 ? pollMs : undefined;
}

/** The original error (its class and status intact), its message extended with what the provider saw. */
function withVerdict(error: unknown, verdict: ApplyVerdict, attempts: number): unknown {
  if (error instanceof AnyscaleError) {
    error.message = `${error.message} (apply sent ${attempts} time(s); after the last failure: ${verdict.reason})`;
  }
  return error;
}
