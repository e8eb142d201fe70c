// create and update of a ZenML service record: decide the request (pure, wire.ts) → send once → outputs.
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { ZenmlApiError } from "../core/errors";
import { sendLookingFirst } from "../core/write-once";
import { isConflict, isNotFound } from "./client";
import { findByRegistrationKey, outputsFor, projectIdFor, withoutProvider, type Props, type ZenmlContext } from "./context";
import type { ServiceInputs, ServiceOutputs, WireService } from "./schema";
import { toServiceRequest, toServiceUpdate } from "./wire";

export async function createZenmlService(context: ZenmlContext, props: Props): Promise<pulumi.dynamic.CreateResult> {
  const inputs = withoutProvider(props) as ServiceInputs;
  const registrationKey = inputs.registrationKey ?? randomUUID();
  const projectId = await projectIdFor(context, inputs);
  const body = toServiceRequest(inputs, projectId, registrationKey);
  let created: WireService;
  try {
    // A lost answer may hide a record ZenML did create: it carries the registration key, so look for it first.
    created = await sendLookingFirst<WireService>({
      what: "create",
      send: () => context.client.createService(body),
      look: async () => {
        const adopted = await findByRegistrationKey(context, inputs.name, registrationKey);
        return adopted ? { action: "found", value: adopted } : { action: "resend", reason: "no record carries this resource's registration key" };
      },
    });
  } catch (error) {
    if (isConflict(error)) throw await conflictError(context, inputs, registrationKey, error as ZenmlApiError);
    throw error;
  }
  return { id: created.id, outs: outputsFor({ ...inputs, projectId, registrationKey }, created) };
}

export async function updateZenmlService(context: ZenmlContext, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = withoutProvider(news) as ServiceInputs;
  const previous = withoutProvider(olds) as Partial<ServiceOutputs>;
  let updated: WireService;
  try {
    updated = await context.client.updateService(id, toServiceUpdate(inputs));
  } catch (error) {
    if (isNotFound(error)) {
      throw new ZenmlApiError({ ...(error as ZenmlApiError), detail: `the ZenML service ${id} was deleted outside Pulumi; run \`pulumi refresh\` and \`pulumi up\` to register it again` });
    }
    throw error;
  }
  const projectId = previous.projectId ?? updated.body.project_id;
  return { outs: outputsFor({ ...inputs, projectId, registrationKey: inputs.registrationKey ?? previous.registrationKey ?? "" }, updated) };
}

async function conflictError(context: ZenmlContext, inputs: ServiceInputs, registrationKey: string, error: ZenmlApiError): Promise<Error> {
  const holder = await findByRegistrationKey(context, inputs.name, registrationKey).catch(() => undefined);
  const who = holder ? ` (existing record ${holder.id})` : "";
  return new ZenmlApiError({
    ...error,
    detail:
      `config: ZenML requires every service's config to be unique across all projects, and a record with the same config` +
      ` (registration key ${registrationKey}) already exists${who}. Remove the duplicate record or change \`config\`. Server said: ${error.detail}`,
  });
}
