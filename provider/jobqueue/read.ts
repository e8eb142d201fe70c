// read (refresh and import): the platform's copy of the queue and its tags; a queue it no longer has drops from state.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { userVisibleTags } from "../core/reserved-tags";
import { queueOutputs, type Inputs, type QueueContext } from "./context";
import { liveQueueInputs } from "./outputs";

const OUTPUT_FIELDS = new Set(["generatedName", "queueId", "state", "totalJobs", "activeJobs", "successfulJobs", "failedJobs", "createdAt", "creatorId", "projectId", "cloudId", "computeConfigId", "clusterState"]);

export async function readQueue(context: QueueContext, id: string, props?: Inputs): Promise<dynamic.ReadResult> {
  const { client } = context;
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
  return { id, props: queueOutputs({ ...inputs, generatedName: managed ? props.generatedName : false }, live), inputs };
}

function pickInputs(props: Inputs): Inputs {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !OUTPUT_FIELDS.has(key)));
}
