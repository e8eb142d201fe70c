// The JobQueue's outputs, declared once: their types (outputs.ts builds values of exactly these: its
// literal is typed by them) and descriptions (zod metadata, for the package schema).
import { z } from "zod";

const optionalString = (description: string) => z.string().optional().meta({ description });

export const jobQueueOutputsSchema = z
  .object({
    queueId: z.string().meta({ description: "The queue's id, also the resource id." }),
    state: z.string().meta({ description: "The queue's state, e.g. ACTIVE or SEALED." }),
    totalJobs: z.number().int().meta({ description: "Jobs ever submitted to the queue." }),
    activeJobs: z.number().int().meta({ description: "Jobs waiting or running." }),
    successfulJobs: z.number().int().meta({ description: "Jobs that succeeded." }),
    failedJobs: z.number().int().meta({ description: "Jobs that failed." }),
    createdAt: optionalString("When the queue was created (ISO 8601)."),
    creatorId: optionalString("Id of the user who created the queue."),
    projectId: optionalString("Id of the queue's project."),
    cloudId: optionalString("Id of the queue's cloud."),
    computeConfigId: optionalString("Id of the compute config the queue's cluster runs."),
    clusterState: optionalString("State of the queue's cluster, when it has one."),
  })
  .strict();
export type JobQueueComputed = z.infer<typeof jobQueueOutputsSchema>;

/** The output-only property names the platform reports (the SDK class adds `generatedName`, which check sets). */
export const JOB_QUEUE_OUTPUT_NAMES = Object.keys(jobQueueOutputsSchema.shape) as Array<keyof JobQueueComputed>;
