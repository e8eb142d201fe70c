// Pure: what a create or update of a Job will do and what its wait expects, from the checked inputs.
import { timeoutMsFor } from "../core/timeouts";
import { DEFAULT_CREATE_TIMEOUT_MS, type Inputs } from "./context";
import type { NormalizedJobInputs, WaitFor } from "./schema";
import { JOB_RECORD_ONLY_FIELDS, type JobPlan as JobChange } from "./planner";
import { submissionKeyFor } from "./submission-key";
import { hasTagChanges } from "../workload/tags";

export interface JobPlan {
  /**
   * create: find the job this resource already submitted, else submit; update: tags (and the wait) on
   * the live job, or `record` when only settings read at delete changed: new outputs, no API call.
   */
  kind: "submit" | "retag" | "record";
  name: string;
  /** The submission key: the tag that finds a job an interrupted create already submitted. */
  submissionKey: string;
  wait: { target: WaitFor; timeoutMs: number };
}

const WAIT_TARGET: Record<WaitFor, string> = {
  submitted: "be submitted",
  starting: "start",
  running: "start running",
  succeeded: "succeed",
  failed: "fail",
  terminated: "be terminated",
  unknown: "report an unknown state",
};

/** For an update, `change` is the planner's verdict on old and new inputs. */
export function decideJob(inputs: Inputs, operation: "create" | "update", change?: JobChange): JobPlan {
  const job = inputs as unknown as NormalizedJobInputs;
  // An update with no change at all is the engine retrying a job recorded after a failed wait: it
  // waits again, so only a change made of record-only settings skips the wait.
  const recordOnly =
    change !== undefined &&
    !hasTagChanges(change.tagChanges) &&
    change.behaviourChanges.length > 0 &&
    change.behaviourChanges.every((field) => JOB_RECORD_ONLY_FIELDS.includes(field));
  return {
    kind: operation === "create" ? "submit" : recordOnly ? "record" : "retag",
    name: job.name,
    submissionKey: submissionKeyFor(inputs),
    wait: { target: job.waitFor ?? "succeeded", timeoutMs: timeoutMsFor(job.timeouts, operation, DEFAULT_CREATE_TIMEOUT_MS) },
  };
}

export function waitDescription(plan: JobPlan, jobId: string): string {
  return `job '${plan.name}' (${jobId}) to ${WAIT_TARGET[plan.wait.target]}`;
}
