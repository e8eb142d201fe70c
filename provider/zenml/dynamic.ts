// The zenml.Service dynamic provider. This module's exports object IS the provider: resource classes
// pass `require("../provider/zenml/dynamic")`, so Pulumi captures a small require instead of code.
// Credentials come only from configure(); nothing here is captured into state.
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { ConfigurationError, ZenmlApiError } from "../core/errors";
import { sendLookingFirst } from "../core/write-once";
import { ProviderState } from "../core/provider-state";
import { isUnknown, toPlainJson, validateAllowingUnknowns, type CheckFailure } from "../core/dynamic-support";
import { resolveZenmlSettings, type ZenmlSettings } from "./config";
import { ZenmlClient, isConflict, isNotFound } from "./client";
import { planServiceChange } from "./planner";
import { ServiceInputsSchema, isUuid, type ServiceInputs, type ServiceOutputs, type WireService } from "./schema";
import { REGISTRATION_KEY_FIELD, inputsFromWire, outputsFromWire, toServiceRequest, toServiceUpdate } from "./wire";

type Props = Record<string, unknown>;

const PROVIDER_KEY = "__provider";
const DEFAULT_PROJECT = "default";

interface ZenmlState {
  settings: ZenmlSettings;
  client: ZenmlClient;
  /** Project name or id → id, for this configuration. */
  projectIds: Map<string, string>;
}

const state = new ProviderState<ZenmlState>((config) => {
  const settings = resolveZenmlSettings(config);
  return { settings, client: new ZenmlClient(settings), projectIds: new Map() };
});

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  // A bad setting is reported by the first operation that needs the server; check still validates inputs.
  state.configure(req.config);
}

function zenml(): ZenmlClient {
  return state.get().client;
}

function clientIfConfigured(): ZenmlClient | undefined {
  return state.peek()?.client;
}

function defaultProject(): string {
  return state.peek()?.settings.defaultProject ?? DEFAULT_PROJECT;
}

async function resolveProjectId(project: string): Promise<string> {
  const { client, projectIds } = state.get();
  const cached = projectIds.get(project);
  if (cached) return cached;
  const found = await client.getProject(project);
  projectIds.set(project, found.id);
  projectIds.set(found.id, found.id);
  return found.id;
}

function withoutProvider(props: Props): Props {
  const { [PROVIDER_KEY]: _provider, ...rest } = props;
  return rest;
}

/**
 * Validates without writes, fills the default project, resolves it to an id (one read-only lookup,
 * so an unknown project fails at preview), and keeps the registration key stable unless the record
 * must be replaced, when a fresh key lets the new record coexist with the old one until it is deleted.
 */
export async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const userInputs = withoutProvider(news);
  delete userInputs.registrationKey;
  delete userInputs.projectId;
  const validation = validateAllowingUnknowns(ServiceInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { inputs: news, failures: validation.failures };
  // With preview unknowns the inputs pass through as given; the known parts are still completed.
  const validated = (validation.ok ? validation.value : userInputs) as ServiceInputs;
  const api = clientIfConfigured();
  const inputs: ServiceInputs = { ...validated, project: validated.project ?? defaultProject() };
  const failures: CheckFailure[] = [];
  if (api && inputs.project && !isUnknown(inputs.project)) {
    try {
      inputs.projectId = await resolveProjectId(inputs.project);
    } catch (error) {
      if (isNotFound(error)) {
        failures.push({ property: "project", reason: `project: no ZenML project named or with id "${inputs.project}" exists at ${api.url}` });
      }
      // Any other failure (server down during preview) is left to create, which reports it.
    }
  }
  const previous = withoutProvider(olds) as Partial<ServiceInputs>;
  const keepKey = typeof previous.registrationKey === "string" && !planServiceChange(previous, inputs, isUnknown).replaces.length;
  inputs.registrationKey = keepKey ? previous.registrationKey : randomUUID();
  return { inputs: { ...toPlainJson(inputs), [PROVIDER_KEY]: news[PROVIDER_KEY] }, failures };
}

export async function diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const plan = planServiceChange(olds as Partial<ServiceInputs>, news as Partial<ServiceInputs>, isUnknown);
  if (plan.replaces.length > 0) return { changes: true, replaces: plan.replaces, deleteBeforeReplace: false };
  // A record deleted out of band is recreated by the next `pulumi up`, not only after a refresh.
  // Reported on registrationKey: the registration itself is what is missing. Nothing is left to delete first.
  if (await recordIsGone(id)) return { changes: true, replaces: ["registrationKey"], deleteBeforeReplace: true };
  return { changes: plan.changes };
}

