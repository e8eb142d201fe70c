// The catalog: name → id resolution, following what the official SDK sends: clouds, projects, compute
// configs (`name[:version]` or an inline definition) and images (URI → build). The read-only lookups
// are answered from the client's injected cache (one per provider process, see connect.ts).
import { z } from "zod";
import { AnyscaleError, NotFoundError, UnexpectedResponseError } from "../core/errors";
import type { AnyscaleClient } from "./client";
import { inlineComputeConfigToApi } from "./compute-config";
import { buildSchema, cloudSchema, computeTemplateSchema, idOnlySchema, projectSchema } from "./catalog-models";

/** The SDK's default images when no image is given. */
export const DEFAULT_RAY_VERSION = "2.59.0";
export const DEFAULT_PYTHON_VERSION = "py311";

/** The SDK's pattern for `name[:version]`. */
export const COMPUTE_CONFIG_NAME_PATTERN = /^[^\s:]+(\s+[^\s:]+)*(:[1-9][0-9]*)?$/;

/** A name that does not exist: a user mistake, reported with the name (no stack of HTTP detail). */
export class NameNotFoundError extends AnyscaleError {}

/** Read-only lookups go through the client's injected cache (anyscale/lookup-cache.ts). */
function cached(client: AnyscaleClient, key: string, load: () => Promise<string>): Promise<string> {
  return client.lookup(key, load);
}

/** Cloud id by name (POST /api/v2/clouds/find_by_name), or the organization default (GET /ext/v0/clouds/default). */
export function resolveCloudId(client: AnyscaleClient, cloudName?: string): Promise<string> {
  return cached(client, `cloud:${cloudName ?? ""}`, async () => {
    if (!cloudName) return (await client.result(cloudSchema, "GET", "/ext/v0/clouds/default")).id;
    try {
      const cloud = await client.result(cloudSchema, "POST", "/api/v2/clouds/find_by_name", { body: { name: cloudName }, idempotent: true });
      return cloud.id;
    } catch (error) {
      if (error instanceof NotFoundError) throw new NameNotFoundError(`Cloud '${cloudName}' was not found (cloud).`);
      throw error;
    }
  });
}

/**
 * Project id by name within the cloud (POST /ext/v0/projects/search, then the SDK's fallback
 * GET /api/v2/projects/find_by_name), or the cloud's default project. Without a cloud, a name is
 * looked up across clouds as the SDK does, and the default project is the default cloud's.
 */
export function resolveProjectId(client: AnyscaleClient, projectName: string | undefined, cloudId: string | undefined): Promise<string> {
  return cached(client, `project:${cloudId ?? "*"}:${projectName ?? ""}`, async () => {
    if (!projectName) {
      const parentCloudId = cloudId ?? (await resolveCloudId(client, undefined));
      return (await client.result(projectSchema, "GET", "/ext/v0/projects/default_project", { query: { parent_cloud_id: parentCloudId } })).id;
    }
    if (cloudId) {
      const search = await client.page(projectSchema, "POST", "/ext/v0/projects/search", {
        body: { name: { equals: projectName }, parent_cloud_id: { equals: cloudId } },
        idempotent: true,
      });
      const exact = search.items.find((project) => project.name === undefined || project.name === null || project.name === projectName);
      if (exact) return exact.id;
    }
    const byName = await client.page(projectSchema, "GET", "/api/v2/projects/find_by_name", { query: { name: projectName } });
    const inCloud = byName.items.find((project) => !cloudId || !project.parent_cloud_id || project.parent_cloud_id === cloudId);
    if (inCloud) return inCloud.id;
    throw new NameNotFoundError(
      byName.items.length === 0
        ? `Project '${projectName}' was not found (project).`
        : `Project '${projectName}' exists but not in cloud ${cloudId} (project).`,
    );
  });
}

/** Cloud of a compute config, as the SDK reads it (GET /ext/v0/cluster_computes/{id} → config.cloud_id). */
export function cloudIdOfComputeConfig(client: AnyscaleClient, computeConfigId: string): Promise<string> {
  return cached(client, `compute-cloud:${computeConfigId}`, async () => {
    const path = `/ext/v0/cluster_computes/${encodeURIComponent(computeConfigId)}`;
    const template = await client.result(computeTemplateSchema, "GET", path);
    const cloudId = template.config?.cloud_id;
    if (!cloudId) throw new UnexpectedResponseError(`GET ${path}`, "config.cloud_id is missing");
    return cloudId;
  });
}

export interface ResolvedCompute {
  computeConfigId: string;
  cloudId: string;
}

