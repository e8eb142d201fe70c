// anyscale.JobQueue: a real Anyscale job queue (POST /api/v2/job_queues/create), which jobs target by
// passing the JobQueue object (the dependency then follows automatically).
import * as pulumi from "@pulumi/pulumi";
import { registrationProps, resourceScope, type TimeoutsArgs, withoutPromiseStacks } from "./common";
import { jobQueueInputsSchema } from "../provider/jobqueue/schema";
import { JOB_QUEUE_OUTPUT_NAMES } from "../provider/jobqueue/output-schema";

// A plain require: the module object itself is the provider (see docs/ARCHITECTURE.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobQueueProvider: pulumi.dynamic.ResourceProvider = require("../provider/jobqueue/dynamic");

export type JobQueueExecutionMode = "FIFO" | "LIFO" | "PRIORITY";

export interface JobQueueArgs {
  /** Unique within the project (replaces). Defaults to the resource name plus a short hash, decided at creation. */
  name?: pulumi.Input<string>;
  /** Order in which waiting jobs start (replaces). Default FIFO; PRIORITY runs the lowest `priority` first. */
  executionMode?: pulumi.Input<JobQueueExecutionMode>;
  /** Jobs running at once (in place). Default 1. */
  maxConcurrency?: pulumi.Input<number>;
  /** Seconds the queue's cluster stays up with no job running (in place). */
  idleTimeoutS: pulumi.Input<number>;
  /** Registered compute config `name[:version]` for the queue's cluster (replaces); default: the cloud's default. */
  computeConfig?: pulumi.Input<string>;
  /** Jobs the cluster may run before it becomes eligible for termination (replaces). */
  autoTerminationThresholdJobCount?: pulumi.Input<number>;
  /** (replaces) Defaults to `anyscale:cloud`, then the organization default. */
  cloud?: pulumi.Input<string>;
  /** (replaces) Defaults to `anyscale:project`, then the cloud's default project. */
  project?: pulumi.Input<string>;
  /** Changed in place through the tags API. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** After terminating its jobs: "archive" (default, seals the queue), "delete", or "keep" (leave it untouched). */
  deletionPolicy?: pulumi.Input<"archive" | "delete" | "keep">;
  /** Wait limits (delete default 10m); `customTimeouts` resource options fill these. */
  timeouts?: pulumi.Input<TimeoutsArgs>;
}

// The platform-reported outputs from the declaration; `generatedName` is set by check.
const OUTPUT_NAMES = [...JOB_QUEUE_OUTPUT_NAMES, "generatedName"];

// Every input, straight from the resource's schema (its public face), so a new field is never left out.
const INPUT_NAMES = Object.keys(jobQueueInputsSchema.shape);

export class JobQueue extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly executionMode: pulumi.Output<JobQueueExecutionMode>;
  declare readonly maxConcurrency: pulumi.Output<number>;
  declare readonly idleTimeoutS: pulumi.Output<number>;
  declare readonly computeConfig: pulumi.Output<string | undefined>;
  declare readonly autoTerminationThresholdJobCount: pulumi.Output<number | undefined>;
  declare readonly cloud: pulumi.Output<string | undefined>;
  declare readonly project: pulumi.Output<string | undefined>;
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
  declare readonly deletionPolicy: pulumi.Output<"archive" | "delete" | "keep">;
  /** The queue's id on the platform (same as `id`). */
  declare readonly queueId: pulumi.Output<string>;
  /** ACTIVE, or SEALED once archived. */
  declare readonly state: pulumi.Output<string>;
  declare readonly totalJobs: pulumi.Output<number>;
  declare readonly activeJobs: pulumi.Output<number>;
  declare readonly successfulJobs: pulumi.Output<number>;
  declare readonly failedJobs: pulumi.Output<number>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly creatorId: pulumi.Output<string | undefined>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly cloudId: pulumi.Output<string>;
  declare readonly computeConfigId: pulumi.Output<string | undefined>;
  /** State of the queue's shared cluster (e.g. Running, Terminated). */
  declare readonly clusterState: pulumi.Output<string | undefined>;
  /** True when the name was generated (no `name` given). */
  declare readonly generatedName: pulumi.Output<boolean>;

  constructor(name: string, args: JobQueueArgs, opts?: pulumi.CustomResourceOptions) {
    const props = registrationProps([...OUTPUT_NAMES, ...INPUT_NAMES], args, opts, () => ({
      // Scopes the generated name and the ownership tag to this resource in this stack.
      submissionScope: resourceScope(name),
    }));
    const restoreStacks = withoutPromiseStacks();
    try {
      super(jobQueueProvider, name, props, opts, "anyscale", "JobQueue");
    } finally {
      restoreStacks();
    }
  }

  /** An existing queue by id, read from the platform (not managed by this program). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): JobQueue {
    return new JobQueue(name, { idleTimeoutS: 0 }, { ...opts, id });
  }
}
