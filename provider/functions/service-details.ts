// What a service status adds to the list endpoint's record: the project's name, and with `verbose`
// each version's config (image, compute config, connections by name), as `service status -v` shows it.
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import type { Lookups } from "./catalog-reads";
import { toServiceStatus, type ServiceStatus } from "./service-results";
import { serviceVersionConfig, type ServiceVersionConfig } from "./workload-config";

async function versionConfig(lookups: Lookups, service: ServiceModel, version: ServiceVersionModel, project: string | undefined): Promise<ServiceVersionConfig> {
  const [image, compute, connections] = await Promise.all([
    lookups.image(version.build_id, false),
    lookups.computeConfig(version.compute_config_id),
    lookups.connections(version.connection_ids),
  ]);
  const queryAuthTokenEnabled = typeof service.auth_token === "string" && service.auth_token.length > 0;
  return serviceVersionConfig(service.name, version.version ?? version.id, version, queryAuthTokenEnabled, { ...image, ...compute, connections, project });
}

export async function describeService(lookups: Lookups, service: ServiceModel, verbose: boolean | undefined): Promise<ServiceStatus> {
  const project = await lookups.projectName(service.project_id);
  if (!verbose) return toServiceStatus(service, { project });
  const versions = new Map<string, ServiceVersionModel>();
  for (const version of [service.primary_version, service.canary_version, ...(service.versions ?? [])]) if (version) versions.set(version.id, version);
  const configs = new Map<string, ServiceVersionConfig>();
  await Promise.all([...versions.values()].map(async (version) => configs.set(version.id, await versionConfig(lookups, service, version, project))));
  return toServiceStatus(service, { project, configs });
}
