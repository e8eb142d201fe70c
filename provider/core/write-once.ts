// The one answer to "may this write have reached the server?" and the one way to send a write that
// must not happen twice (a service apply, a job submit, a queue create, a ZenML registration).
// The transport resends a non-idempotent request only when classify() says "not-sent"; every caller
// of a non-idempotent write resends only after looking for its effect, within the same budget.
import { setTimeout as sleepMs } from "node:timers/promises";
import { AnyscaleConnectionError, AnyscaleError, AnyscaleTimeoutError } from "./errors";
import { isTransientError } from "./transient";

/**
 * not-sent: the server never saw the request (refused connection, unknown host, 429): resending is safe.
 * ambiguous: it may have acted (5xx, timeout, connection lost after sending): look before resending.
 * rejected: it answered and refused (any other 4xx, or a local error): resending would fail the same way.
 */
export type Delivery = "not-sent" | "ambiguous" | "rejected";

/** Connection failures raised before a byte of the request left this process. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

export function classify(error: unknown): Delivery {
  if (error instanceof AnyscaleConnectionError) return NOT_SENT_CODES.has(error.code ?? "") ? "not-sent" : "ambiguous";
  if (error instanceof AnyscaleTimeoutError) return "ambiguous";
  const status = (error as { status?: unknown } | null | undefined)?.status;
  if (typeof status === "number") {
    // A 429 means the server refused the request without acting on it.
    if (status === 429) return "not-sent";
    if (status >= 500) return "ambiguous";
  }
  return "rejected";
}

/** The transport's budget (DEFAULT_RETRY_POLICY.maxAttempts): a lost answer gets as many sends as a refused connection. */
export const LOOK_THEN_RESEND_ATTEMPTS = 6;
const LOOK_DELAY_MS = 200;

/** What a look after an ambiguous failure found. */
export type LookVerdict<T> =
  /** The write took effect: carry on with what it made. */
  | { action: "found"; value: T; reason?: string }
  /** The write never took effect: sending it again is safe. */
  | { action: "resend"; reason: string }
  /** Something else happened: report the write's own failure. */
  | { action: "give-up"; reason: string };

/**
 * How long a write rides out an outage (the server unreachable, or answering 5xx/429), like waits do:
 * within it, a write that never left is sent again, and a look that cannot reach the server is
 * repeated until it answers. ANYSCALE_WRITE_OUTAGE_MS shortens it for tests; `deadline` caps it.
 */
export const OUTAGE_RIDE_MS = 5 * 60_000;
const OUTAGE_PAUSE_MAX_MS = 5_000;

export interface WriteOnce<T> {
  /** What is being sent, for messages ("apply", "submit"). */
  what: string;
  send: () => Promise<T>;
  /** Reads what the server shows now (idempotent reads, retried by the transport). */
  look: () => Promise<LookVerdict<T>>;
  attempts?: number;
  /** Pause before looking, times the attempt number, so "absent" means "never arrived". */
  delayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms the operation must end by (its timeout): the outage ride never goes past it. */
  deadline?: number;
  now?: () => number;
}

/**
 * Sends once; after an ambiguous failure looks and resends only when the look says the write never
 * took effect. Through an outage (OUTAGE_RIDE_MS, capped by the deadline) a write that never left is
 * sent again and a look that cannot reach the server is repeated, so a 60 s outage fails nothing and
 * duplicates nothing. A rejection, a look that answers but cannot tell, the last ambiguous attempt, and
 * an outage outlasting the ride are thrown as the write's own error, its message extended with what
 * the provider saw.
 */
export async function sendLookingFirst<T>(write: WriteOnce<T>): Promise<T> {
  const attempts = write.attempts ?? LOOK_THEN_RESEND_ATTEMPTS;
  const delayMs = write.delayMs ?? envDelayMs() ?? LOOK_DELAY_MS;
  const sleep = write.sleep ?? ((ms: number) => sleepMs(ms));
  const now = write.now ?? Date.now;
  const rideEnd = Math.min(now() + (envOutageMs() ?? OUTAGE_RIDE_MS), write.deadline ?? Number.POSITIVE_INFINITY);
  const pause = (round: number) => sleep(Math.min(delayMs * 2 ** Math.min(round, 10), OUTAGE_PAUSE_MAX_MS, Math.max(rideEnd - now(), 0)));
  let mayHaveArrived = 0;
  for (let round = 0; ; round++) {
    let error: unknown;
    try {
      return await write.send();
    } catch (sendError) {
      error = sendError;
    }
    const delivery = classify(error);
    if (delivery === "rejected") throw error;
    if (delivery === "not-sent") {
      // Nothing arrived (the transport already resent it as often as it does): wait for the server.
      if (now() >= rideEnd) throw annotate(error, write.what, mayHaveArrived + 1, "the server stayed unreachable");
      await pause(round);
      continue;
    }
    mayHaveArrived += 1;
    const verdict = await lookThroughOutage(write, error, mayHaveArrived, rideEnd, now, sleep, delayMs);
    if (verdict.action === "found") return verdict.value;
    if (verdict.action === "give-up" || mayHaveArrived >= attempts) throw annotate(error, write.what, mayHaveArrived, verdict.reason);
  }
}

/** Looks until the server answers (or the ride ends); never decides on a look that failed. */
async function lookThroughOutage<T>(
  write: WriteOnce<T>,
  error: unknown,
  attempt: number,
  rideEnd: number,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
  delayMs: number,
): Promise<LookVerdict<T>> {
  await sleep(delayMs * attempt);
  for (let look = 0; ; look++) {
    try {
      return await write.look();
    } catch (lookError) {
      // Not knowing what happened, never resend: keep looking while the outage may pass.
      if (!isTransientError(lookError) || now() >= rideEnd) {
        throw annotate(error, write.what, attempt, `the result could not be read (${(lookError as Error).message})`);
      }
      await sleep(Math.min(delayMs * 2 ** Math.min(look, 10), OUTAGE_PAUSE_MAX_MS, Math.max(rideEnd - now(), 0)));
    }
  }
}

function envOutageMs(): number | undefined {
  const ms = Number(process.env.ANYSCALE_WRITE_OUTAGE_MS);
  return Number.isFinite(ms) && ms >= 0 && process.env.ANYSCALE_WRITE_OUTAGE_MS !== undefined ? ms : undefined;
}

function envDelayMs(): number | undefined {
  const pollMs = Number(process.env.ANYSCALE_POLL_INTERVAL_MS);
  return Number.isFinite(pollMs) && pollMs > 0 ? pollMs : undefined;
}

/** The original error (its class and status intact), its message extended with what the provider saw. */
function annotate(error: unknown, what: string, attempts: number, reason: string): unknown {
  if (error instanceof AnyscaleError) error.message = `${error.message} (${what} sent ${attempts} time(s); after the last failure: ${reason})`;
  return error;
}
