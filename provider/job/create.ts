// create and update, each a straight pipeline: decide (pure) → prepare → send → wait → outputs.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { AnyscaleError } from "../core/errors";
import type { Inputs, JobContext } from "./context";
import { decideJob } from "./decide";
import { recordedOutputs } from "./outputs";
import { planJobChange } from "./planner";
import type { NormalizedJobInputs } from "./schema";
import { settleJob } from "./settle";
import { findSubmittedJob, prepareSubmit, submitOnce } from "./submit";

export async function createJob(context: JobContext, inputs: Inputs): Promise<dynamic.CreateResult> {
  const plan = decideJob(inputs, "create");
  // An interrupted create of this very resource already submitted it: wait on that job, never submit a second.
  let jobId = await findSubmittedJob(context.client, plan.submissionKey, plan.name);
  if (!jobId) {
    const body = await prepareSubmit(context, inputs as unknown as NormalizedJobInputs, plan.submissionKey);
    jobId = await submitOnce(context.client, body, plan.submissionKey, plan.name);
  }
  return settleJob(context, jobId, inputs, plan);
}

export async function updateJob(context: JobContext, id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  const change = planJobChange(olds, news);
  if (change.replaces.length > 0) {
    // The engine replaces on these; reaching here means a diff/engine mismatch, never a silent partial update.
    throw new AnyscaleError(`Job ${id}: ${change.replaces.join(", ")} cannot change in place; the job must be replaced.`);
  }
  const plan = decideJob(news, "update", change);
  if (plan.kind === "record") return { outs: recordedOutputs(olds, news) };
  await context.client.tags.upsert("job", id, change.tagChanges.upsert);
  await context.client.tags.delete("job", id, change.tagChanges.remove);
  return { outs: (await settleJob(context, id, news, plan)).outs };
}
