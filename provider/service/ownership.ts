// Ownership of a service by one Pulumi resource. At create the service is tagged with a key derived
// from the resource's identity (<project>/<stack>/<resource name>, set by the sdk class as
// `ownershipScope`). When a create was interrupted after its apply (the engine never recorded the
// service, and `pulumi refresh --clear-pending-creates` dropped the pending create), the next create
// finds the live service carrying THIS resource's key and takes it back without `adoptExisting`;
// a service without the key, or with another resource's key, is still refused. Pure.
import { createHash } from "node:crypto";
import { RESERVED_TAG_PREFIX, reservedTagsOf, userVisibleTags } from "../core/reserved-tags";

export const OWNER_KEY_TAG = `${RESERVED_TAG_PREFIX}owner-key`;

/** A digest, not the scope itself: tags are visible to everyone in the organization. */
export function ownerKeyFor(scope: string | undefined): string | undefined {
  if (!scope) return undefined;
  return createHash("sha256").update(`service:${scope}`).digest("hex").slice(0, 40);
}

/** The user's tags without the provider's own. */
export function userTags(tags: Record<string, string>): Record<string, string> {
  return userVisibleTags(tags);
}

/**
 * The tags a service of this resource must carry: the user's, plus the owner key. Reserved tags already
 * on the service are kept (a tag sync must not drop the key that lets an interrupted create recover).
 */
export function desiredTags(declared: Record<string, string> | undefined, scope: string | undefined, live: Record<string, string> = {}): Record<string, string> {
  const key = ownerKeyFor(scope);
  const reserved = reservedTagsOf(live);
  return { ...reserved, ...(declared ?? {}), ...(key ? { [OWNER_KEY_TAG]: key } : {}) };
}

/** True when the live tags say this resource created the service. */
export function ownedBy(liveTags: Record<string, string>, scope: string | undefined): boolean {
  const key = ownerKeyFor(scope);
  return key !== undefined && liveTags[OWNER_KEY_TAG] === key;
}
