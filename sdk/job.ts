// anyscale.Job: one submission of an Anyscale job. Jobs are immutable runs: a change to what runs
// (or to `triggers`) submits a new job; tags change in place. `pulumi up` waits for the job like
// Kubernetes jobs in Pulumi (default: until it succeeds) and fails with the platform's error and the
// tail of the log when it fails.
import * as pulumi from "@pulumi/pulumi";
import { definedOnly, registrationProps, resourceScope, type TimeoutsArgs, type WorkloadArgs, withoutPromiseStacks } from "./common";
import { JobQueue, type JobQueueExecutionMode } from "./job-queue";
import { jobArgsFromYaml } from "./job-yaml";
import { applyYamlOverrides } from "./yaml-overrides";
import { noteWaitingResource } from "./parallelism-hint";
import { JOB_PROPERTY_NAMES, type WaitFor } from "../provider/job/schema";

// A plain require: the module object itself is the provider (see docs/ARCHITECTURE.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: pulumi.dynamic.ResourceProvider = require("../provider/job/dynamic");

export type JobWaitFor = WaitFor;
export type JobState = "STARTING" | "RUNNING" | "FAILED" | "SUCCEEDED" | "TERMINATED" | "UNKNOWN";
export type JobRunState = "STARTING" | "RUNNING" | "FAILED" | "SUCCEEDED" | "UNKNOWN";

export interface JobRun {
  id: string;
  name: string;
  state: JobRunState;
}

/** A queue the job creates on first use (or reuses by name): the SDK's JobQueueSpec. */
export interface JobQueueSpecArgs {
  name?: pulumi.Input<string>;
  /** Default FIFO. */
  executionMode?: pulumi.Input<JobQueueExecutionMode>;
  computeConfig?: pulumi.Input<string>;
  /** Default 1. */
  maxConcurrency?: pulumi.Input<number>;
  idleTimeoutS: pulumi.Input<number>;
  autoTerminationThresholdJobCount?: pulumi.Input<number>;
}

/** Where the job is scheduled: an existing queue (object or name), or an inline spec. */
export interface JobQueueTargetArgs {
  /** A JobQueue resource (the dependency follows automatically) or the name of an existing queue. */
  queue?: JobQueue | pulumi.Input<string>;
  /** The name of an existing queue (the SDK's target_job_queue_name); same as `queue: "<name>"`. */
  targetJobQueueName?: pulumi.Input<string>;
  /** A queue created on first use; exclusive with `queue` / `targetJobQueueName`. */
  jobQueueSpec?: pulumi.Input<JobQueueSpecArgs>;
  /** Only for PRIORITY queues: 0 is the highest priority. */
  priority?: pulumi.Input<number>;
}

/** Every field of Anyscale's JobConfig in camelCase, plus how Pulumi waits for and removes the job. */
export interface JobArgs extends WorkloadArgs {
  /** Defaults to the resource name (job names need not be unique). */
  name?: pulumi.Input<string>;
  /** The command that runs the job, e.g. `python main.py`. */
  entrypoint: pulumi.Input<string>;
  /** A local directory (zipped and uploaded; content changes re-run the job) or a remote URI. */
  workingDir?: pulumi.Input<string>;
  /** Values given as secrets are masked in the log tail and keep the log out of error messages. */
  envVars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Retries after a failed run (the SDK's default is 1). */
  maxRetries?: pulumi.Input<number>;
  /** Limit for each run, in seconds (killed and counted as a failed attempt). */
  timeoutS?: pulumi.Input<number>;
  /** Global Resource Scheduler priority 0–1000 (the SDK's JobConfig.priority); not the queue priority. */
  priority?: pulumi.Input<number>;
  /** Changed in place through the tags API. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  jobQueue?: JobQueueTargetArgs;
  /**
   * How long `pulumi up` waits: "submitted" (not at all) or a state of the SDK's `job.wait`: "starting",
   * "running", "succeeded" (default), "failed", "terminated" or "unknown" (any case). A state the job has
   * passed is reached (a job that succeeded has been running); a job that ends otherwise fails the wait.
   */
  waitFor?: pulumi.Input<JobWaitFor>;
  /** Any change to these values submits the job again. */
  triggers?: pulumi.Input<unknown[]>;
  /** What `pulumi destroy` does: "archive" (default) or "delete" (a running job is terminated first), or "keep" (left untouched). */
  deletionPolicy?: pulumi.Input<"archive" | "delete" | "keep">;
  /** How many of the last log lines to keep in `logTail` (default 20, 0 to skip). */
  logLines?: pulumi.Input<number>;
  /** Wait limits (create/update default 30m, delete 10m); `customTimeouts` resource options fill these. */
  timeouts?: pulumi.Input<TimeoutsArgs>;
}


export class Job extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly entrypoint: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
  declare readonly waitFor: pulumi.Output<JobWaitFor>;
  declare readonly deletionPolicy: pulumi.Output<"archive" | "delete" | "keep">;
  /** The job's id on the platform (same as `id`). */
  declare readonly jobId: pulumi.Output<string>;
  /** The SDK's JobState when last observed. */
  declare readonly state: pulumi.Output<JobState>;
  /** The platform's own state name (e.g. OUT_OF_RETRIES). */
  declare readonly backendState: pulumi.Output<string>;
  declare readonly error: pulumi.Output<string | undefined>;
  declare readonly runs: pulumi.Output<JobRun[]>;
  declare readonly lastRunId: pulumi.Output<string | undefined>;
  /** Email of the user who submitted the job. */
  declare readonly creator: pulumi.Output<string | undefined>;
  declare readonly creatorId: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly projectId: pulumi.Output<string | undefined>;
  declare readonly cloudId: pulumi.Output<string | undefined>;
  declare readonly jobQueueId: pulumi.Output<string | undefined>;
  declare readonly archived: pulumi.Output<boolean>;
  /** The last `logLines` lines of the last run's log (secret values masked). */
  declare readonly logTail: pulumi.Output<string>;
  /** Why the log could not be read, when it could not. */
  declare readonly logError: pulumi.Output<string | undefined>;
  /** Tags the job so a retried create finds it instead of submitting again. */
  declare readonly submissionKey: pulumi.Output<string>;
  /** Digest of the local files the job ships. */
  declare readonly sourceHash: pulumi.Output<string | undefined>;

