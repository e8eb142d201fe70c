// create and update, each a straight pipeline: decide (pure) → prepare → send → outputs. Queues are
// created for real with POST /api/v2/job_queues/create (CreateJobQueueRequests in the SDK's generated
// client), not implicitly through a job's job_queue_spec, so a queue exists (and can be refreshed,
// resized and deleted) independently of the jobs that use it.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { AnyscaleClient } from "../anyscale/client";
import { resolveBuildId, resolveComputeConfig, resolveProjectId } from "../anyscale/catalog";
import { throwInitFailure } from "../core/dynamic-support";
import { AnyscaleError, ConflictError } from "../core/errors";
import { SUBMISSION_KEY_TAG } from "../core/reserved-tags";
import { sendLookingFirst } from "../core/write-once";
import { echo, queueOutputs, type Inputs, type QueueContext } from "./context";
import { decideQueueCreate } from "./naming";
import { planJobQueueChange } from "./planner";
import { buildCreateQueueBody } from "./request-body";
import type { NormalizedJobQueueInputs } from "./schema";

export async function createQueue(context: QueueContext, inputs: Inputs): Promise<dynamic.CreateResult> {
  const queue = inputs as unknown as NormalizedJobQueueInputs;
  const { client, settings } = context;
  const { key, names } = decideQueueCreate(inputs);
  // A named compute config decides the cloud unless one is given; none means the cloud's default config.
  const compute = await resolveComputeConfig(client, queue.computeConfig, queue.cloud ?? settings.defaultCloud);
  const projectId = await resolveProjectId(client, queue.project ?? settings.defaultProject, compute.cloudId);
  let queueId = await findOwnedQueue(client, projectId, key);
  if (!queueId) {
    const buildId = await resolveBuildId(client, {});
    const bodyFor = (name: string) => buildCreateQueueBody({ ...queue, name }, { projectId, computeConfigId: compute.computeConfigId, buildId }, { [SUBMISSION_KEY_TAG]: key });
    queueId = await sendUnderFreeName(client, queue, names, bodyFor, projectId, key);
  }
  const live = await client.jobQueues.get(queueId);
  if (!live) throwInitFailure(queueId, echo(inputs), inputs, `Job queue ${queueId} was created but GET /api/v2/job_queues/${queueId} answers 404.`);
  return { id: queueId, outs: queueOutputs(inputs, live) };
}

/** The active queue this resource created earlier (found by its ownership tag, verified on the queue itself). */
async function findOwnedQueue(client: AnyscaleClient, projectId: string, key: string): Promise<string | undefined> {
  const candidates = await client.jobQueues.search({ projectId, tags: { [SUBMISSION_KEY_TAG]: key } });
  for (const candidate of candidates.filter((queue) => queue.current_job_queue_state !== "SEALED")) {
    const tags = await client.tags.list("job_queue", candidate.id);
    if (tags[SUBMISSION_KEY_TAG] === key) return candidate.id;
  }
  return undefined;
}

/**
 * Creates the queue under the first free candidate name. A lost answer (reset, timeout, 5xx) is settled
 * by looking the queue up by its ownership tag before trying again, so one resource never makes two queues.
 */
async function sendUnderFreeName(
  client: AnyscaleClient,
  queue: NormalizedJobQueueInputs,
  names: string[],
  bodyFor: (name: string) => Record<string, unknown>,
  projectId: string,
  key: string,
): Promise<string> {
  let lastConflict: ConflictError | undefined;
  for (const name of names) {
    try {
      return await sendLookingFirst<string>({
        what: "create",
        send: async () => {
          const created = await client.jobQueues.create(bodyFor(name));
          // Servers that drop tags from the create body still get them (and the ownership tag).
          await client.tags.upsert("job_queue", created.id, { ...(queue.tags ?? {}), [SUBMISSION_KEY_TAG]: key });
          return created.id;
        },
        look: async () => {
          const found = await findOwnedQueue(client, projectId, key);
          return found ? { action: "found", value: found } : { action: "resend", reason: "no queue carries this resource's ownership tag" };
        },
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      lastConflict = error;
    }
    // The name is taken: by this resource after a lost answer (adopt it), else try the next generated name.
    const found = await findOwnedQueue(client, projectId, key);
    if (found) return found;
  }
  const detail = lastConflict?.detail ?? "name taken";
  throw new AnyscaleError(
    typeof queue.name === "string"
      ? `name: a job queue named '${queue.name}' already exists in this project (${detail}). Queue names are unique within a project, ` +
          `and a sealed (archived) queue keeps its name: choose another name, or leave name unset to get a generated one.`
      : `Could not find a free generated name for this job queue after ${names.length} attempts (${detail}); set name explicitly.`,
  );
}

export async function updateQueue(context: QueueContext, id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  const { client } = context;
  const plan = planJobQueueChange(olds, news);
  if (plan.replaces.length > 0) {
    // The engine replaces on these; reaching here means a diff/engine mismatch, never a silent partial update.
    throw new AnyscaleError(`Job queue ${id}: ${plan.replaces.join(", ")} cannot change in place; the queue must be replaced.`);
  }
  let live = Object.keys(plan.inPlace).length > 0 ? await client.jobQueues.update(id, plan.inPlace) : await client.jobQueues.get(id);
  await client.tags.upsert("job_queue", id, plan.tagChanges.upsert);
  await client.tags.delete("job_queue", id, plan.tagChanges.remove);
  if (!live) live = await client.jobQueues.get(id);
  if (!live) throw new AnyscaleError(`Job queue ${id} no longer exists (GET /api/v2/job_queues/${id} answered 404); run \`pulumi refresh\`.`);
  return { outs: queueOutputs(news, live) };
}
