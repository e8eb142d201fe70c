// The anyscale.JobQueue dynamic provider. This module's exports object IS the provider: the resource
// class passes `require("../provider/jobqueue/dynamic")`.
//
// Queues are created for real with POST /api/v2/job_queues/create (CreateJobQueueRequests in the SDK's
// generated client), not implicitly through a job's job_queue_spec, so a queue exists (and can be
// refreshed, resized and deleted) independently of the jobs that use it.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { AnyscaleError, BadRequestError, ConflictError, WaitError } from "../core/errors";
import { sendLookingFirst } from "../core/write-once";
import { throwInitFailure, toPlainJson, validateAllowingUnknowns } from "../core/dynamic-support";
import { timeoutMsFor } from "../core/timeouts";
import { waitFor, type PollSchedule } from "../core/waiter";
import type { AnyscaleClient } from "../anyscale/client";
import { createAnyscaleClient } from "../anyscale/connect";
import { ProviderState } from "../core/provider-state";
import { resolveBuildId, resolveComputeConfig, resolveProjectId } from "../anyscale/catalog";
import { SUBMISSION_KEY_TAG, userVisibleTags } from "../core/reserved-tags";
import type { JobQueueModel } from "../anyscale/job-queue-models";
import { liveQueueInputs, observedQueueOutputs } from "./outputs";
import { candidateQueueNames, queueOwnershipKey } from "./naming";
import { planJobQueueChange } from "./planner";
import { buildCreateQueueBody } from "./request-body";
import { jobQueueInputsSchema, type NormalizedJobQueueInputs } from "./schema";

const DEFAULT_DELETE_TIMEOUT_MS = 10 * 60_000;
const QUEUE_POLL_SCHEDULE: PollSchedule = { initialDelayMs: 300, maxDelayMs: 10_000, factor: 1.6, jitter: 0.2 };

const context = new ProviderState(createAnyscaleClient);

type Inputs = Record<string, unknown>;

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  context.configure(req.config);
}

function withDefaults(inputs: Inputs): Inputs {
  return { ...inputs, executionMode: inputs.executionMode ?? "FIFO", maxConcurrency: inputs.maxConcurrency ?? 1, deletionPolicy: inputs.deletionPolicy ?? "archive" };
}

// ---- check / diff ----

export async function check(_olds: Inputs, news: Inputs): Promise<dynamic.CheckResult> {
  const { __provider, ...userInputs } = news;
  const validation = validateAllowingUnknowns(jobQueueInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { failures: validation.failures };
  const checked = validation.ok ? (validation.value as Inputs) : userInputs;
  return { inputs: toPlainJson({ ...withDefaults(checked), __provider }) };
}

export async function diff(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  const plan = planJobQueueChange(olds, news);
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: plan.deleteBeforeReplace };
}

// ---- create ----

