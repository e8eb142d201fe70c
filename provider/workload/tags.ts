// User tags of a Job or JobQueue: their input schema, and (pure) how to move a resource's tags from
// what it has to what the program declares with the tags API (upsert + delete by key).
import { z } from "zod";
import { RESERVED_TAG_PREFIX } from "../core/reserved-tags";

export const tagsInputSchema = z
  .record(z.string().min(1, "tag keys must not be empty"), z.string())
  .refine((tags) => !Object.keys(tags).some((key) => key.startsWith(RESERVED_TAG_PREFIX)), {
    message: `tag keys starting with "${RESERVED_TAG_PREFIX}" are reserved for the provider`,
  });

export interface TagChanges {
  upsert: Record<string, string>;
  remove: string[];
}

export function planTagChanges(current: Record<string, string> | undefined, desired: Record<string, string> | undefined): TagChanges {
  const have = current ?? {};
  const want = desired ?? {};
  const upsert: Record<string, string> = {};
  for (const [key, value] of Object.entries(want)) if (have[key] !== value) upsert[key] = value;
  const remove = Object.keys(have).filter((key) => !(key in want)).sort();
  return { upsert, remove };
}

export function hasTagChanges(changes: TagChanges): boolean {
  return Object.keys(changes.upsert).length > 0 || changes.remove.length > 0;
}

