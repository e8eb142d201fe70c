// The one source of the Job resource's input types and their check-time validation. Field names are
// the camelCase of the official JobConfig (anyscale/job/models.py), so `fromYaml` is a key rename.
import { nameOrInlineComputeConfig } from "../anyscale/compute-config";
import { z } from "zod";
import { timeoutsSchema } from "../core/timeouts";
import { imageUriSchema } from "../workload/image-uri";

/** The backend stores these in 64-bit columns; the SDK rejects anything above 2^63-1. */
const QUEUE_PRIORITY_MAX = Number.MAX_SAFE_INTEGER;
/** Global Resource Scheduler priority range (SCHEDULING_PRIORITY_MIN/MAX in the SDK). */
export const SCHEDULING_PRIORITY_MAX = 1000;
/** max_retries and timeout_s are 32-bit integers on the backend. */
const INT32_MAX = 2_147_483_647;
export const MAX_LOG_LINES = 1000;
export const DEFAULT_LOG_LINES = 20;

/** Tags under this prefix belong to the provider (idempotent submission); users cannot set them. */
export { RESERVED_TAG_PREFIX } from "../core/reserved-tags";
import { EXECUTION_MODES } from "../anyscale/job-queue-models";
import { tagsInputSchema } from "../workload/tags";
import { JOB_OUTPUT_NAMES } from "./output-schema";


/**
 * "submitted" (don't wait) or any target state of the SDK's `job.wait` (anyscale JobState), lowercase;
 * given in any case, as the SDK's enums are.
 */
export const WAIT_FOR_VALUES = ["submitted", "starting", "running", "succeeded", "failed", "terminated", "unknown"] as const;
export type WaitFor = (typeof WAIT_FOR_VALUES)[number];

export const DELETION_POLICIES = ["archive", "delete", "keep"] as const;
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];

/** `name[:version]` as the SDK's compute-config name regex accepts it. */
const COMPUTE_CONFIG_NAME = /^[^\s:]+(\s+[^\s:]+)*(:[1-9][0-9]*)?$/;
const RAY_VERSION = /^\d+\.\d+\.\d+$/;
/** Images built or registered on Anyscale (`anyscale/image/<name>:<revision>`), which the platform pulls itself. */
const ANYSCALE_HOSTED_IMAGE_PREFIX = "anyscale/image/";

const nonEmptyString = z.string().trim().min(1, "must not be empty");
const nonNegativeInt = (max: number) =>
  z.number().int("must be a whole number").min(0, "must be >= 0").max(max, `must be <= ${max}`);

/** Enum values are matched case-insensitively, as the SDK's ModelEnum.validate does. */
const upperCaseEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (typeof value === "string" ? value.toUpperCase() : value), z.enum(values));
const lowerCaseEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (typeof value === "string" ? value.toLowerCase() : value), z.enum(values));

export const computeConfigInputSchema = nameOrInlineComputeConfig(
  z.string().regex(COMPUTE_CONFIG_NAME, 'must be a compute config name such as "my-config" or "my-config:2"'),
);


export const jobQueueSpecInputSchema = z.strictObject({
  /** Unique within the project; the queue can then be targeted by name. */
  name: nonEmptyString.optional(),
  executionMode: upperCaseEnum(EXECUTION_MODES).optional(),
  computeConfig: z.string().regex(COMPUTE_CONFIG_NAME, 'must be a compute config name such as "my-config:1"').optional(),
  maxConcurrency: z.number().int("must be a whole number").min(1, "must be >= 1").max(INT32_MAX).optional(),
  idleTimeoutS: nonNegativeInt(INT32_MAX),
  autoTerminationThresholdJobCount: z.number().int("must be a whole number").min(1, "must be > 0").max(INT32_MAX).optional(),
});
export type JobQueueSpecInput = z.infer<typeof jobQueueSpecInputSchema>;

export const jobQueueInputSchema = z
  .strictObject({
    /** Job's priority inside a PRIORITY queue: 0 is the highest. */
    priority: nonNegativeInt(QUEUE_PRIORITY_MAX).optional(),
    targetJobQueueName: nonEmptyString.optional(),
    /** Set by the resource class when the user passes a JobQueue object. */
    targetJobQueueId: nonEmptyString.optional(),
    /** The referenced JobQueue's execution mode, so a misplaced priority fails at check time. */
    targetJobQueueExecutionMode: upperCaseEnum(EXECUTION_MODES).optional(),
    jobQueueSpec: jobQueueSpecInputSchema.optional(),
  })
  .superRefine((queue, ctx) => {
    if (queue.jobQueueSpec && (queue.targetJobQueueName || queue.targetJobQueueId)) {
      ctx.addIssue({
        code: "custom",
        path: [queue.targetJobQueueName ? "targetJobQueueName" : "targetJobQueueId"],
        message: "cannot be combined with jobQueue.jobQueueSpec: target an existing queue or describe a new one, not both",
      });
    }
    if (!queue.jobQueueSpec && !queue.targetJobQueueName && !queue.targetJobQueueId) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "must name a queue (queue / targetJobQueueName) or describe one (jobQueueSpec)",
      });
    }
    // Judged only when the mode is known: an explicit spec mode, or the referenced JobQueue's. A spec
    // without a mode may name an existing PRIORITY queue (the platform reuses a queue by name), and a
    // queue given only by name is judged by the platform.
    const mode = queue.jobQueueSpec ? queue.jobQueueSpec.executionMode : queue.targetJobQueueExecutionMode;
    if (queue.priority !== undefined && mode !== undefined && mode !== "PRIORITY") {
      const origin = queue.jobQueueSpec ? `jobQueue.jobQueueSpec.executionMode is ${mode}` : `the target queue's execution mode is ${mode}`;
      ctx.addIssue({
        code: "custom",
        path: ["priority"],
        message: `only PRIORITY queues order jobs by priority, but ${origin}; remove the priority or use executionMode PRIORITY`,
      });
    }
  });
