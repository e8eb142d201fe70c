// What getService / listServices return: the SDK's ServiceStatus in camelCase, built from the wire
// model. The query auth token is deliberately absent (see docs/data-functions.md): a data function's
// result lands in plain program memory and often in stack outputs.
import { z } from "zod";
import { normalizeServiceState, SERVICE_STATES, type ServiceModel, type ServiceVersionModel } from "../anyscale/service-models";
import { registerSecret } from "../core/redact";
import { serviceVersionConfigSchema, type ServiceVersionConfig } from "./workload-config-schemas";

const text = (description: string) => z.string().optional().meta({ description });

export const serviceVersionStatusSchema = z.strictObject({
  id: z.string().meta({ description: "The version's id." }),
  name: text("The version's name (user-given or chosen by the platform)."),
  state: z.string().meta({ description: "The version's state, e.g. RUNNING." }),
  weight: z.number().optional().meta({ description: "Traffic weight, 0-100 (100 when no rollout is in progress)." }),
  createdAt: text("When the version was created (ISO 8601)."),
  buildId: text("Id of the image build the version runs."),
  computeConfigId: text("Id of the compute config version the version runs on."),
  config: serviceVersionConfigSchema.optional().meta({ description: "The version's config as `anyscale service status -v` shows it; only with `verbose: true`." }),
}).meta({ id: "ServiceVersionStatus" });
export type ServiceVersionStatus = z.infer<typeof serviceVersionStatusSchema>;

/** What a status adds to the service's own record (names the list endpoint does not return). */
export interface ServiceStatusExtras {
  project?: string;
  /** Version configs by version id (verbose reads). */
  configs?: ReadonlyMap<string, ServiceVersionConfig>;
}

export const serviceStatusSchema = z.strictObject({
  id: z.string().meta({ description: "The service's id." }),
  name: z.string().meta({ description: "The service's name." }),
  description: text("The service's description."),
  state: z.enum(SERVICE_STATES).meta({ description: `The service's state: ${SERVICE_STATES.join(", ")}.` }),
  goalState: text("The state the platform is moving the service to."),
  queryUrl: text("The URL to query the service at."),
  hostname: text("Hostname of the query URL."),
  projectId: z.string().meta({ description: "Id of the service's project." }),
  project: text("The project's name."),
  cloudId: text("Id of the service's cloud."),
  creatorId: text("Id of the creator."),
  creatorEmail: text("Email of the creator."),
  createdAt: text("When the service was created (ISO 8601)."),
  endedAt: text("When the service was terminated (ISO 8601)."),
  errorMessage: text("The platform's last error for the service."),
  queryAuthTokenEnabled: z.boolean().meta({ description: "Whether queries need the service's bearer token; the token itself is never returned." }),
  primaryVersion: serviceVersionStatusSchema.optional().meta({ description: "The version serving (most of) the traffic." }),
  canaryVersion: serviceVersionStatusSchema.optional().meta({ description: "Present while a canary is rolling out or held." }),
  versions: z.array(serviceVersionStatusSchema).meta({ description: "The active versions." }),
}).meta({ id: "ServiceStatus" });
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

function present<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

export function toServiceVersionStatus(version: ServiceVersionModel, config?: ServiceVersionConfig): ServiceVersionStatus {
  return withoutUndefined({
    id: version.id,
    name: present(version.version),
    state: version.current_state,
    // The SDK reports `weight`; `current_weight` does not match what the console shows.
    weight: present(version.weight),
    createdAt: present(version.created_at),
    buildId: present(version.build_id),
    computeConfigId: present(version.compute_config_id),
    config,
  });
}

export function toServiceStatus(service: ServiceModel, extras: ServiceStatusExtras = {}): ServiceStatus {
  const version = (model: ServiceVersionModel) => toServiceVersionStatus(model, extras.configs?.get(model.id));
  // Not returned, but remembered, so that no later message can echo it.
  registerSecret(service.auth_token);
  registerSecret((service as { secondary_auth_token?: string | null }).secondary_auth_token);
  return withoutUndefined({
    id: service.id,
    name: service.name,
    description: present(service.description),
    state: normalizeServiceState(service.current_state),
    goalState: present(service.goal_state),
    queryUrl: present(service.base_url),
    hostname: present(service.hostname),
    projectId: service.project_id,
    project: extras.project,
    cloudId: present(service.cloud_id),
    creatorId: present(service.creator_id),
    creatorEmail: present(service.creator?.email),
    createdAt: present(service.created_at),
    endedAt: present(service.ended_at),
    errorMessage: present(service.error_message),
    queryAuthTokenEnabled: typeof service.auth_token === "string" && service.auth_token.length > 0,
    primaryVersion: service.primary_version ? version(service.primary_version) : undefined,
    canaryVersion: service.canary_version ? version(service.canary_version) : undefined,
    versions: (service.versions ?? []).map(version),
  });
}

/** Absent rather than undefined-valued keys: Pulumi outputs and deep equality both read better. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