async function recordIsGone(id: string): Promise<boolean> {
  const api = clientIfConfigured();
  if (!api || !isUuid(id)) return false;
  try {
    await api.getService(id);
    return false;
  } catch (error) {
    return isNotFound(error);
  }
}

export async function create(props: Props): Promise<pulumi.dynamic.CreateResult> {
  const inputs = withoutProvider(props) as ServiceInputs;
  const registrationKey = inputs.registrationKey ?? randomUUID();
  const projectId = await projectIdFor(inputs);
  const body = toServiceRequest(inputs, projectId, registrationKey);
  let created: WireService;
  try {
    // A lost answer may hide a record ZenML did create: it carries the registration key, so look for it first.
    created = await sendLookingFirst<WireService>({
      what: "create",
      send: () => zenml().createService(body),
      look: async () => {
        const adopted = await findByRegistrationKey(inputs.name, registrationKey);
        return adopted ? { action: "found", value: adopted } : { action: "resend", reason: "no record carries this resource's registration key" };
      },
    });
  } catch (error) {
    if (isConflict(error)) throw await conflictError(inputs, registrationKey, error as ZenmlApiError);
    throw error;
  }
  return { id: created.id, outs: outputsFor({ ...inputs, projectId, registrationKey }, created) };
}

export async function read(id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
  const previous = (props ? withoutProvider(props) : {}) as Partial<ServiceOutputs>;
  let live: WireService;
  try {
    live = await zenml().getService(id);
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

export async function update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
  const inputs = withoutProvider(news) as ServiceInputs;
  const previous = withoutProvider(olds) as Partial<ServiceOutputs>;
  let updated: WireService;
  try {
    updated = await zenml().updateService(id, toServiceUpdate(inputs));
  } catch (error) {
    if (isNotFound(error)) {
      throw new ZenmlApiError({ ...(error as ZenmlApiError), detail: `the ZenML service ${id} was deleted outside Pulumi; run \`pulumi refresh\` and \`pulumi up\` to register it again` });
    }
    throw error;
  }
  const projectId = previous.projectId ?? updated.body.project_id;
  return { outs: outputsFor({ ...inputs, projectId, registrationKey: inputs.registrationKey ?? previous.registrationKey ?? "" }, updated) };
}

export async function deleteService(id: string): Promise<void> {
  // Already gone (deleted out of band, or a retried delete) is success: nothing is left behind.
  await zenml().deleteService(id);
}
export { deleteService as delete };

async function projectIdFor(inputs: ServiceInputs): Promise<string> {
  if (inputs.projectId) return inputs.projectId;
  const project = inputs.project ?? defaultProject();
  try {
    return await resolveProjectId(project);
  } catch (error) {
    if (isNotFound(error)) throw new ConfigurationError(`project: no ZenML project named or with id "${project}" exists at ${zenml().url}`);
    throw error;
  }
}

/** Outputs keep the inputs as the user wrote them (so diff equals check's plan) plus what ZenML computed. */
function outputsFor(inputs: ServiceInputs & { projectId: string; registrationKey: string }, live: WireService): Props {
  const computed = outputsFromWire(live, inputs.project, inputs.registrationKey);
  return toPlainJson({
    ...inputs,
    projectId: inputs.projectId,
    registrationKey: inputs.registrationKey,
    state: computed.state,
    userId: computed.userId,
    created: computed.created,
    updated: computed.updated,
  });
}

async function findByRegistrationKey(name: string, registrationKey: string): Promise<WireService | undefined> {
  // Explicit operator: a bare name containing "contains:" and the like would be read as a filter.
  const candidates = await zenml().listAllServices({ name: `equals:${name}`, hydrate: true });
  return candidates.find((service) => service.metadata?.config?.[REGISTRATION_KEY_FIELD] === registrationKey);
}

async function conflictError(inputs: ServiceInputs, registrationKey: string, error: ZenmlApiError): Promise<Error> {
  const holder = await findByRegistrationKey(inputs.name, registrationKey).catch(() => undefined);
  const who = holder ? ` (existing record ${holder.id})` : "";
  return new ZenmlApiError({
    ...error,
    detail:
      `config: ZenML requires every service's config to be unique across all projects, and a record with the same config` +
      ` (registration key ${registrationKey}) already exists${who}. Remove the duplicate record or change \`config\`. Server said: ${error.detail}`,
  });
}
