// Data functions over ZenML services: list with ZenML's filters across every page, get by id.
// They run in the user's program, so settings are resolved from the program's config each call.
import { InvalidArgumentError, ObjectNotFoundError } from "../core/errors";
import type { ConfigSource } from "../core/config";
import { resolveZenmlSettings } from "./config";
import { ZenmlClient, isNotFound, type WireServiceQuery } from "./client";
import { ServiceFilterSchema, isUuid, type ServiceFilter, type ServiceOutputs, type WireService } from "./schema";
import { outputsFromWire } from "./wire";

/** One ZenML service record as the data functions return it. */
export interface ServiceRecord extends Omit<ServiceOutputs, "registrationKey"> {
  id: string;
  /** Present on records registered by zenml.Service. */
  registrationKey?: string;
}

export function toServiceRecord(service: WireService): ServiceRecord {
  const outputs = outputsFromWire(service, service.body.project_id, "");
  const { registrationKey, ...rest } = outputs;
  return { id: service.id, ...rest, ...(registrationKey ? { registrationKey } : {}) };
}

/** Validates the filter up front, naming the bad field, before any request. */
export function toWireQuery(filter: ServiceFilter): WireServiceQuery {
  const parsed = ServiceFilterSchema.safeParse(filter);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidArgumentError("zenml.listServices", issue.path.join(".") || "(arguments)", issue.message);
  }
  const value = parsed.data;
  return {
    name: value.name,
    type: value.type,
    flavor: value.flavor,
    project: value.project,
    model_version_id: value.modelVersionId,
    pipeline_run_id: value.pipelineRunId,
    sort_by: value.sortBy,
    logical_operator: value.logicalOperator,
    hydrate: value.hydrate ?? true,
  };
}

export async function listServiceRecords(client: ZenmlClient, filter: ServiceFilter = {}): Promise<ServiceRecord[]> {
  const query = toWireQuery(filter);
  const services = await client.listAllServices(query, filter.pageSize ?? 100);
  return services.map(toServiceRecord);
}

export async function getServiceRecord(client: ZenmlClient, id: string): Promise<ServiceRecord> {
  if (typeof id !== "string" || !isUuid(id)) throw new InvalidArgumentError("zenml.getService", "id", "must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
  try {
    return toServiceRecord(await client.getService(id));
  } catch (error) {
    if (isNotFound(error)) throw new ObjectNotFoundError("zenml.getService", `ZenML service ${id}`);
    throw error;
  }
}

/** A client for the program's own configuration (`zenml:*` then ZenML's env vars). */
export function clientFromConfig(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ZenmlClient {
  return new ZenmlClient(resolveZenmlSettings(config, env));
}
