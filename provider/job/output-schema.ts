// The Job's outputs, declared once: their types (outputs.ts and observe.ts build values of exactly these)
// and descriptions (zod metadata, for the package schema). The output names are derived from here.
import { z } from "zod";
import { JOB_RUN_STATES, JOB_STATES } from "../anyscale/job-state";
import type { JobRunOutput, ObservedJobOutputs } from "./outputs";

const optionalString = (description: string) => z.string().optional().meta({ description });

export const jobRunOutputSchema = z
  .object({
    id: z.string().meta({ description: "The run's id." }),
    name: z.string().meta({ description: "The run's name (its id when it has none)." }),
    state: z.enum(JOB_RUN_STATES).meta({ description: "The run's state, as the SDK names it." }),
  })
  .strict();

export const jobOutputsSchema = z
  .object({
    jobId: z.string().meta({ description: "The job id (prodjob_…), also the resource id." }),
    state: z.enum(JOB_STATES).meta({ description: "The SDK's JobState: STARTING, RUNNING, SUCCEEDED, FAILED, TERMINATED or UNKNOWN." }),
    backendState: z.string().meta({ description: "The platform's own state name (e.g. OUT_OF_RETRIES)." }),
    error: optionalString("The platform's explanation of a failure or termination; absent when there is none."),
    runs: z.array(jobRunOutputSchema).meta({ description: "The job's runs, oldest first." }),
    lastRunId: optionalString("Id of the last run."),
    creator: optionalString("Email of the user who submitted the job."),
    creatorId: optionalString("Id of the user who submitted the job."),
    createdAt: optionalString("When the job was submitted (ISO 8601)."),
    projectId: optionalString("Id of the job's project."),
    cloudId: optionalString("Id of the job's cloud."),
    jobQueueId: optionalString("Id of the job queue the job was submitted to."),
    archived: z.boolean().meta({ description: "Whether the job is archived." }),
    logTail: z.string().meta({ description: "The last logLines lines of the last run's log, with the API token and secret env values masked." }),
    logError: optionalString("Why the log could not be read (the endpoint and status), when it could not."),
    submissionKey: z.string().meta({ description: "Bookkeeping: the key that finds a submission whose answer was lost, so a retry never submits twice." }),
  })
  .strict();
export type JobComputed = z.infer<typeof jobOutputsSchema>;

/** The output-only property names. */
export const JOB_OUTPUT_NAMES = Object.keys(jobOutputsSchema.shape) as Array<keyof JobComputed>;

// What observedJobOutputs builds, plus the id and submission key observe.ts adds, must be the declared
// shape. Key sets are compared too: structural assignability alone lets an optional field go undeclared.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
const jobOutputsAreDeclared: Same<JobComputed, ObservedJobOutputs & { jobId: string; submissionKey: string }> & Same<z.infer<typeof jobRunOutputSchema>, JobRunOutput> = true;
void jobOutputsAreDeclared;
