// What getService / listServices return: the SDK's ServiceStatus in camelCase, built from the wire
// model. The query auth token is deliberately absent (see docs/data-functions.md): a data function's
// result lands in plain program memory and often in stack outputs.
import { normalizeServiceState, type ServiceModel, type ServiceState, type ServiceVersionModel } from "../anyscale/service-models";
import { registerSecret } from "../core/redact";
import type { ServiceVersionConfig } from "./workload-config";

export interface ServiceVersionStatus {
  id: string;
  name?: string;
  state: string;
  /** Traffic weight (100 when no rollout is in progress). */
  weight?: number;
  createdAt?: string;
  buildId?: string;
  computeConfigId?: string;
  /** The version's config as `anyscale service status -v` shows it; only with `verbose: true`. */
  config?: ServiceVersionConfig;
}

/** What a status adds to the service's own record (names the list endpoint does not return). */
export interface ServiceStatusExtras {
  project?: string;
  /** Version configs by version id (verbose reads). */
  configs?: ReadonlyMap<string, ServiceVersionConfig>;
}

export interface ServiceStatus {
  id: string;
  name: string;
  description?: string;
  state: ServiceState;
  goalState?: string;
  /** The URL to query the service at. */
  queryUrl?: string;
  hostname?: string;
  projectId: string;
  /** The project's name. */
  project?: string;
  cloudId?: string;
  creatorId?: string;
  creatorEmail?: string;
  createdAt?: string;
  endedAt?: string;
  errorMessage?: string;
  /** Whether queries need the service's bearer token; the token itself is never returned. */
  queryAuthTokenEnabled: boolean;
  primaryVersion?: ServiceVersionStatus;
  canaryVersion?: ServiceVersionStatus;
  versions: ServiceVersionStatus[];
}

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
