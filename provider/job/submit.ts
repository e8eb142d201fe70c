// prepare + send of a Job create: resolve names to ids, build the image, upload local code (prepare), then submit
// exactly once (send): after a lost answer the job is looked up by its submission key before any resend.
import * as fs from "node:fs";
import type { AnyscaleClient } from "../anyscale/client";
import { findComputeConfigId, resolveBuildId, resolveComputeConfig, resolveProjectId } from "../anyscale/catalog";
import { resolveWorkloadBuildId } from "../anyscale/images";
import { SUBMISSION_KEY_TAG } from "../core/reserved-tags";
import { sendLookingFirst } from "../core/write-once";
import { resolveConnectionIds } from "../workload/connections";
import type { JobContext } from "./context";
import { buildSubmitJobBody, type ResolvedJobIds } from "./request-body";
import { buildRuntimeEnv } from "./runtime-env";
import type { NormalizedJobInputs } from "./schema";

/** The live, non-archived job this resource already submitted, if any (verified by its tag, not only the server's filter). */
export async function findSubmittedJob(client: AnyscaleClient, key: string, name: string): Promise<string | undefined> {
  const candidates = await client.jobs.search({ tags: { [SUBMISSION_KEY_TAG]: key }, name });
  for (const candidate of candidates.filter((job) => job.name === name && !job.archived_at)) {
    const tags = await client.tags.list("job", candidate.id);
    if (tags[SUBMISSION_KEY_TAG] === key) return candidate.id;
  }
  return undefined;
}

/** The submit body: every name resolved as the SDK does, local directories uploaded. */
export async function prepareSubmit(context: JobContext, job: NormalizedJobInputs, key: string): Promise<Record<string, unknown>> {
  const { client, settings } = context;
  // As in the SDK: the job's own cloud/project, else the provider's (anyscale:cloud / anyscale:project), else the defaults.
  const compute = await resolveComputeConfig(client, job.computeConfig, job.cloud ?? settings.defaultCloud);
  const projectId = await resolveProjectId(client, job.project ?? settings.defaultProject, compute.cloudId);
  const buildId = await resolveWorkloadBuildId(
    client,
    { imageName: `image-for-job-${job.name}`, imageUri: job.imageUri, containerfile: job.containerfile, registryLoginSecret: job.registryLoginSecret, rayVersion: job.rayVersion },
    (file) => fs.readFileSync(file, "utf8"),
    () => resolveBuildId(client, { rayVersion: job.rayVersion }),
  );
  const queueComputeName = job.jobQueue?.jobQueueSpec?.computeConfig;
  const ids: ResolvedJobIds = {
    projectId,
    computeConfigId: compute.computeConfigId,
    buildId,
    connectionIds: await resolveConnectionIds(client, job.connections),
    queueComputeConfigId: queueComputeName ? await findComputeConfigId(client, queueComputeName, compute.cloudId) : undefined,
  };
  const runtimeEnv = await buildRuntimeEnv(client, compute.cloudId, job);
  return buildSubmitJobBody(job, ids, runtimeEnv, key);
}

/** Submits once; a lost answer (reset, timeout, 5xx) is settled by looking for the key: never two jobs for one resource. */
export function submitOnce(client: AnyscaleClient, body: Record<string, unknown>, key: string, name: string): Promise<string> {
  return sendLookingFirst<string>({
    what: "submit",
    send: async () => (await client.jobs.submit(body)).id,
    look: async () => {
      const found = await findSubmittedJob(client, key, name);
      return found ? { action: "found", value: found } : { action: "resend", reason: "no job carries this resource's submission key" };
    },
  });
}
