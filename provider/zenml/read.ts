// read (refresh and import) and delete of a ZenML service record.
import type * as pulumi from "@pulumi/pulumi";
import { toPlainJson } from "../core/dynamic-support";
import { isNotFound } from "./client";
import { withoutProvider, type Props, type ZenmlContext } from "./context";
import type { ServiceOutputs, WireService } from "./schema";
import { inputsFromWire, outputsFromWire } from "./wire";

export async function readZenmlService(context: ZenmlContext, id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
  const previous = (props ? withoutProvider(props) : {}) as Partial<ServiceOutputs>;
  let live: WireService;
  try {
    live = await context.client.getService(id);
  } catch (error) {
    // Gone: an empty id drops the resource from state, so the next `pulumi up` creates it again.
    if (isNotFound(error)) return {};
    throw error;
  }
  const project = previous.projectId === live.body.project_id ? previous.project : live.body.project_id;
  const outputs = outputsFromWire(live, project, previous.registrationKey ?? "");
  const inputs = toPlainJson({ ...inputsFromWire(live, project), registrationKey: outputs.registrationKey });
  return { id: live.id, props: toPlainJson(outputs), inputs };
}

export async function deleteZenmlService(context: ZenmlContext, id: string): Promise<void> {
  // Already gone (deleted out of band, or a retried delete) is success: nothing is left behind.
  await context.client.deleteService(id);
}
