// Pure derivation of a ZenML service record from an Anyscale service's observed outputs, so that
// ZenML's model control plane shows what Anyscale is really serving.
import type { ServiceInputs, ServiceState } from "./schema";

/**
 * Anyscale service state → ZenML ServiceState.
 * ROLLING_OUT and ROLLING_BACK stay `active`: the previous version keeps serving traffic throughout.
 * UPDATING (an in-place change) and STARTING are `pending_startup`: the record is not settled yet.
 * UNHEALTHY and the failure states are `error`. A state this code does not know yet maps to
 * `pending_startup` rather than a guess in either direction; the raw state is kept in status.
 */
const ANYSCALE_TO_ZENML_STATE: Record<string, ServiceState> = {
  RUNNING: "active",
  ROLLING_OUT: "active",
  ROLLING_BACK: "active",
  STARTING: "pending_startup",
  UPDATING: "pending_startup",
  UNHEALTHY: "error",
  SYSTEM_FAILURE: "error",
  USER_ERROR_FAILURE: "error",
  TERMINATING: "pending_shutdown",
  TERMINATED: "inactive",
};

export function zenmlStateForAnyscale(anyscaleState: string | undefined): ServiceState {
  return ANYSCALE_TO_ZENML_STATE[(anyscaleState ?? "").toUpperCase()] ?? "pending_startup";
}

/** Whether the operator intends the service to serve; only a shutdown makes it inactive. */
export function adminStateForAnyscale(anyscaleState: string | undefined): ServiceState {
  const state = (anyscaleState ?? "").toUpperCase();
  return state === "TERMINATING" || state === "TERMINATED" ? "inactive" : "active";
}

export const ANYSCALE_SERVICE_TYPE = {
  type: "model-serving",
  flavor: "anyscale",
  name: "anyscale-deployment",
  description: "Anyscale Ray Serve deployment",
} as const;

/** Marks records as managed by this provider; ZenML's own deployers skip a flavor they do not know. */
export const ANYSCALE_SERVICE_SOURCE = "pulumi_anyscale.zenml.AnyscaleDeploymentService";

export interface ObservedAnyscaleService {
  id: string;
  name: string;
  state?: string;
  queryUrl?: string;
  /** The version currently serving (an id, a name or `{id, name, weight}`); a rollout changes it. */
  primaryVersion?: unknown;
  /** The version being rolled out, when a canary is held or in progress. */
  canaryVersion?: unknown;
}

export interface AnyscaleRegistrationOptions {
  /** ZenML record name; defaults to the Anyscale service name. */
  name?: string;
  project?: string;
  modelVersionId?: string;
  pipelineRunId?: string;
  labels?: Record<string, string>;
  /** Extra config entries (plain text in ZenML: never secrets). Changing them replaces the record. */
  config?: Record<string, unknown>;
  healthCheckUrl?: string;
}

/** Traffic share of a version summary, when the service reports one. */
export function versionWeight(version: unknown): number | undefined {
  const weight = version && typeof version === "object" ? (version as Record<string, unknown>).weight : undefined;
  return typeof weight === "number" ? weight : undefined;
}

export function describeVersion(version: unknown): string | undefined {
  if (version === undefined || version === null || version === "") return undefined;
  if (typeof version === "string" || typeof version === "number") return String(version);
  if (typeof version === "object") {
    const record = version as Record<string, unknown>;
    for (const key of ["id", "name", "version"]) if (typeof record[key] === "string") return record[key] as string;
  }
  return undefined;
}

function endpointFor(queryUrl: string | undefined): Record<string, unknown> | undefined {
  if (!queryUrl) return undefined;
  const url = new URL(queryUrl);
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  return {
    type: "zenml.services.service_endpoint.ServiceEndpoint",
    status: { protocol: url.protocol.replace(":", ""), hostname: url.hostname, port },
  };
}

/**
 * The part of the record fixed for the service's lifetime (name, type, config). It depends only on
 * the service's id and name, which stay known while a rollout is previewed, so a preview of a
 * rollout never shows a spurious replacement of the ZenML record.
 */
export function identityForAnyscale(
  service: Pick<ObservedAnyscaleService, "id" | "name">,
  options: Pick<AnyscaleRegistrationOptions, "name" | "config"> = {},
): Pick<ServiceInputs, "name" | "serviceType" | "serviceSource" | "config"> {
  return {
    name: options.name ?? service.name,
    serviceType: { ...ANYSCALE_SERVICE_TYPE },
    serviceSource: ANYSCALE_SERVICE_SOURCE,
    // Config cannot be updated in place, so only values that never change go here.
    config: { ...options.config, service_name: service.name, anyscale_service_id: service.id },
  };
}

/** The part that follows the service's state and rollouts: all fields ZenML updates in place. */
export function observedForAnyscale(
  service: ObservedAnyscaleService,
  options: Pick<AnyscaleRegistrationOptions, "labels"> = {},
): Pick<ServiceInputs, "adminState" | "labels" | "status" | "endpoint" | "predictionUrl"> {
  const state = zenmlStateForAnyscale(service.state);
  const version = describeVersion(service.primaryVersion);
  const canary = describeVersion(service.canaryVersion);
  // Weights move during a canary rollout even while the primary version stays the same.
  const rollout = {
    ...(version ? { primary_version: version } : {}),
    ...(versionWeight(service.primaryVersion) !== undefined ? { primary_version_weight: versionWeight(service.primaryVersion) } : {}),
    ...(canary ? { canary_version: canary } : {}),
    ...(versionWeight(service.canaryVersion) !== undefined ? { canary_version_weight: versionWeight(service.canaryVersion) } : {}),
  };
  const observed = {
    adminState: adminStateForAnyscale(service.state),
    labels: {
      ...options.labels,
      "anyscale.service_id": service.id,
      ...(version ? { "anyscale.primary_version": version } : {}),
      ...(canary ? { "anyscale.canary_version": canary } : {}),
      "managed-by": "pulumi",
    },
    status: {
      type: "zenml.services.service_status.ServiceStatus",
      state,
      last_error: state === "error" ? `Anyscale service state ${service.state}` : "",
      anyscale_state: service.state ?? "UNKNOWN",
      ...rollout,
    },
    endpoint: endpointFor(service.queryUrl),
    predictionUrl: service.queryUrl || undefined,
  };
  return dropUndefined(observed);
}

export function registrationForAnyscale(service: ObservedAnyscaleService, options: AnyscaleRegistrationOptions = {}): ServiceInputs {
  return dropUndefined({
    ...identityForAnyscale(service, options),
    ...observedForAnyscale(service, options),
    project: options.project,
    healthCheckUrl: options.healthCheckUrl,
    modelVersionId: options.modelVersionId,
    pipelineRunId: options.pipelineRunId,
  });
}

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