  constructor(name: string, args: JobArgs, opts?: pulumi.CustomResourceOptions) {
    const props = registrationProps(JOB_PROPERTY_NAMES, args, opts, () => ({
      jobQueue: jobQueueInput(args.jobQueue),
      secretEnvVarNames: secretEnvVarNames(args.envVars),
      // Scopes the default name and the submission key to this resource in this stack.
      submissionScope: resourceScope(name),
    }));
    const restoreStacks = withoutPromiseStacks();
    try {
      super(jobProvider, name, props, opts, "anyscale", "Job");
    } finally {
      restoreStacks();
    }
    if (!opts?.id && args.waitFor !== "submitted") noteWaitingResource();
  }

  /** An existing job by id, read from the platform (not managed by this program). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): Job {
    return new Job(name, { entrypoint: "" }, { ...opts, id });
  }

  /**
   * A job from an official Anyscale job YAML (`anyscale job submit -f job.yaml`), unchanged: snake_case
   * keys, paths relative to the file. `overrides` win over the file (e.g. `waitFor`, `triggers`) the way
   * the CLI's flags win over `-f`: `envVars` and `tags` per key, `excludes` appended to the file's.
   */
  static fromYaml(name: string, file: string, overrides: Partial<JobArgs> = {}, opts?: pulumi.CustomResourceOptions): Job {
    return new Job(name, applyYamlOverrides<JobArgs>(jobArgsFromYaml(file), overrides as Record<string, unknown>), opts);
  }
}

/** A JobQueue object becomes its id (exact, and the dependency) plus its name and mode (so check can judge a priority). */
function jobQueueInput(target: JobQueueTargetArgs | undefined): pulumi.Input<Record<string, unknown>> | undefined {
  if (!target) return undefined;
  const { queue, ...rest } = target;
  if (queue instanceof JobQueue) {
    return definedOnly({
      ...rest,
      targetJobQueueId: queue.id,
      targetJobQueueName: rest.targetJobQueueName ?? queue.name,
      targetJobQueueExecutionMode: queue.executionMode,
    });
  }
  if (queue !== undefined && rest.targetJobQueueName !== undefined) {
    throw new Error("jobQueue: give the queue once, either as `queue` or as `targetJobQueueName`.");
  }
  return definedOnly({ ...rest, targetJobQueueName: queue ?? rest.targetJobQueueName });
}

/** Names of env vars whose values the program marked secret (values never leave the Output). */
function secretEnvVarNames(envVars: JobArgs["envVars"]): pulumi.Output<string[]> | undefined {
  if (envVars === undefined) return undefined;
  if (pulumi.Output.isInstance(envVars)) {
    return pulumi
      .all([pulumi.unsecret(envVars as pulumi.Output<Record<string, string>>), pulumi.output(pulumi.isSecret(envVars as pulumi.Output<unknown>))])
      .apply(([values, secret]) => (secret ? Object.keys(values ?? {}) : []));
  }
  const entries = Object.entries(envVars as Record<string, pulumi.Input<string>>);
  const flags = entries.map(([, value]) =>
    pulumi.output(pulumi.Output.isInstance(value) ? pulumi.isSecret(value as pulumi.Output<string>) : Promise.resolve(false)),
  );
  return pulumi.all(flags).apply((secret) => entries.filter((_, index) => secret[index]).map(([key]) => key));
}
