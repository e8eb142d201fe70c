// What every zenml.Service operation needs: the settings and client configured for this process, the
// project ids already looked up, and the helpers create, update and read share.
import type { ConfigSource } from "../core/config";
import { ConfigurationError } from "../core/errors";
import { toPlainJson } from "../core/dynamic-support";
import { ZenmlClient, isNotFound } from "./client";
import { resolveZenmlSettings, type ZenmlSettings } from "./config";
import type { ServiceInputs, WireService } from "./schema";
import { REGISTRATION_KEY_FIELD, outputsFromWire } from "./wire";

export type Props = Record<string, unknown>;

export const PROVIDER_KEY = "__provider";
const DEFAULT_PROJECT = "default";

export interface ZenmlContext {
  settings: ZenmlSettings;
  client: ZenmlClient;
  /** Project name or id → id, for this configuration. */
  projectIds: Map<string, string>;
}

export function zenmlContext(config: ConfigSource | undefined): ZenmlContext {
  const settings = resolveZenmlSettings(config);
  return { settings, client: new ZenmlClient(settings), projectIds: new Map() };
}

export function defaultProject(context: ZenmlContext | undefined): string {
  return context?.settings.defaultProject ?? DEFAULT_PROJECT;
}

export function withoutProvider(props: Props): Props {
  const { [PROVIDER_KEY]: _provider, ...rest } = props;
  return rest;
}

export async function resolveProjectId(context: ZenmlContext, project: string): Promise<string> {
  const cached = context.projectIds.get(project);
  if (cached) return cached;
  const found = await context.client.getProject(project);
  context.projectIds.set(project, found.id);
  context.projectIds.set(found.id, found.id);
  return found.id;
}

/** The project id check resolved, else a lookup now (a missing project names the field). */
export async function projectIdFor(context: ZenmlContext, inputs: ServiceInputs): Promise<string> {
  if (inputs.projectId) return inputs.projectId;
  const project = inputs.project ?? defaultProject(context);
  try {
    return await resolveProjectId(context, project);
  } catch (error) {
    if (isNotFound(error)) throw new ConfigurationError(`project: no ZenML project named or with id "${project}" exists at ${context.client.url}`);
    throw error;
  }
}

export async function findByRegistrationKey(context: ZenmlContext, name: string, registrationKey: string): Promise<WireService | undefined> {
  // Explicit operator: a bare name containing "contains:" and the like would be read as a filter.
  const candidates = await context.client.listAllServices({ name: `equals:${name}`, hydrate: true });
  return candidates.find((service) => service.metadata?.config?.[REGISTRATION_KEY_FIELD] === registrationKey);
}

/** Outputs keep the inputs as the user wrote them (so diff equals check's plan) plus what ZenML computed. */
export function outputsFor(inputs: ServiceInputs & { projectId: string; registrationKey: string }, live: WireService): Props {
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
