// delete per deletionPolicy: keep (release the submission key only), archive, or delete; a job still
// going is terminated and waited on first (the stop rule lives with the wait rules).
import { BACKEND_FINAL_STATES } from "../anyscale/job-state";
import { nextJob, observedPollSchedule } from "../anyscale/watch";
import { SUBMISSION_KEY_TAG } from "../core/reserved-tags";
import { timeoutMsFor } from "../core/timeouts";
import { waitFor } from "../core/waiter";
import { DEFAULT_DELETE_TIMEOUT_MS, type Inputs, type JobContext } from "./context";
import type { NormalizedJobInputs } from "./schema";
import { jobStoppedRules } from "./wait-rules";

export async function deleteJob(context: JobContext, id: string, props: Inputs): Promise<void> {
  const { client } = context;
  const job = await client.jobs.get(id);
  if (!job) return;
  const policy = (props.deletionPolicy as string | undefined) ?? "archive";
  if (policy === "keep") {
    // Left as it is, running or not; only the submission key is released so an identical resource submits afresh.
    await client.tags.delete("job", id, [SUBMISSION_KEY_TAG]).catch(ignoreNotFound);
    return;
  }
  let archivedAt = job.archived_at;
  if (!BACKEND_FINAL_STATES.has(job.state.current_state)) {
    await client.jobs.terminate(id);
    const stopped = await waitFor({
      description: `job '${job.name}' (${id}) to stop after terminate`,
      observe: async () => (await nextJob(client, id)) ?? null,
      rules: jobStoppedRules(),
      timeoutMs: timeoutMsFor(props.timeouts as NormalizedJobInputs["timeouts"], "delete", DEFAULT_DELETE_TIMEOUT_MS),
      schedule: observedPollSchedule(),
    });
    if (stopped.result === null) return;
    archivedAt = stopped.result.archived_at;
  }
  if (policy === "delete") await client.jobs.delete(id).catch(ignoreNotFound);
  else if (!archivedAt) await client.jobs.archive(id).catch(ignoreNotFound);
}

function ignoreNotFound(error: unknown): void {
  if ((error as { status?: number }).status === 404) return;
  throw error;
}
