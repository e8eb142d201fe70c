// delete per deletionPolicy: keep (release the ownership tag only), archive (seal) or delete, after
// terminating the queue's jobs and waiting until none is active (the rule lives in wait-rules.ts).
import type { AnyscaleClient } from "../anyscale/client";
import type { JobQueueModel } from "../anyscale/job-queue-models";
import { nextJobQueue, observedPollSchedule } from "../anyscale/watch";
import { BadRequestError, ConflictError, WaitError } from "../core/errors";
import { SUBMISSION_KEY_TAG } from "../core/reserved-tags";
import { timeoutMsFor } from "../core/timeouts";
import { waitFor } from "../core/waiter";
import { DEFAULT_DELETE_TIMEOUT_MS, type Inputs, type QueueContext } from "./context";
import type { NormalizedJobQueueInputs } from "./schema";
import { queueRemovedRules, type QueueRemovalObservation } from "./wait-rules";

export async function deleteQueue(context: QueueContext, id: string, props: Inputs): Promise<void> {
  const { client } = context;
  const live = await client.jobQueues.get(id);
  if (!live) return;
  const policy = (props.deletionPolicy as string | undefined) ?? "archive";
  if (policy === "keep") {
    await client.tags.delete("job_queue", id, [SUBMISSION_KEY_TAG]).catch(ignoreNotFound);
    return;
  }
  const timeoutMs = timeoutMsFor(props.timeouts as NormalizedJobQueueInputs["timeouts"], "delete", DEFAULT_DELETE_TIMEOUT_MS);
  // Terminate first so no job keeps running on a queue that is going away (repeating it is harmless).
  await client.jobQueues.terminate(id).catch((error: unknown) => {
    if (!(error instanceof BadRequestError)) ignoreNotFound(error);
  });
  try {
    await waitFor({
      description: `job queue '${live.name ?? id}' (${id}) to ${policy === "delete" ? "be deleted" : "be archived"}`,
      observe: async (): Promise<QueueRemovalObservation> => {
        const current = await nextJobQueue(client, id);
        if (!current) return { gone: true, done: true, detail: "deleted" };
        if ((current.active_jobs ?? 0) > 0) return { gone: false, done: false, detail: `${current.active_jobs} job(s) still active` };
        return { gone: false, done: await finishRemoval(client, id, current, policy), detail: "removal refused, retrying" };
      },
      rules: queueRemovedRules(),
      timeoutMs,
      schedule: observedPollSchedule(),
    });
  } catch (error) {
    if (error instanceof WaitError) throw new WaitError(error.outcome, `${error.message} The queue was left in place; run \`pulumi destroy\` again.`, error.lastObserved);
    throw error;
  }
}

/** Archives or deletes a queue with no active jobs; false when the platform refuses for now (e.g. its cluster is still stopping). */
async function finishRemoval(client: AnyscaleClient, id: string, current: JobQueueModel, policy: string): Promise<boolean> {
  try {
    if (policy === "delete") await client.jobQueues.delete(id);
    else if (current.current_job_queue_state !== "SEALED") await client.jobQueues.archive(id);
    return true;
  } catch (error) {
    if (error instanceof BadRequestError || error instanceof ConflictError) return false;
    if ((error as { status?: number }).status === 404) return true;
    throw error;
  }
}

function ignoreNotFound(error: unknown): void {
  if ((error as { status?: number }).status === 404) return;
  throw error;
}
