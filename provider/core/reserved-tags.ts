// Tags the provider writes for its own bookkeeping (a job's submission key, a service's owner key).
// Users cannot set them, and every view of tags the provider gives back (resource outputs, refresh,
// data functions) leaves them out, so they never show as drift or noise.

export const RESERVED_TAG_PREFIX = "pulumi-anyscale/";

/** A job's submission key, and a job queue's ownership key: finds what an interrupted create already made. */
export const SUBMISSION_KEY_TAG = `${RESERVED_TAG_PREFIX}submission-key`;

export function isReservedTag(key: string): boolean {
  return key.startsWith(RESERVED_TAG_PREFIX);
}

/** The user's tags, without the provider's own. */
export function userVisibleTags(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !isReservedTag(key)));
}

export function reservedTagsOf(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => isReservedTag(key)));
}
