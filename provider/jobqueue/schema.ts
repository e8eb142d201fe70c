// The one source of the JobQueue resource's input types and their check-time validation. Field
// names are the camelCase of the SDK's JobQueueSpec plus the platform's CreateJobQueueRequests.
import { z } from "zod";
import { timeoutsSchema } from "../core/timeouts";
import { EXECUTION_MODES } from "../anyscale/job-queue-models";
import { tagsInputSchema } from "../workload/tags";

const INT32_MAX = 2_147_483_647;
const COMPUTE_CONFIG_NAME = /^[^\s:]+(\s+[^\s:]+)*(:[1-9][0-9]*)?$/;

export const QUEUE_DELETION_POLICIES = ["archive", "delete", "keep"] as const;
export type QueueDeletionPolicy = (typeof QUEUE_DELETION_POLICIES)[number];

const nonEmptyString = z.string().trim().min(1, "must not be empty");
const upperCaseEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (typeof value === "string" ? value.toUpperCase() : value), z.enum(values));

export const jobQueueInputsSchema = z.strictObject({
  /** Unique within the project. Defaults to the resource name plus a short hash of what defines the queue. */
  name: nonEmptyString.optional(),
  executionMode: upperCaseEnum(EXECUTION_MODES).optional(),
  maxConcurrency: z.number().int("must be a whole number").min(1, "must be >= 1").max(INT32_MAX).optional(),
  idleTimeoutS: z
    .number({ error: "is required (seconds the queue's cluster stays up with no job running)" })
    .int("must be a whole number")
    .min(0, "must be >= 0")
    .max(INT32_MAX),
  computeConfig: z.string().regex(COMPUTE_CONFIG_NAME, 'must be a compute config name such as "my-config" or "my-config:2"').optional(),
  autoTerminationThresholdJobCount: z.number().int("must be a whole number").min(1, "must be > 0").max(INT32_MAX).optional(),
  cloud: nonEmptyString.optional(),
  project: nonEmptyString.optional(),
  tags: tagsInputSchema.optional(),
  deletionPolicy: z.enum(QUEUE_DELETION_POLICIES).optional(),
  timeouts: timeoutsSchema.optional(),
  /** "<project>/<stack>/<resource name>", set by the resource class. */
  submissionScope: z.string().optional(),
});

export type JobQueueInputs = z.infer<typeof jobQueueInputsSchema>;

export interface NormalizedJobQueueInputs extends JobQueueInputs {
  name: string;
  executionMode: "FIFO" | "LIFO" | "PRIORITY";
  maxConcurrency: number;
  deletionPolicy: QueueDeletionPolicy;
}
