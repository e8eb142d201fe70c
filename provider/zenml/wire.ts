// Pure translation between zenml.Service inputs/outputs (camelCase) and ZenML's wire models.
import type { ServiceInputs, ServiceOutputs, ServiceState, WireService } from "./schema";
import { SERVICE_STATES } from "./schema";

/**
 * ZenML rejects a create whose `config` is byte-identical to ANY existing service's config, so every
 * record carries this stable key. It is stripped again when reading, so users never see a diff on it.
 */
export const REGISTRATION_KEY_FIELD = "pulumi_registration_key";

export function configWithRegistrationKey(config: Record<string, unknown> | undefined, registrationKey: string): Record<string, unknown> {
  return { ...(config ?? {}), [REGISTRATION_KEY_FIELD]: registrationKey };
}

export function splitRegistrationKey(config: Record<string, unknown> | null | undefined): { config: Record<string, unknown>; registrationKey?: string } {
  const { [REGISTRATION_KEY_FIELD]: key, ...rest } = config ?? {};
  return { config: rest, registrationKey: typeof key === "string" ? key : undefined };
}

/** Body of POST /api/v1/services (ServiceRequest). */
export function toServiceRequest(inputs: ServiceInputs, projectId: string, registrationKey: string): Record<string, unknown> {
  return {
    project: projectId,
    name: inputs.name,
    service_type: toWireServiceType(inputs.serviceType),
    service_source: inputs.serviceSource,
    admin_state: inputs.adminState,
    config: configWithRegistrationKey(inputs.config, registrationKey),
    labels: inputs.labels,
    status: inputs.status,
    endpoint: inputs.endpoint,
    prediction_url: inputs.predictionUrl,
    health_check_url: inputs.healthCheckUrl,
    model_version_id: inputs.modelVersionId,
    pipeline_run_id: inputs.pipelineRunId,
  };
}

/**
 * Body of PUT /api/v1/services/{id} (ServiceUpdate). ZenML ignores null fields, so a removed map is
 * sent as {} to clear it; removed scalars cannot be cleared in place (the planner replaces instead).
 */
export function toServiceUpdate(news: ServiceInputs): Record<string, unknown> {
  return {
    name: news.name,
    service_source: news.serviceSource,
    admin_state: news.adminState,
    labels: news.labels ?? {},
    status: news.status ?? {},
    endpoint: news.endpoint ?? {},
    prediction_url: news.predictionUrl,
    health_check_url: news.healthCheckUrl,
    model_version_id: news.modelVersionId,
  };
}

function toWireServiceType(serviceType: ServiceInputs["serviceType"]): Record<string, unknown> {
  return {
    type: serviceType.type,
    flavor: serviceType.flavor,
    name: serviceType.name,
    description: serviceType.description,
    logo_url: serviceType.logoUrl,
  };
}

const orUndefined = <T>(value: T | null | undefined): T | undefined => (value === null || value === "" ? undefined : value);

function asState(value: string | null | undefined): ServiceState {
  return (SERVICE_STATES as readonly string[]).includes(value ?? "") ? (value as ServiceState) : "inactive";
}

/** A live record as the resource's inputs would describe it (used by read, so refresh shows real drift). */
export function inputsFromWire(service: WireService, project: string | undefined): ServiceInputs {
  const metadata = service.metadata ?? {};
  const serviceType = service.body.service_type;
  const { config, registrationKey } = splitRegistrationKey(metadata.config);
  const labels = service.body.labels ?? undefined;
  return dropUndefined({
    name: service.name,
    project,
    projectId: service.body.project_id,
    serviceType: dropUndefined({
      type: serviceType.type,
      flavor: serviceType.flavor,
      name: orUndefined(serviceType.name),
      description: orUndefined(serviceType.description),
      logoUrl: orUndefined(serviceType.logo_url),
    }),
    serviceSource: orUndefined(metadata.service_source),
    adminState: metadata.admin_state ? asState(metadata.admin_state) : undefined,
    config: Object.keys(config).length > 0 ? config : undefined,
    labels: labels && Object.keys(labels).length > 0 ? labels : undefined,
    status: nonEmptyObject(metadata.status),
    endpoint: nonEmptyObject(metadata.endpoint),
    predictionUrl: orUndefined(metadata.prediction_url),
    healthCheckUrl: orUndefined(metadata.health_check_url),
    modelVersionId: service.resources?.model_version?.id ?? undefined,
    pipelineRunId: service.resources?.pipeline_run?.id ?? undefined,
    registrationKey,
  }) as ServiceInputs;
}

/** Outputs stored in state: the live record in input form plus what ZenML computed. */
export function outputsFromWire(service: WireService, project: string | undefined, fallbackKey: string): ServiceOutputs {
  const inputs = inputsFromWire(service, project);
  return dropUndefined({
    ...inputs,
    projectId: service.body.project_id,
    registrationKey: inputs.registrationKey ?? fallbackKey,
    state: asState(service.body.state),
    userId: service.body.user_id ?? service.resources?.user?.id ?? undefined,
    created: service.body.created ?? undefined,
    updated: service.body.updated ?? undefined,
  }) as ServiceOutputs;
}

function nonEmptyObject(value: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  return value && Object.keys(value).length > 0 ? value : undefined;
}

export function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
