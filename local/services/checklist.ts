import type { ServiceState, VersionState } from "./schema";

// The SDK's ServiceStatusChecklist: what a service is made of and the state of each part. Shared
// items are the service's own resources (its endpoint); each version has its cluster and its
// application. ResourceState has no UNKNOWN and no ROLLING_* value, hence the mapping.

type ResourceState = "RUNNING" | "UNHEALTHY" | "SYSTEM_FAILURE" | "UPDATING" | "STARTING" | "TERMINATED" | "TERMINATING" | "USER_ERROR_FAILURE";

export interface ChecklistVersion {
  id: string;
  state: VersionState;
}

export function resourceStateOfVersion(state: VersionState): ResourceState {
  return state === "UNKNOWN" ? "STARTING" : state;
}

export function resourceStateOfService(state: ServiceState): ResourceState {
  return state === "ROLLING_OUT" || state === "ROLLING_BACK" ? "UPDATING" : state;
}

export function serviceChecklist(serviceState: ServiceState, versions: ChecklistVersion[], observedAt: string): Record<string, unknown> {
  const item = (kind: string, label: string, state: ResourceState, versionId: string | null) => ({
    kind,
    label,
    state,
    message: null,
    version_id: versionId,
    cloud_resource_id: null,
    observed_at: observedAt,
  });
  const shared = resourceStateOfService(serviceState);
  return {
    shared: [item("SERVICE", "Service", shared, null), item("LOAD_BALANCER", "Load balancer", shared === "TERMINATED" ? "TERMINATED" : "RUNNING", null)],
    per_version: versions.map((version) => ({
      version_id: version.id,
      items: [
        item("CLUSTER", "Cluster", resourceStateOfVersion(version.state), version.id),
        item("APPLICATION", "Ray Serve applications", resourceStateOfVersion(version.state), version.id),
      ],
    })),
  };
}
