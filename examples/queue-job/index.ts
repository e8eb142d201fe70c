// A PRIORITY job queue and two jobs on it: the queue runs one job at a time and picks the job with
// the lowest priority number first.
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "pulumi-anyscale";

const config = new pulumi.Config();

const queue = new anyscale.JobQueue("batch", {
  name: config.get("queueName") ?? "batch-priority",
  executionMode: "PRIORITY",
  maxConcurrency: 1,
  idleTimeoutS: 300,
});

const urgent = new anyscale.Job("urgent", {
  name: "urgent-report",
  entrypoint: "python main.py",
  workingDir: "job",
  jobQueue: { queue, priority: 0 },
  waitFor: "succeeded",
});

const routine = new anyscale.Job("routine", {
  name: "routine-report",
  entrypoint: "python main.py",
  workingDir: "job",
  jobQueue: { queue, priority: 10 },
  waitFor: "submitted",
});

export const queueId = queue.id;
export const queueName = queue.name;
export const urgentJobId = urgent.id;
export const urgentState = urgent.state;
export const routineJobId = routine.id;
