// Pure diff of a Job: a job is an immutable run, so any change to what runs (or to `triggers`) is a
// new submission; tags change through the tags API; the rest only changes how the provider behaves.
import { isUnknown, jsonEqual } from "../core/dynamic-support";
import { RUNTIME_ENV_FIELDS } from "../core/runtime-env-fields";
import { planTagChanges, hasTagChanges, type TagChanges } from "../workload/tags";

/** Inputs whose change submits a new job (shown as a replacement in preview). */
export const JOB_REPLACE_FIELDS = [
  "name",
  "entrypoint",
  "imageUri",
  "containerfile",
  "computeConfig",
  ...RUNTIME_ENV_FIELDS,
  "cloud",
  "project",
  "registryLoginSecret",
  "rayVersion",
  "connections",
  "maxRetries",
  "timeoutS",
  "priority",
  "jobQueue",
  "triggers",
  /** Digest of the local working dir, py_modules and requirements file, computed at check. */
  "sourceHash",
] as const;

/**
 * Inputs that only change the provider's behaviour. `timeouts` is one: a change of it alone must still
 * be an update, because the engine keeps the old outputs on an unchanged step and delete reads its
 * timeout from those outputs (dynamic providers never see customTimeouts). `secretEnvVarNames` (an env
 * var made secret, its value unchanged) re-reads the log tail, so the value is masked in state at once.
 */
export const JOB_BEHAVIOUR_FIELDS = ["waitFor", "deletionPolicy", "logLines", "timeouts", "secretEnvVarNames"] as const;

/** Behaviour fields that nothing reads until delete: a change of these alone is recorded, with no API call. */
export const JOB_RECORD_ONLY_FIELDS: readonly string[] = ["deletionPolicy", "timeouts"];

/** `submissionScope` never causes a diff. */

export interface JobPlan {
  changes: boolean;
  replaces: string[];
  tagChanges: TagChanges;
  behaviourChanges: string[];
}

type Inputs = Record<string, unknown>;

/**
 * A queue referenced by id is identified by that id alone: its name and mode are copied from the
 * JobQueue resource (to judge a priority at check) and are unknown in a preview where the queue
 * itself is updated in place, which must not show this job as replaced.
 */
function comparableJobQueue(jobQueue: unknown): unknown {
  if (!jobQueue || typeof jobQueue !== "object" || isUnknown(jobQueue)) return jobQueue;
  const { targetJobQueueName, targetJobQueueExecutionMode, ...rest } = jobQueue as Record<string, unknown>;
  if (rest.targetJobQueueId === undefined) return { ...rest, targetJobQueueName, targetJobQueueExecutionMode };
  return rest;
}

function fieldChanged(field: string, olds: Inputs, news: Inputs): boolean {
  if (field === "jobQueue") return !jsonEqual(comparableJobQueue(olds.jobQueue), comparableJobQueue(news.jobQueue));
  return !jsonEqual(olds[field], news[field]);
}

export function planJobChange(olds: Inputs, news: Inputs): JobPlan {
  const replaces = JOB_REPLACE_FIELDS.filter((field) => fieldChanged(field, olds, news));
  const behaviourChanges = JOB_BEHAVIOUR_FIELDS.filter((field) => !jsonEqual(olds[field], news[field]));
  // Unknown tags (preview) are a change whose content is settled in update, when the values are known.
  const tagsUnknown = isUnknown(news.tags);
  const tagChanges = tagsUnknown
    ? { upsert: {}, remove: [] }
    : planTagChanges(olds.tags as Record<string, string> | undefined, news.tags as Record<string, string> | undefined);
  return {
    changes: replaces.length > 0 || behaviourChanges.length > 0 || tagsUnknown || hasTagChanges(tagChanges),
    replaces: [...replaces],
    tagChanges,
    behaviourChanges: [...behaviourChanges],
  };
}
