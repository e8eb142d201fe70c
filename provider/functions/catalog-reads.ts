// The id → name reads a status needs to show a workload's config the way the SDK does (`service
// status -v`, `job status`): project and cloud names, the image behind a build, the compute config
// (its name, or the anonymous definition), connection names. One Lookups object per data-function
// call remembers every answer, so a list of many services asks once per distinct id.
import { z } from "zod";
import type { AnyscaleClient } from "../anyscale/client";
import { NotFoundError } from "../core/errors";
import { computeConfigFromApi } from "./compute-config-view";

const named = z.looseObject({ name: z.string().nullish() });
const buildSchema = z.looseObject({
  id: z.string(),
  docker_image_name: z.string().nullish(),
  cluster_environment_id: z.string().nullish(),
  revision: z.number().nullish(),
  is_byod: z.boolean().nullish(),
  config_json: z.unknown().optional(),
  containerfile: z.string().nullish(),
  registry_login_secret: z.string().nullish(),
});
const computeTemplateSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  version: z.number().nullish(),
  anonymous: z.boolean().nullish(),
  config: z.looseObject({ cloud_id: z.string().nullish() }).nullish(),
});
const connectionSchema = z.looseObject({ name: z.string(), connection_type: z.string().nullish() });

/** The SDK's DEFAULT_APP_CONFIG_ID_PREFIX and ANYSCALE_CLUSTER_ENV_PREFIX (image_uri.py). */
const DEFAULT_ENVIRONMENT_PREFIX = "DEFAULT_APP_CONFIG_ID";
const CLUSTER_ENV_IMAGE_PREFIX = "anyscale/image/";
/** Connection methods the SDK shows as a `databricks` connection (its _CONNECTION_METHOD_TO_CONNECTION_TYPE). */
const DATABRICKS_METHODS = ["databricks_u2m", "databricks_federated"];

export interface ImageFacts {
  imageUri?: string;
  registryLoginSecret?: string;
}

export interface ComputeConfigFacts {
  /** `name:version` for a registered config, the definition (SDK ComputeConfig) for an anonymous one. */
  computeConfig?: string | Record<string, unknown>;
  /** The cloud's name, from the compute config (as the SDK reports a workload's cloud). */
  cloud?: string;
}

export class Lookups {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly client: AnyscaleClient) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let found = this.memo.get(key) as Promise<T> | undefined;
    if (!found) {
      found = load();
      this.memo.set(key, found);
    }
    return found;
  }

  projectName(projectId: string | null | undefined): Promise<string | undefined> {
    if (!projectId) return Promise.resolve(undefined);
    return this.once(`project:${projectId}`, async () => {
      try {
        return (await this.client.result(named, "GET", `/api/v2/projects/${encodeURIComponent(projectId)}`)).name ?? undefined;
      } catch (error) {
        // A project deleted after the workload was created: the id is still reported.
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    });
  }

  cloudName(cloudId: string | null | undefined): Promise<string | undefined> {
    if (!cloudId) return Promise.resolve(undefined);
    return this.once(`cloud:${cloudId}`, async () => (await this.client.result(named, "GET", `/ext/v0/clouds/${encodeURIComponent(cloudId)}`)).name ?? undefined);
  }

  /**
   * The image URI a build stands for, as the SDK derives it (ImageURI.from_cluster_env_build): a
   * bring-your-own image (unless `useImageAlias`, as job status asks) and a default image by their
   * docker image name, any other build as `anyscale/image/<environment name>:<revision>`.
   */
  image(buildId: string | null | undefined, useImageAlias: boolean): Promise<ImageFacts> {
    if (!buildId) return Promise.resolve({});
    return this.once(`image:${buildId}:${useImageAlias}`, async () => {
      const build = await this.client.result(buildSchema, "GET", `/ext/v0/cluster_environment_builds/${encodeURIComponent(buildId)}`);
      const registryLoginSecret = build.registry_login_secret ?? undefined;
      const byod = build.is_byod === true || (!build.config_json && !build.containerfile);
      if ((byod && !useImageAlias) || build.cluster_environment_id?.startsWith(DEFAULT_ENVIRONMENT_PREFIX)) {
        return { imageUri: build.docker_image_name ?? undefined, registryLoginSecret };
      }
      if (!build.cluster_environment_id) return { imageUri: build.docker_image_name ?? undefined, registryLoginSecret };
      const environment = await this.client.result(named, "GET", `/ext/v0/cluster_environments/${encodeURIComponent(build.cluster_environment_id)}`);
      return { imageUri: `${CLUSTER_ENV_IMAGE_PREFIX}${environment.name}:${build.revision ?? 1}`, registryLoginSecret };
    });
  }

  computeConfig(computeConfigId: string | null | undefined): Promise<ComputeConfigFacts> {
    if (!computeConfigId) return Promise.resolve({});
    return this.once(`compute:${computeConfigId}`, async () => {
      const template = await this.client.result(computeTemplateSchema, "GET", `/api/v2/compute_templates/${encodeURIComponent(computeConfigId)}`);
      const cloud = await this.cloudName(template.config?.cloud_id);
      if (template.anonymous) return { computeConfig: computeConfigFromApi(template.config ?? {}, cloud), cloud };
      const name = template.version !== null && template.version !== undefined ? `${template.name}:${template.version}` : (template.name ?? undefined);
      return { computeConfig: name, cloud };
    });
  }

  /** `[{type, name}]` for stored connection ids; ids that no longer resolve, or of unknown types, are skipped (as the SDK does). */
  async connections(connectionIds: readonly string[] | null | undefined): Promise<Array<{ type: string; name: string }> | undefined> {
    if (!connectionIds || connectionIds.length === 0) return undefined;
    const found = await Promise.all(
      connectionIds.map((id) =>
        this.once(`connection:${id}`, async () => {
          try {
            return await this.client.result(connectionSchema, "GET", `/api/v2/integrations/connections/databricks/${encodeURIComponent(id)}`);
          } catch (error) {
            if (error instanceof NotFoundError) return undefined;
            throw error;
          }
        }),
      ),
    );
    return found
      .filter((connection): connection is z.infer<typeof connectionSchema> => connection !== undefined && DATABRICKS_METHODS.includes((connection.connection_type ?? "").toLowerCase()))
      .map((connection) => ({ type: "databricks", name: connection.name }));
  }
}
