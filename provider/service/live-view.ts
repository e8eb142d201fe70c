// The live service as the declaration reads it back: the service, the version the inputs describe,
// and what that version points at (its build, compute config, connections), fetched by drift.ts only
// when a declared field needs them. The readers here are pure: live shape → input value.
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import { imageAlias } from "../anyscale/image-build-rules";
import { DEFAULT_REDIS_CERTIFICATE_PATH } from "./apply-request";

/** A build as GET /api/v2/builds/{id} shows it (the fields read back). */
export interface LiveBuild {
  id: string;
  image_uri?: string | null;
  docker_image_name?: string | null;
  containerfile?: string | null;
  registry_login_secret?: string | null;
  ray_version?: string | null;
  revision?: number | null;
  cluster_environment_id?: string | null;
  is_byod?: boolean | null;
  application_template?: { name?: string | null } | null;
}

export interface LiveService {
  service: ServiceModel;
  /** The version the inputs describe: the primary, or the canary being rolled out. */
  version: ServiceVersionModel | undefined;
  build?: LiveBuild;
  computeConfigName?: string;
  connections?: Array<{ type: string; name: string }>;
  tags?: Record<string, string>;
  /** The inputs on record (refresh); absent for an import. */
  recorded?: { versionName?: string };
}

/** The platform's default images sit in environments with this id prefix; the SDK shows their docker image name. */
const DEFAULT_ENVIRONMENT_PREFIX = "DEFAULT_APP_CONFIG_ID";

function isDefaultImage(build: LiveBuild): boolean {
  return (build.cluster_environment_id ?? "").startsWith(DEFAULT_ENVIRONMENT_PREFIX);
}

/**
 * The image a build runs, as an imageUri the next deploy resolves to the same build: a registered
 * image by its URI; a build made from a containerfile by its Anyscale name (`anyscale/image/<name>:<revision>`),
 * since the containerfile's local path is not on the platform.
 */
export function imageUriOfBuild(build: LiveBuild | undefined): string | undefined {
  if (!build) return undefined;
  if (build.containerfile && build.application_template?.name && build.revision) return imageAlias(build.application_template.name, build.revision);
  return build.image_uri ?? build.docker_image_name ?? undefined;
}

/** The Ray version of a chosen image; a default image names its own in the URI. */
export function rayVersionOfBuild(build: LiveBuild | undefined): string | undefined {
  if (!build || isDefaultImage(build)) return undefined;
  return build.ray_version ?? undefined;
}

export function registryLoginSecretOfBuild(build: LiveBuild | undefined): string | undefined {
  return build?.registry_login_secret ?? undefined;
}

function serveConfig(live: LiveService): Record<string, unknown> {
  return (live.version?.ray_serve_config ?? {}) as Record<string, unknown>;
}

/** One key of the version's Ray Serve config; an empty object reads as unset. */
export function serveConfigKey(live: LiveService, key: string): unknown {
  const value = serveConfig(live)[key];
  if (value && typeof value === "object" && Object.keys(value).length === 0) return undefined;
  return value ?? undefined;
}

export function tracingOfVersion(live: LiveService): unknown {
  const tracing = live.version?.tracing_config as { enabled?: boolean; exporter_import_path?: string | null; sampling_ratio?: number | null } | null | undefined;
  if (!tracing || tracing.enabled === undefined) return undefined;
  return {
    enabled: tracing.enabled,
    ...(tracing.exporter_import_path ? { exporterImportPath: tracing.exporter_import_path } : {}),
    // 1.0 is what the request sends when the input leaves it out.
    ...(tracing.sampling_ratio !== undefined && tracing.sampling_ratio !== null && tracing.sampling_ratio !== 1 ? { samplingRatio: tracing.sampling_ratio } : {}),
  };
}

export function gcsStorageOfVersion(live: LiveService): unknown {
  const gcs = live.version?.ray_gcs_external_storage_config as { enable?: boolean; address?: string | null; redis_certificate_path?: string | null } | null | undefined;
  if (!gcs || gcs.enable === undefined) return undefined;
  return {
    enabled: gcs.enable,
    ...(gcs.address ? { address: gcs.address } : {}),
    ...(gcs.redis_certificate_path && gcs.redis_certificate_path !== DEFAULT_REDIS_CERTIFICATE_PATH ? { certificatePath: gcs.redis_certificate_path } : {}),
  };
}

/** A version name is read back only where the program already names one: a platform-chosen name must not become an input. */
export function versionNameOf(live: LiveService): string | undefined {
  if (live.recorded?.versionName === undefined) return undefined;
  return live.version?.version ?? undefined;
}