export async function create(inputs: Inputs): Promise<dynamic.CreateResult> {
  const queue = inputs as unknown as NormalizedJobQueueInputs;
  const { client, settings } = context.get();
  // A named compute config decides the cloud unless one is given; none means the cloud's default config.
  const compute = await resolveComputeConfig(client, queue.computeConfig, queue.cloud ?? settings.defaultCloud);
  const projectId = await resolveProjectId(client, queue.project ?? settings.defaultProject, compute.cloudId);
  const key = queueOwnershipKey(inputs);
  const queueId = (await findOwnedQueue(client, projectId, key)) ?? (await createQueue(client, inputs, projectId, compute.computeConfigId, key));
  const live = await client.jobQueues.get(queueId);
  if (!live) {
    throwInitFailure(queueId, echo(inputs), inputs, `Job queue ${queueId} was created but GET /api/v2/job_queues/${queueId} answers 404.`);
  }
  return { id: queueId, outs: describe(inputs, live) };
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
async function createQueue(client: AnyscaleClient, inputs: Inputs, projectId: string, computeConfigId: string, key: string): Promise<string> {
  const queue = inputs as unknown as NormalizedJobQueueInputs;
  const buildId = await resolveBuildId(client, {});
  const names = candidateQueueNames(inputs);
  let lastConflict: unknown;
  for (const name of names) {
    const body = buildCreateQueueBody({ ...queue, name }, { projectId, computeConfigId, buildId }, { [SUBMISSION_KEY_TAG]: key });
    try {
      return await sendLookingFirst<string>({
        what: "create",
        send: async () => {
          const created = await client.jobQueues.create(body);
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
  const detail = (lastConflict as ConflictError | undefined)?.detail ?? "name taken";
  throw new AnyscaleError(
    typeof queue.name === "string"
      ? `name: a job queue named '${queue.name}' already exists in this project (${detail}). Queue names are unique within a project, ` +
          `and a sealed (archived) queue keeps its name: choose another name, or leave name unset to get a generated one.`
      : `Could not find a free generated name for this job queue after ${names.length} attempts (${detail}); set name explicitly.`,
  );
}

// ---- outputs ----

function echo(inputs: Inputs): Inputs {
  const { __provider: _provider, ...rest } = inputs;
  return rest;
}

function describe(inputs: Inputs, live: JobQueueModel): Inputs {
  const generatedName = inputs.generatedName === true || inputs.name === undefined;
  return toPlainJson({ ...echo(inputs), ...observedQueueOutputs(live), name: live.name ?? inputs.name, generatedName });
}

// ---- read ----

export async function read(id: string, props?: Inputs): Promise<dynamic.ReadResult> {
  const { client } = context.get();
  const live = await client.jobQueues.get(id);
  if (!live) return {};
  const liveTags = userVisibleTags(await client.tags.list("job_queue", id));
  const managed = props && "idleTimeoutS" in props;
  const base: Inputs = managed ? pickInputs(props) : { deletionPolicy: "keep" };
  // Only what the platform can change under us is refreshed from it; the rest stays as declared.
  const inputs: Inputs = { ...base, ...liveQueueInputs(live) };
  // A generated name stays out of the inputs, so the program (which gives none) shows no drift.
  if (managed && props.generatedName === true) delete inputs.name;
  if ((managed && props.tags !== undefined) || Object.keys(liveTags).length > 0) inputs.tags = liveTags;
  return { id, props: describe({ ...inputs, generatedName: managed ? props.generatedName : false }, live), inputs };
}

const OUTPUT_FIELDS = new Set(["generatedName", "queueId", "state", "totalJobs", "activeJobs", "successfulJobs", "failedJobs", "createdAt", "creatorId", "projectId", "cloudId", "computeConfigId", "clusterState"]);

function pickInputs(props: Inputs): Inputs {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !OUTPUT_FIELDS.has(key)));
}

// ---- update ----

export async function update(id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  const { client } = context.get();
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
  return { outs: describe(news, live) };
}

// ---- delete ----

async function deleteQueue(id: string, props: Inputs): Promise<void> {
  const { client } = context.get();
  const live = await client.jobQueues.get(id);
  if (!live) return;
  const policy = (props.deletionPolicy as string | undefined) ?? "archive";
  if (policy === "keep") {
    await client.tags.delete("job_queue", id, [SUBMISSION_KEY_TAG]).catch(ignoreNotFound);
    return;
  }
  const timeoutMs = timeoutMsFor(props.timeouts as NormalizedJobQueueInputs["timeouts"], "delete", DEFAULT_DELETE_TIMEOUT_MS);
  // Terminate first so no job keeps running on a queue that is going away (repeating it is harmless).
  await client.jobQueues.terminate(id).catch((error) => {
    if (!(error instanceof BadRequestError)) ignoreNotFound(error);
  });
  try {
    await waitFor({
      description: `job queue '${live.name ?? id}' (${id}) to ${policy === "delete" ? "be deleted" : "be archived"}`,
      observe: async () => {
        const current = await client.jobQueues.get(id);
        if (!current) return { gone: true, done: true, detail: "deleted" };
        if ((current.active_jobs ?? 0) > 0) return { gone: false, done: false, detail: `${current.active_jobs} job(s) still active` };
        return { gone: false, done: await finishRemoval(client, id, current, policy), detail: "removal refused, retrying" };
      },
      rules: {
        initialMemory: undefined,
        decide: (observed) => ({
          memory: undefined,
          decision: observed.done ? { kind: "success" as const, result: observed, summary: "queue removed" } : { kind: "retry" as const, progress: observed.detail },
        }),
      },
      timeoutMs,
      schedule: QUEUE_POLL_SCHEDULE,
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

export { deleteQueue as delete };

function ignoreNotFound(error: unknown): void {
  if ((error as { status?: number }).status === 404) return;
  throw error;
}
