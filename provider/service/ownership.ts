// Ownership of a service by one Pulumi resource instance (core/owner-mark.ts has the mark and why it
// cannot collide). At create the service gets this instance's mark with the apply itself, so it never
// exists without it. create takes back a live service only when it carries this instance's mark (an
// interrupted create whose pending inputs were imported); any other service needs `adoptExisting`.
// update and delete refuse a service whose marks are all another's (ownership-guard.ts).
import { RESERVED_TAG_PREFIX, reservedTagsOf, userVisibleTags } from "../core/reserved-tags";
import { claimTagKey, LEGACY_OWNER_KEY_TAG, legacyOwnerKey, ownerMarkKey, ownerMarkValue, ownerVerdict } from "../core/owner-mark";
import { currentClaim } from "./handover";

/** The pre-nonce owner key tag (kept on services created before marks had a nonce). */
export const OWNER_KEY_TAG = LEGACY_OWNER_KEY_TAG;
export const SERVICE_MARK_KIND = "service";

/** The legacy digest of a scope (tests and state recorded before nonces). */
export function ownerKeyFor(scope: string | undefined): string | undefined {
  return legacyOwnerKey(SERVICE_MARK_KIND, scope);
}

/** This instance's mark as a tag: key and value. */
export function ownerMarkTag(scope: string | undefined): Record<string, string> {
  const key = ownerMarkKey(SERVICE_MARK_KIND, scope);
  return key && scope ? { [key]: ownerMarkValue(scope) } : {};
}

/** The user's tags without the provider's own. */
export function userTags(tags: Record<string, string>): Record<string, string> {
  return userVisibleTags(tags);
}

/**
 * The tags a service of this resource must carry: the user's, plus this instance's mark (and, inside a
 * create, the create's claim). Reserved tags already on the service are kept: another owner's mark
 * stays visible (it is the evidence of a collision), and a tag sync must not drop our own.
 */
export function desiredTags(declared: Record<string, string> | undefined, scope: string | undefined, live: Record<string, string> = {}): Record<string, string> {
  const claim = currentClaim();
  const claimKey = claimTagKey(SERVICE_MARK_KIND, scope);
  return { ...reservedTagsOf(live), ...(declared ?? {}), ...ownerMarkTag(scope), ...(claim && claimKey ? { [claimKey]: claim } : {}) };
}

/** True when the live tags carry this resource instance's mark. */
export function ownedBy(liveTags: Record<string, string>, scope: string | undefined): boolean {
  return ownerVerdict(SERVICE_MARK_KIND, liveTags, scope).kind === "ours";
}

export { RESERVED_TAG_PREFIX };
