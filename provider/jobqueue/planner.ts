// Pure diff of a JobQueue: concurrency and idle timeout change in place (PUT), tags through the tags
// API, everything else defines a different queue and replaces it.
import { isUnknown, jsonEqual } from "../core/dynamic-support";
import { hasTagChanges, planTagChanges, type TagChanges } from "../workload/tags";

/** What defines a queue (besides its name): a change here is a different queue. */
export const QUEUE_DEFINING_FIELDS = ["executionMode", "computeConfig", "autoTerminationThresholdJobCount", "cloud", "project"] as const;
export const QUEUE_IN_PLACE_FIELDS = ["maxConcurrency", "idleTimeoutS"] as const;
/**
 * Settings the provider alone reads. A change of `timeouts` alone is an update too (a read, no write):
 * the engine keeps the old outputs on an unchanged step, and delete reads its timeout from them.
 */
export const QUEUE_BEHAVIOUR_FIELDS = ["deletionPolicy", "timeouts"] as const;

export interface JobQueuePlan {
  changes: boolean;
  replaces: string[];
  /** Queue names are unique in a project: a replacement keeping its name must remove the old queue first. */
  deleteBeforeReplace: boolean;
  inPlace: { max_concurrency?: number; idle_timeout_sec?: number };
  tagChanges: TagChanges;
  /** Settings only the provider reads (QUEUE_BEHAVIOUR_FIELDS) that changed. */
  behaviourChanges: string[];
}

type Inputs = Record<string, unknown>;

/**
 * A generated name (no `name` input) is decided when the queue is created and recorded with
 * `generatedName: true`; it stays as long as the program keeps giving no name.
 */
export function nameChanged(olds: Inputs, news: Inputs): boolean {
  if (news.name === undefined) return olds.generatedName !== true;
  return olds.generatedName === true || olds.name !== news.name;
}

export function planJobQueueChange(olds: Inputs, news: Inputs): JobQueuePlan {
  const replaces: string[] = [];
  if (nameChanged(olds, news)) replaces.push("name");
  replaces.push(...QUEUE_DEFINING_FIELDS.filter((field) => !jsonEqual(olds[field], news[field])));
  const inPlace: JobQueuePlan["inPlace"] = {};
  if (!jsonEqual(olds.maxConcurrency, news.maxConcurrency)) inPlace.max_concurrency = news.maxConcurrency as number;
  if (!jsonEqual(olds.idleTimeoutS, news.idleTimeoutS)) inPlace.idle_timeout_sec = news.idleTimeoutS as number;
  const behaviourChanges: string[] = QUEUE_BEHAVIOUR_FIELDS.filter((field) => !jsonEqual(olds[field], news[field]));
  const tagsUnknown = isUnknown(news.tags);
  const tagChanges = tagsUnknown
    ? { upsert: {}, remove: [] }
    : planTagChanges(olds.tags as Record<string, string> | undefined, news.tags as Record<string, string> | undefined);
  return {
    changes: replaces.length > 0 || Object.keys(inPlace).length > 0 || behaviourChanges.length > 0 || tagsUnknown || hasTagChanges(tagChanges),
    replaces,
    deleteBeforeReplace: replaces.length > 0 && typeof news.name === "string" && news.name === olds.name && olds.generatedName !== true,
    inPlace,
    tagChanges,
    behaviourChanges,
  };
}
