import { canaryOf, primaryOf, type ServiceEvent, type ServiceRecord, type VersionRecord } from "./model";
import { serviceChecklist } from "./checklist";
import { isServing } from "./record-ops";

// Wire shapes of the SDK's DecoratedProductionServiceV2APIModel / ...VersionAPIModel / DecoratedServiceEventAPIModel.
// Every field the generated models require is always present and non-null.

export interface ViewContext {
  baseUrl: string;
  creator: { id: string; name: string; username: string; email: string };
}

export function versionView(version: VersionRecord): Record<string, unknown> {
  return {
    id: version.id,
    created_at: version.createdAt,
    weight: version.weight,
    current_weight: isServing(version.state) ? version.weight : 0,
    target_weight: version.targetWeight,
    version: version.version,
    ray_serve_config: version.rayServeConfig,
    ray_gcs_external_storage_config: version.rayGcsExternalStorageConfig,
    tracing_config: version.tracingConfig,
    build_id: version.buildId,
    compute_config_id: version.computeConfigId,
    production_job_ids: [],
    connection_ids: version.connectionIds,
    current_state: version.state,
  };
}

/** The canary as clients see it: present only while rolling out (hidden once a rollback has begun). */
export function visibleCanary(service: ServiceRecord): VersionRecord | undefined {
  return service.phase?.kind === "rolling_back" ? undefined : canaryOf(service);
}

export function serviceView(service: ServiceRecord, ctx: ViewContext): Record<string, unknown> {
  const primary = primaryOf(service);
  const canary = visibleCanary(service);
  const active = [primary, ...(canary ? [canary] : [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return {
    id: service.id,
    name: service.name,
    description: service.description,
    project_id: service.projectId,
    cloud_id: service.cloudId,
    creator_id: service.creatorId,
    created_at: service.createdAt,
    ended_at: service.endedAt,
    hostname: service.hostname,
    base_url: queryBaseUrl(ctx.baseUrl, service.hostname),
    current_state: service.currentState,
    goal_state: service.goalState,
    error_message: service.errorMessage,
    auth_token: service.authToken,
    secondary_auth_token: service.secondaryAuthToken,
    auto_rollout_enabled: service.autoRolloutEnabled,
    versions: active.map(versionView),
    primary_version: versionView(primary),
    canary_version: canary ? versionView(canary) : null,
    service_observability_urls: {},
    creator: ctx.creator,
    is_multi_version: false,
    type: "V2",
    service_status_checklist: serviceChecklist(service.currentState, active.map((v) => ({ id: v.id, state: v.state })), new Date().toISOString()),
  };
}

export function eventView(service: ServiceRecord, event: ServiceEvent): Record<string, unknown> {
  return {
    id: event.id,
    created_at: event.createdAt,
    event_type: event.eventType,
    current_state: event.currentState,
    goal_state: event.goalState,
    level: event.level,
    message: event.message,
    origin: event.origin,
    service_id: service.id,
    service_version_name: event.versionName,
    service_version_id: event.versionId,
  };
}

/** The query URL: requests under it are served by this plane's /serve/<hostname> route. */
export function queryBaseUrl(baseUrl: string, hostname: string): string {
  return `${baseUrl}/serve/${hostname}`;
}
