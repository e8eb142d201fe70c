import type { LocalApp } from "../types";

// The organization every local user belongs to, and the records seeded on first start: one cloud,
// its default project, a default compute config and a default build. Shapes follow the SDK's generated
// models (required fields present), so the official clients deserialize them.

export const ORGANIZATION = {
  id: "org_local",
  name: "Local Organization",
  public_identifier: "local",
  is_general_platform_enabled: true,
  is_private_endpoints_enabled: false,
  is_usage_blocked: false,
};

export const COLLECTIONS = {
  meta: "meta",
  users: "users",
  clouds: "clouds",
  projects: "projects",
  computeTemplates: "compute_templates",
  builds: "builds",
  clusterEnvironments: "cluster_environments",
} as const;

export const DEFAULT_CLOUD_NAME = "anyscale_v2_default_cloud";
export const DEFAULT_PROJECT_NAME = "default";
export const DEFAULT_COMPUTE_CONFIG_NAME = "default-compute-config";
export const DEFAULT_RAY_VERSION = "2.59.0";
export const DEFAULT_IMAGE_URI = `anyscale/ray:${DEFAULT_RAY_VERSION}-py311`;
/** Every image whose URI starts so is one of the platform's own (the SDK's ImageURI.is_default_image). */
export const DEFAULT_IMAGE_URI_PREFIX = "anyscale/ray";
/**
 * The platform's default images live in environments whose id starts with DEFAULT_APP_CONFIG_ID: the
 * SDK shows such a build's docker_image_name (`anyscale/ray:…`) as its image URI, where any other
 * build shows as `anyscale/image/<name>:<revision>`.
 */
export const DEFAULT_CLUSTER_ENV_ID = `DEFAULT_APP_CONFIG_ID_ray-${DEFAULT_RAY_VERSION}-py311`;

export type Defaults = ReturnType<LocalApp["defaults"]>;

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  username: string;
}

export function miniUser(user: UserRecord): Record<string, unknown> {
  return { id: user.id, name: user.name, username: user.username, email: user.email };
}

/** Creates the seeded records once; later starts read their ids back from the store. */
export function seedDefaults(app: LocalApp): Defaults {
  const existing = app.store.get<Defaults>(COLLECTIONS.meta, "defaults");
  if (existing) return existing;
  const now = new Date().toISOString();
  const user: UserRecord = { id: app.newId("usr"), email: "local-user@anyscale.local", name: "Local User", username: "local-user" };
  const cloudId = app.newId("cld");
  const projectId = app.newId("prj");
  const computeConfigId = app.newId("cpt");
  const clusterEnvId = DEFAULT_CLUSTER_ENV_ID;
  const buildId = app.newId("bld");

  app.store.put(COLLECTIONS.users, user.id, user);
  app.store.put(COLLECTIONS.clouds, cloudId, {
    id: cloudId,
    name: DEFAULT_CLOUD_NAME,
    provider: "AWS",
    compute_stack: "VM",
    region: "us-west-2",
    credentials: "arn:aws:iam::000000000000:role/anyscale-local",
    type: "PUBLIC",
    creator_id: user.id,
    created_at: now,
    is_default: true,
    customer_aggregated_logs_config_id: "calc_local",
    state: "ACTIVE",
  });
  app.store.put(COLLECTIONS.projects, projectId, {
    id: projectId,
    name: DEFAULT_PROJECT_NAME,
    description: "Default project of the local cloud",
    parent_cloud_id: cloudId,
    cloud_id: cloudId,
    cluster_config: "",
    created_at: now,
    creator_id: user.id,
    organization_id: ORGANIZATION.id,
    is_owner: true,
    is_read_only: false,
    is_default: true,
    directory_name: DEFAULT_PROJECT_NAME,
  });
  app.store.put(COLLECTIONS.computeTemplates, computeConfigId, {
    id: computeConfigId,
    name: DEFAULT_COMPUTE_CONFIG_NAME,
    version: 1,
    anonymous: false,
    creator_id: user.id,
    organization_id: ORGANIZATION.id,
    created_at: now,
    last_modified_at: now,
    archived_at: null,
    config: {
      cloud_id: cloudId,
      head_node_type: { name: "head", instance_type: "m5.2xlarge" },
      worker_node_types: [{ name: "cpu-worker", instance_type: "m5.2xlarge", min_workers: 0, max_workers: 10 }],
      auto_select_worker_config: false,
      flags: {},
    },
  });
  app.store.put(COLLECTIONS.clusterEnvironments, clusterEnvId, {
    id: clusterEnvId,
    name: `default-ray-${DEFAULT_RAY_VERSION}-py311`,
    project_id: null,
    organization_id: ORGANIZATION.id,
    creator_id: user.id,
    created_at: now,
    last_modified_at: now,
    deleted_at: null,
    archived_at: null,
    archiver_id: null,
    anonymous: false,
    is_default: true,
    cloud_id: null,
  });
  app.store.put(COLLECTIONS.builds, buildId, {
    id: buildId,
    image_uri: DEFAULT_IMAGE_URI,
    // BYOD with a docker_image_name is what lets the SDK derive an image URI for `status`.
    docker_image_name: DEFAULT_IMAGE_URI,
    ray_version: DEFAULT_RAY_VERSION,
    cluster_environment_id: clusterEnvId,
    application_template_id: clusterEnvId,
    revision: 1,
    creator_id: user.id,
    status: "succeeded",
    created_at: now,
    last_modified_at: now,
    is_byod: true,
    cloud_id: null,
  });
  const defaults: Defaults = { cloudId, projectId, computeConfigId, buildId, userId: user.id };
  app.store.put(COLLECTIONS.meta, "defaults", defaults);
  return defaults;
}
