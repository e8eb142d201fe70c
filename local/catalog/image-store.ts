import type { LocalApp } from "../types";
import { buildLogAt, buildStatusAt, type BuildTimes } from "./build-lifecycle";
import type { Row } from "./lookup";
import { COLLECTIONS, ORGANIZATION, miniUser, type UserRecord } from "./seed";

// Images as the platform keeps them: a cluster environment ("application template" on the internal
// API) holds numbered builds (revisions). A build is BYOD (registered from an image URI) or built
// from a containerfile; the latter's status follows its stored phase times (./build-lifecycle).

export const IMAGE_FAULTS = "image_faults";

/** The SDK's ImageURI.to_cluster_env_name: every character outside [A-Za-z0-9_-] becomes '-'. */
export function clusterEnvNameOfImageUri(imageUri: string): string {
  return imageUri.replace(/[^A-Za-z0-9_-]/g, "-");
}

export function imageStore(app: LocalApp) {
  const { store } = app;
  const builds = () => store.list<Row>(COLLECTIONS.builds);
  const envs = () => store.list<Row>(COLLECTIONS.clusterEnvironments);

  /** A stored environment, or one implied by builds written before environments were stored. */
  const envById = (id: string): Row | undefined => {
    const stored = store.get<Row>(COLLECTIONS.clusterEnvironments, id);
    if (stored) return stored;
    const build = builds().find((b) => b.cluster_environment_id === id || b.application_template_id === id);
    if (!build) return undefined;
    return {
      id,
      name: `image-${String(build.id).slice(-8)}`,
      project_id: null,
      organization_id: ORGANIZATION.id,
      creator_id: build.creator_id,
      created_at: build.created_at,
      last_modified_at: build.last_modified_at,
      deleted_at: null,
      archived_at: null,
      archiver_id: null,
      anonymous: true,
      is_default: false,
      cloud_id: build.cloud_id ?? null,
    };
  };

  const envByName = (name: string, includeArchived = false): Row | undefined =>
    envs().find((e) => e.name === name && (includeArchived || e.archived_at == null));

  const createEnv = (name: string, opts: { anonymous: boolean; projectId?: string | null; cloudId?: string | null; isDefault?: boolean; id?: string }): Row => {
    const now = new Date().toISOString();
    const env: Row = {
      id: opts.id ?? app.newId("apt"),
      name,
      project_id: opts.projectId ?? null,
      organization_id: ORGANIZATION.id,
      creator_id: app.defaults().userId,
      created_at: now,
      last_modified_at: now,
      deleted_at: null,
      archived_at: null,
      archiver_id: null,
      anonymous: opts.anonymous,
      is_default: opts.isDefault ?? false,
      cloud_id: opts.cloudId ?? null,
    };
    store.put(COLLECTIONS.clusterEnvironments, env.id, env);
    return env;
  };

  const buildsOf = (envId: string): Row[] =>
    builds()
      .filter((b) => b.cluster_environment_id === envId)
      .sort((a, b) => Number(a.revision) - Number(b.revision));

  const nextRevision = (envId: string): number => buildsOf(envId).reduce((max, b) => Math.max(max, Number(b.revision)), 0) + 1;

  /** The wire view: the live status and error of a containerfile build, without the stored phase times. */
  const buildView = (build: Row, user?: UserRecord): Row => {
    const { build_times: times, ...rest } = build as Row & { build_times?: BuildTimes };
    const status = times ? buildStatusAt(times, Date.now()) : String(build.status);
    const env = envById(String(build.cluster_environment_id));
    return {
      ...rest,
      status,
      error_message: status === "failed" ? (times?.failReason ?? "The image build failed.") : null,
      ...(user ? { creator: miniUser(user) } : {}),
      application_template: env ? { id: env.id, name: env.name, organization_id: env.organization_id, creator_id: env.creator_id, created_at: env.created_at, last_modified_at: env.last_modified_at } : undefined,
    };
  };

  const buildLog = (build: Row): string => {
    const times = (build as Row & { build_times?: BuildTimes }).build_times;
    if (!times || typeof build.containerfile !== "string") return `Registered ${String(build.docker_image_name ?? build.image_uri ?? "")} (no build needed).\n`;
    return buildLogAt(build.containerfile, buildStatusAt(times, Date.now()), times.failReason);
  };

  /** DecoratedApplicationTemplate: the environment with its creator and its newest build (MiniBuild). */
  const templateView = (env: Row, user: UserRecord): Row => {
    const latest = buildsOf(env.id).at(-1);
    const latestView = latest ? buildView(latest) : undefined;
    return {
      ...env,
      is_experimental: false,
      creator: miniUser(user),
      latest_build: latestView
        ? {
            id: latestView.id,
            revision: latestView.revision,
            status: latestView.status,
            application_template_name: env.name,
            application_template_id: env.id,
            docker_image_name: latestView.docker_image_name ?? null,
            cloud_id: latestView.cloud_id ?? null,
          }
        : null,
    };
  };

  /** Takes the failure armed for this image (or for any image, "*"), if one is. */
  const takeFault = (imageName: string): string | undefined => {
    for (const key of [imageName, "*"]) {
      const fault = store.get<{ reason: string }>(IMAGE_FAULTS, key);
      if (fault) {
        store.delete(IMAGE_FAULTS, key);
        return fault.reason;
      }
    }
    return undefined;
  };

  return { builds, envs, envById, envByName, createEnv, buildsOf, nextRevision, buildView, buildLog, templateView, takeFault };
}

/** A workload can only run on a build that succeeded: a pending, failed or cancelled one is refused (400). */
export function unusableBuildReason(app: LocalApp, buildId: string): string | undefined {
  const build = app.store.get<Row>(COLLECTIONS.builds, buildId);
  if (!build) return undefined;
  const status = imageStore(app).buildView(build).status;
  return status === "succeeded" ? undefined : `Build '${buildId}' cannot be used: its status is ${String(status)}.`;
}
