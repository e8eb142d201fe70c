// One driver per rollout: a lease on the service, held as a reserved tag `<holder>@<expiry>` and
// renewed while a schedule runs. A second `pulumi up` (after `cancel`, while an orphaned provider of
// the killed one may still be alive) waits for the lease to expire instead of racing it, and refuses
// when its holder keeps renewing; a driver confirms it still holds the lease before each traffic
// move and stops (without rolling anything back: it is not its rollout any more) when it does not.
// The tags API has no compare-and-set, so taking the lease writes and then reads back after a short
// settle: of two drivers writing at once, the one that reads the other's value backs off.
import { randomBytes } from "node:crypto";
import type { AnyscaleClient } from "../anyscale/client";
import { AnyscaleError } from "../core/errors";
import { reportProgress } from "../core/progress";
import { RESERVED_TAG_PREFIX } from "../core/reserved-tags";
import { RESOURCE_TYPE } from "./context";

export const LEASE_TAG = `${RESERVED_TAG_PREFIX}rollout-lease`;

export interface LeaseTimings {
  ttlMs: number;
  renewMs: number;
  settleMs: number;
  pollMs: number;
}

export const DEFAULT_LEASE_TIMINGS: LeaseTimings = { ttlMs: 20_000, renewMs: 5_000, settleMs: 300, pollMs: 1_000 };

export class LeaseLostError extends AnyscaleError {}

export interface Lease {
  /** Throws LeaseLostError unless this driver still holds the lease; renews it. */
  confirm(): Promise<void>;
  release(): Promise<void>;
}

/** Parses `<holder>@<expiry ms>`; anything else is no lease. */
export function parseLease(value: string | undefined): { holder: string; expiresAt: number } | undefined {
  const match = value?.match(/^([0-9a-f]+)@(\d+)$/);
  return match ? { holder: match[1], expiresAt: Number(match[2]) } : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function acquireRolloutLease(client: AnyscaleClient, serviceId: string, name: string, timings: LeaseTimings = leaseTimingsFromEnvironment()): Promise<Lease> {
  const holder = randomBytes(8).toString("hex");
  const read = async () => parseLease((await client.tags.list(RESOURCE_TYPE, serviceId))[LEASE_TAG]);
  const write = () => client.tags.upsert(RESOURCE_TYPE, serviceId, { [LEASE_TAG]: `${holder}@${Date.now() + timings.ttlMs}` });

  const giveUpAt = Date.now() + timings.ttlMs + timings.renewMs * 2;
  for (;;) {
    const current = await read();
    if (!current || current.holder === holder || current.expiresAt <= Date.now()) {
      await write();
      await sleep(timings.settleMs);
      if ((await read())?.holder === holder) break;
    } else if (Date.now() >= giveUpAt) {
      throw new LeaseLostError(
        `Service '${name}': another \`pulumi up\` is driving this rollout (its lease is renewed until ${new Date(current.expiresAt).toISOString()}); ` +
          `refusing to drive it twice. Wait for it to finish, or stop it first.`,
      );
    } else {
      reportProgress(`waiting for another driver's lease on service '${name}' to expire (${Math.ceil((current.expiresAt - Date.now()) / 1000)}s)`);
    }
    await sleep(timings.pollMs);
  }

  let released = false;
  const renewal = setInterval(() => {
    if (!released) write().catch(() => undefined);
  }, timings.renewMs);
  renewal.unref();
  return {
    async confirm() {
      const current = await read();
      if (current?.holder !== holder) {
        released = true;
        clearInterval(renewal);
        throw new LeaseLostError(`Service '${name}': another driver took this rollout over; this one stops here and leaves the service as it is.`);
      }
      await write();
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(renewal);
      if ((await read().catch(() => undefined))?.holder === holder) await client.tags.delete(RESOURCE_TYPE, serviceId, [LEASE_TAG]).catch(() => undefined);
    },
  };
}

/** Tests shorten the lease (ANYSCALE_ROLLOUT_LEASE_TTL_MS); the renewal and settle scale with it. */
function leaseTimingsFromEnvironment(): LeaseTimings {
  const ttl = Number(process.env.ANYSCALE_ROLLOUT_LEASE_TTL_MS);
  if (!Number.isFinite(ttl) || ttl <= 0) return DEFAULT_LEASE_TIMINGS;
  return { ttlMs: ttl, renewMs: Math.max(ttl / 4, 50), settleMs: Math.min(300, ttl / 10), pollMs: Math.max(ttl / 20, 50) };
}
