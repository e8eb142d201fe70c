// The two wire encodings of the same tag filter (OR within a key, AND across keys): GET lists take
// repeated `tag_filter=key:value` query values; the job-queue search takes `tags_filter: {key: [values]}`.
import type { TagFilter } from "./common-schemas";

export function tagFilterToQueryValues(filter: TagFilter | undefined): string[] {
  if (!filter) return [];
  return Object.entries(filter).flatMap(([key, values]) => values.map((value) => `${key}:${value}`));
}

export function tagFilterToBody(filter: TagFilter | undefined): Record<string, string[]> | undefined {
  if (!filter || Object.keys(filter).length === 0) return undefined;
  return Object.fromEntries(Object.entries(filter).map(([key, values]) => [key, [...values]]));
}

/** The seeds' semantics, for checking results: every key must match one of its values. */
export function matchesTagFilter(tags: Record<string, string>, filter: TagFilter): boolean {
  return Object.entries(filter).every(([key, values]) => key in tags && values.includes(tags[key]));
}
