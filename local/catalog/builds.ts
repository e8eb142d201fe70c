import { z } from "zod";
import { listEnvelope, singleEnvelope } from "../envelopes";
import { page } from "../paging";
import { LocalApiError, type LocalApp } from "../types";
import { parseInput } from "../validation";
import { buildTimes, containerfileProblem, rayVersionOfContainerfile } from "./build-lifecycle";
import { clusterEnvNameOfImageUri, imageStore } from "./image-store";
import { catalogOf, type Row } from "./lookup";
import { COLLECTIONS, DEFAULT_IMAGE_URI_PREFIX, DEFAULT_RAY_VERSION } from "./seed";

// Builds: registered from an image URI (BYOD, succeeded at once) or built from a containerfile
// (pending → in_progress → succeeded|failed over `buildMs`). The official SDK's flows:
// - image URI: POST /api/v2/builds/get_or_create_build_from_image_uri;
// - containerfile: find or create the cluster environment (./images.ts), list its builds for a
//   succeeded one with the same containerfile, else POST /ext/v0/cluster_environment_builds and poll
//   GET /ext/v0/cluster_environment_builds/{id} until a final status.

const BuildFromImageBody = z.object({
  image_uri: z.string().min(1),
  registry_login_secret: z.string().nullish(),
  ray_version: z.string().nullish(),
  cluster_env_name: z.string().min(1).nullish(),
  cloud_id: z.string().nullish(),
});
const CreateBuildBody = z.object({
  cluster_environment_id: z.string().min(1),
  config_json: z.unknown().optional(),
  containerfile: z.string().nullish(),
  containerfile_path: z.string().nullish(),
  docker_image_name: z.string().nullish(),
  registry_login_secret: z.string().nullish(),
  ray_version: z.string().nullish(),
});

const CLUSTER_ENV_IMAGE = /^anyscale\/image\/([^:@]+)(?::(\d+))?$/;

