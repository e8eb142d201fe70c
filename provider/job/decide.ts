// Pure: what a create or update of a Job will do and what its wait expects, from the checked inputs.
import { timeoutMsFor } from "../core/timeouts";
import { DEFAULT_CREATE_TIMEOUT_MS, type Inputs } from "./context";
import type { NormalizedJobInputs, WaitFor } from "./schema";
import { submissionKeyFor } from "./submission-key";

export interface JobPlan {
  /** create: find the job this resource already submitted, else submit; update: tags only, on the live job. */
  kind: "submit" | "retag";
  name: string;
  /** The submission key: the tag that finds a job an interrupted create already submitted. */
  submissionKey: string;
  wait: { target: WaitFor; timeoutMs: number };
}

const WAIT_TARGET: Record<WaitFor, string> = { submitted: "be submitted", running: "start running", succeeded: "succeed" };

export function decideJob(inputs: Inputs, operation: "create" | "update"): JobPlan {
  const job = inputs as unknown as NormalizedJobInputs;
  return {
    kind: operation === "create" ? "submit" : "retag",
    name: job.name,
    submissionKey: submissionKeyFor(inputs),
    wait: { target: job.waitFor ?? "succeeded", timeoutMs: timeoutMsFor(job.timeouts, operation, DEFAULT_CREATE_TIMEOUT_MS) },
  };
}

export function waitDescription(plan: JobPlan, jobId: string): string {
  return `job '${plan.name}' (${jobId}) to ${WAIT_TARGET[plan.wait.target]}`;
}