export type JobQueueInput = z.infer<typeof jobQueueInputSchema>;

export const connectionInputSchema = z.strictObject({
  type: upperCaseEnum(["DATABRICKS"] as const),
  name: nonEmptyString,
});

export const jobInputsSchema = z
  .strictObject({
    name: nonEmptyString.optional(),
    entrypoint: z.string({ error: "is required (the command that runs the job, e.g. \"python main.py\")" }).trim().min(1, "must not be empty"),
    imageUri: imageUriSchema.optional(),
    containerfile: nonEmptyString.optional(),
    computeConfig: computeConfigInputSchema.optional(),
    workingDir: nonEmptyString.optional(),
    excludes: z.array(z.string()).optional(),
    requirements: z.union([nonEmptyString, z.array(z.string())]).optional(),
    envVars: z.record(z.string().min(1, "environment variable names must not be empty"), z.string()).optional(),
    pyModules: z.array(nonEmptyString).optional(),
    pyExecutable: nonEmptyString.optional(),
    cloud: nonEmptyString.optional(),
    project: nonEmptyString.optional(),
    registryLoginSecret: nonEmptyString.optional(),
    rayVersion: z.string().regex(RAY_VERSION, 'must be a Ray version "X.Y.Z"').optional(),
    connections: z.array(connectionInputSchema).optional(),
    maxRetries: nonNegativeInt(INT32_MAX).optional(),
    timeoutS: nonNegativeInt(INT32_MAX).optional(),
    /** Global Resource Scheduler priority (JobConfig.priority); distinct from jobQueue.priority. */
    priority: nonNegativeInt(SCHEDULING_PRIORITY_MAX).optional(),
    tags: tagsInputSchema.optional(),
    /** Names of envVars whose values the program marked secret (set by the resource class): masked in logs. */
    secretEnvVarNames: z.array(z.string()).optional(),
    jobQueue: jobQueueInputSchema.optional(),
    waitFor: lowerCaseEnum(WAIT_FOR_VALUES).optional(),
    triggers: z.array(z.unknown()).optional(),
    deletionPolicy: z.enum(DELETION_POLICIES).optional(),
    logLines: nonNegativeInt(MAX_LOG_LINES).optional(),
    timeouts: timeoutsSchema.optional(),
    /** "<project>/<stack>/<resource name>", set by the resource class: scopes the submission key. */
    submissionScope: z.string().optional(),
  })
  .superRefine((job, ctx) => {
    if (job.imageUri && job.containerfile) {
      ctx.addIssue({ code: "custom", path: ["containerfile"], message: "cannot be combined with imageUri: give one image source" });
    }
    if (job.registryLoginSecret && !job.imageUri) {
      ctx.addIssue({ code: "custom", path: ["registryLoginSecret"], message: "can only be used together with imageUri" });
    }
    if (job.registryLoginSecret && job.imageUri?.startsWith(ANYSCALE_HOSTED_IMAGE_PREFIX)) {
      ctx.addIssue({
        code: "custom",
        path: ["registryLoginSecret"],
        message: `is for an image in another registry; ${job.imageUri} is hosted on Anyscale, which needs no login`,
      });
    }
    if (job.rayVersion && !job.imageUri && !job.containerfile) {
      ctx.addIssue({ code: "custom", path: ["rayVersion"], message: "describes the image, so it needs imageUri or containerfile" });
    }
    const seenTypes = new Set<string>();
    job.connections?.forEach((connection, index) => {
      if (seenTypes.has(connection.type)) {
        ctx.addIssue({ code: "custom", path: ["connections", index, "type"], message: `only one connection of type ${connection.type} is allowed` });
      }
      seenTypes.add(connection.type);
    });
  });

export type JobInputs = z.infer<typeof jobInputsSchema>;

/** Outputs the provider adds to the echoed inputs (besides `sourceHash`, which check computes): declared in output-schema.ts. */
export const JOB_OUTPUT_FIELDS = JOB_OUTPUT_NAMES;

/** Every property of a Job in state: its inputs, the digest check adds, and its outputs. */
export const JOB_PROPERTY_NAMES: readonly string[] = [...Object.keys(jobInputsSchema.shape), "sourceHash", ...JOB_OUTPUT_FIELDS];

/** Inputs after defaults: what the provider stores and diffs. */
export interface NormalizedJobInputs extends JobInputs {
  name: string;
  waitFor: WaitFor;
  deletionPolicy: DeletionPolicy;
  logLines: number;
}