export function registerBuildRoutes(app: LocalApp): void {
  const { router, store } = app;
  const { byId, user } = catalogOf(app);
  const images = imageStore(app);
  const buildOr404 = (id: string): Row => byId(COLLECTIONS.builds, "Build", id);
  const buildHandler = (ctx: { params: Record<string, string> }) => singleEnvelope(images.buildView(buildOr404(ctx.params.id), user()));

  const newBuild = (env: Row, fields: Record<string, unknown>): Row => {
    const now = new Date().toISOString();
    const build: Row = {
      id: app.newId("bld"),
      cluster_environment_id: env.id,
      application_template_id: env.id,
      config_json: null,
      containerfile: null,
      containerfile_path: null,
      docker_image_name: null,
      registry_login_secret: null,
      ray_version: null,
      revision: images.nextRevision(env.id),
      creator_id: app.defaults().userId,
      error_message: null,
      status: "succeeded",
      created_at: now,
      last_modified_at: now,
      deleted_at: null,
      is_byod: false,
      cloud_id: env.cloud_id ?? null,
      digest: null,
      ...fields,
    };
    store.put(COLLECTIONS.builds, build.id, build);
    return build;
  };

  // The platform's own images (`anyscale/ray…`, the SDK's DEFAULT_IMAGE_URI_PREFIX) live in default
  // environments, ids starting DEFAULT_APP_CONFIG_ID, which the SDK shows by their image URI rather
  // than as `anyscale/image/<name>:<revision>`. The seeded default image is one of them.
  const defaultImageEnv = (imageUri: string): Row | undefined => {
    const id = defaultClusterEnvIdOf(imageUri);
    if (!id) return undefined;
    return images.envById(id) ?? images.createEnv(`default-${id.slice(DEFAULT_ENV_ID_PREFIX.length)}`, { id, anonymous: false, isDefault: true });
  };

  router.add("POST", "/api/v2/builds/get_or_create_build_from_image_uri", (ctx) => {
    const body = parseInput(BuildFromImageBody, ctx.body);
    const alias = CLUSTER_ENV_IMAGE.exec(body.image_uri);
    if (alias) {
      // An image of this organization by name[:revision]: its existing build, never a new one.
      const env = images.envByName(alias[1]);
      const builds = env ? images.buildsOf(env.id) : [];
      const build = alias[2] ? builds.find((b) => Number(b.revision) === Number(alias[2])) : builds.at(-1);
      if (!build) throw new LocalApiError(404, `Image '${body.image_uri}' not found.`);
      return singleEnvelope(images.buildView(build, user()));
    }
    const rayVersion = body.ray_version ?? rayVersionFromImage(body.image_uri);
    const defaultEnv = body.cluster_env_name ? undefined : defaultImageEnv(body.image_uri);
    const envName = body.cluster_env_name ?? clusterEnvNameOfImageUri(body.image_uri);
    const env = defaultEnv ?? images.envByName(envName) ?? images.createEnv(envName, { anonymous: !body.cluster_env_name, cloudId: body.cloud_id });
    const same = (b: Row) =>
      b.is_byod === true &&
      b.docker_image_name === body.image_uri &&
      (b.ray_version ?? null) === (rayVersion ?? null) &&
      (b.registry_login_secret ?? null) === (body.registry_login_secret ?? null);
    // Builds registered before environments were stored sit in no environment: reuse them too.
    const existing = images.buildsOf(env.id).find(same) ?? (body.cluster_env_name ? undefined : images.builds().find((b) => same(b) && !images.envs().some((e) => e.id === b.cluster_environment_id)));
    if (existing) return singleEnvelope(images.buildView(existing, user()));
    const build = newBuild(env, {
      image_uri: body.image_uri,
      docker_image_name: body.image_uri,
      ray_version: rayVersion,
      registry_login_secret: body.registry_login_secret ?? null,
      is_byod: true,
    });
    return singleEnvelope(images.buildView(build, user()));
  });

  router.add("POST", "/ext/v0/cluster_environment_builds", (ctx) => {
    const body = parseInput(CreateBuildBody, ctx.body);
    const env = images.envById(body.cluster_environment_id);
    if (!env) throw new LocalApiError(404, `Cluster environment '${body.cluster_environment_id}' not found.`);
    if (!body.containerfile) {
      if (!body.docker_image_name) throw new LocalApiError(400, "One of containerfile or docker_image_name is required.");
      const build = newBuild(env, { docker_image_name: body.docker_image_name, image_uri: body.docker_image_name, registry_login_secret: body.registry_login_secret ?? null, ray_version: body.ray_version ?? rayVersionFromImage(body.docker_image_name), is_byod: true });
      return singleEnvelope(operationOf(build, true));
    }
    const problem = containerfileProblem(body.containerfile);
    if (problem) throw new LocalApiError(400, `Invalid containerfile: ${problem}.`);
    const failReason = images.takeFault(String(env.name));
    const build = newBuild(env, {
      containerfile: body.containerfile,
      containerfile_path: body.containerfile_path ?? null,
      ray_version: body.ray_version ?? rayVersionOfContainerfile(body.containerfile) ?? DEFAULT_RAY_VERSION,
      status: "pending",
      build_times: buildTimes(Date.now(), app.options.buildMs, failReason),
    });
    return singleEnvelope(operationOf(build, false));
  });

  router.add("GET", "/ext/v0/cluster_environment_builds", (ctx) => {
    const envId = ctx.query.get("cluster_environment_id");
    if (!envId) throw new LocalApiError(422, "Invalid request query: cluster_environment_id: required.");
    const builds = images.buildsOf(envId);
    if (ctx.query.get("desc") === "true") builds.reverse();
    const count = Number(ctx.query.get("count") ?? 50);
    const { results, next } = page(builds, count, ctx.query.get("paging_token") ?? undefined);
    return listEnvelope(results.map((b) => images.buildView(b)), next, builds.length);
  });

  // The platform serves one default image per Ray version; locally every version maps onto the seeded build.
  const defaultBuild = (rayVersion: string | undefined) => {
    const seeded = buildOr404(app.defaults().buildId);
    const version = !rayVersion || rayVersion === "latest" ? DEFAULT_RAY_VERSION : rayVersion;
    return singleEnvelope(images.buildView({ ...seeded, ray_version: version }, user()));
  };
  router.add("GET", "/ext/v0/cluster_environment_builds/default", (ctx) => defaultBuild(ctx.query.get("ray_version") ?? undefined));
  // The internal form (`py311`, a Ray version), which the CLI's legacy config models (e.g. `service
  // terminate -f`) call when the file names no image.
  router.add("GET", "/api/v2/builds/default/:pythonVersion/:rayVersion", (ctx) => defaultBuild(ctx.params.rayVersion));
  router.add("GET", "/ext/v0/cluster_environment_builds/:id", buildHandler);
  router.add("GET", "/api/v2/builds/:id", buildHandler);
  router.add("GET", "/api/v2/builds/:id/logs", (ctx) => singleEnvelope({ logs: images.buildLog(buildOr404(ctx.params.id)), portal_url: null, acr_run_id: null, acr_cli_command: null }));
}

/** ClusterEnvironmentBuildOperation: the SDK reads `cluster_environment_build_id` and polls the build. */
function operationOf(build: Row, completed: boolean): Row {
  return {
    id: `op_${build.id}`,
    completed,
    progress: null,
    result: null,
    cluster_environment_build_id: build.id,
  };
}

const DEFAULT_ENV_ID_PREFIX = "DEFAULT_APP_CONFIG_ID_";

/** `anyscale/ray:2.59.0-py311` → `DEFAULT_APP_CONFIG_ID_ray-2.59.0-py311` (the seeded default's id); undefined for other images. */
export function defaultClusterEnvIdOf(imageUri: string): string | undefined {
  if (!imageUri.startsWith(DEFAULT_IMAGE_URI_PREFIX)) return undefined;
  return DEFAULT_ENV_ID_PREFIX + imageUri.slice("anyscale/".length).replace(/[:@]/g, "-");
}

function rayVersionFromImage(imageUri: string): string | null {
  const m = /:(\d+\.\d+\.\d+)/.exec(imageUri);
  return m ? m[1] : null;
}
