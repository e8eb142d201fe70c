// read (refresh and import): the live job and its tags; a job the platform no longer has drops from state.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { userVisibleTags } from "../core/reserved-tags";
import { withDefaults, type Inputs, type JobContext } from "./context";
import { observeJob } from "./observe";
import { inputsFromJobModel, JOB_OUTPUT_FIELDS } from "./outputs";

const OUTPUT_ONLY_FIELDS = new Set<string>(JOB_OUTPUT_FIELDS);

export async function readJob(context: JobContext, id: string, props?: Inputs): Promise<dynamic.ReadResult> {
  const { client } = context;
  const job = await client.jobs.get(id);
  if (!job) return {};
  const liveTags = userVisibleTags(await client.tags.list("job", id));
  const managed = props && typeof props.entrypoint === "string";
  // Imported: the job's own definition, waited on no further and kept on destroy.
  const inputs: Inputs = managed ? pickInputs(props) : withDefaults({ ...inputsFromJobModel(job), waitFor: "submitted", deletionPolicy: "keep" });
  if (managed ? props.tags !== undefined || Object.keys(liveTags).length > 0 : Object.keys(liveTags).length > 0) inputs.tags = liveTags;
  return { id, props: (await observeJob(context, id, inputs, job)).outputs, inputs };
}

function pickInputs(props: Inputs): Inputs {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !OUTPUT_ONLY_FIELDS.has(key)));
}