/**
 * Resolves the compute config and the cloud together, as the SDK does:
 * - neither given: the default cloud and its default compute config;
 * - only a cloud: that cloud's default compute config;
 * - a `name[:version]`: that registered config (latest version when none), and its cloud;
 * - an inline definition: registered as an anonymous config in the given (or default) cloud.
 * When both a cloud and a compute config are given, they must agree.
 */
export async function resolveComputeConfig(
  client: AnyscaleClient,
  computeConfig: string | Record<string, unknown> | undefined,
  cloudName: string | undefined,
): Promise<ResolvedCompute> {
  if (computeConfig === undefined) {
    const cloudId = await resolveCloudId(client, cloudName);
    const computeConfigId = await cached(client, `compute-default:${cloudId}`, async () => {
      return (await client.result(idOnlySchema, "GET", "/ext/v0/cluster_computes/default", { query: { cloud_id: cloudId } })).id;
    });
    return { computeConfigId, cloudId };
  }
  if (typeof computeConfig === "string") {
    const computeConfigId = await findComputeConfigId(client, computeConfig, cloudName ? await resolveCloudId(client, cloudName) : undefined);
    const cloudId = await cloudIdOfComputeConfig(client, computeConfigId);
    return { computeConfigId, cloudId };
  }
  const inlineCloud = typeof computeConfig.cloud === "string" ? computeConfig.cloud : undefined;
  if (inlineCloud && cloudName && inlineCloud !== cloudName) {
    throw new AnyscaleError(`computeConfig.cloud '${inlineCloud}' differs from cloud '${cloudName}'.`);
  }
  const cloudId = await resolveCloudId(client, inlineCloud ?? cloudName);
  const config = await inlineComputeConfigToApi(client, computeConfig, cloudId);
  const created = await client.result(computeTemplateSchema, "POST", "/api/v2/compute_templates/", {
    body: { config, anonymous: true, new_version: true },
  });
  return { computeConfigId: created.id, cloudId };
}

/** POST /api/v2/compute_templates/search with the SDK's query; version -1 means the latest. */
export function findComputeConfigId(client: AnyscaleClient, nameWithVersion: string, cloudId?: string): Promise<string> {
  // Parsed first: a malformed name is a user error, reported at once rather than cached.
  const { name, version } = parseComputeConfigName(nameWithVersion);
  return cached(client, `compute:${cloudId ?? "*"}:${nameWithVersion}`, () => searchComputeConfigId(client, nameWithVersion, name, version, cloudId));
}

async function searchComputeConfigId(client: AnyscaleClient, nameWithVersion: string, name: string, version: number | undefined, cloudId?: string): Promise<string> {
  const search = await client.page(computeTemplateSchema, "POST", "/api/v2/compute_templates/search", {
    body: {
      orgwide: true,
      name: { equals: name },
      include_anonymous: true,
      archive_status: "NOT_ARCHIVED",
      version: version ?? -1,
      cloud_id: cloudId,
    },
    idempotent: true,
  });
  const match = search.items.find((template) => !template.name || template.name === name);
  if (!match) {
    throw new NameNotFoundError(`Compute config '${nameWithVersion}' was not found (computeConfig).`);
  }
  return match.id;
}

export function parseComputeConfigName(nameWithVersion: string): { name: string; version?: number } {
  if (!COMPUTE_CONFIG_NAME_PATTERN.test(nameWithVersion)) {
    throw new AnyscaleError(`Compute config '${nameWithVersion}' is not of the form name or name:version.`);
  }
  const colon = nameWithVersion.lastIndexOf(":");
  if (colon < 0) return { name: nameWithVersion };
  return { name: nameWithVersion.slice(0, colon), version: Number(nameWithVersion.slice(colon + 1)) };
}

export interface ImageSpec {
  imageUri?: string;
  registryLoginSecret?: string;
  rayVersion?: string;
}

/**
 * The build for an image URI (POST /api/v2/builds/get_or_create_build_from_image_uri), or the default
 * build (GET /ext/v0/cluster_environment_builds/default) when no image is given.
 */
export function resolveBuildId(client: AnyscaleClient, image: ImageSpec): Promise<string> {
  const key = `build:${image.imageUri ?? ""}:${image.registryLoginSecret ?? ""}:${image.rayVersion ?? ""}`;
  return cached(client, key, async () => {
    if (!image.imageUri) {
      const build = await client.result(buildSchema, "GET", "/ext/v0/cluster_environment_builds/default", {
        query: { python_version: DEFAULT_PYTHON_VERSION, ray_version: image.rayVersion ?? DEFAULT_RAY_VERSION },
      });
      return build.id;
    }
    const build = await client.result(buildSchema, "POST", "/api/v2/builds/get_or_create_build_from_image_uri", {
      body: { image_uri: image.imageUri, registry_login_secret: image.registryLoginSecret, ray_version: image.rayVersion },
      idempotent: true,
    });
    return build.id;
  });
}
