import { z } from "zod";
import { singleEnvelope } from "../envelopes";
import type { LocalApp } from "../types";
import { parseInput } from "../validation";
import { catalogOf, type Row } from "./lookup";
import { COLLECTIONS, DEFAULT_RAY_VERSION, ORGANIZATION, miniUser } from "./seed";

// Builds ("images"): every image URI gets a succeeded BYOD build at once; containerfile builds are not served.

const BuildFromImageBody = z.object({
  image_uri: z.string().min(1),
  registry_login_secret: z.string().nullish(),
  ray_version: z.string().nullish(),
});

export function registerBuildRoutes(app: LocalApp): void {
  const { router, store } = app;
  const { rows, byId, user } = catalogOf(app);
  const buildHandler = (ctx: { params: Record<string, string> }) =>
    singleEnvelope(buildView(byId(COLLECTIONS.builds, "Build", ctx.params.id), miniUser(user())));
  router.add("POST", "/api/v2/builds/get_or_create_build_from_image_uri", (ctx) => {
    const body = parseInput(BuildFromImageBody, ctx.body);
    const rayVersion = body.ray_version ?? rayVersionFromImage(body.image_uri);
    const existing = rows(COLLECTIONS.builds).find(
      (b) => b.image_uri === body.image_uri && (b.ray_version ?? null) === (rayVersion ?? null) && (b.registry_login_secret ?? null) === (body.registry_login_secret ?? null),
    );
    if (existing) return singleEnvelope(buildView(existing, miniUser(user())));
    const now = new Date().toISOString();
    const clusterEnvId = app.newId("apt");
    const build: Row = {
      id: app.newId("bld"),
      image_uri: body.image_uri,
      docker_image_name: body.image_uri,
      ray_version: rayVersion,
      registry_login_secret: body.registry_login_secret ?? null,
      cluster_environment_id: clusterEnvId,
      application_template_id: clusterEnvId,
      revision: 1,
      creator_id: app.defaults().userId,
      status: "succeeded",
      created_at: now,
      last_modified_at: now,
      is_byod: true,
      cloud_id: null,
    };
    store.put(COLLECTIONS.builds, build.id, build);
    return singleEnvelope(buildView(build, miniUser(user())));
  });
  router.add("GET", "/ext/v0/cluster_environment_builds/default", (ctx) => {
    const rayVersion = ctx.query.get("ray_version") ?? DEFAULT_RAY_VERSION;
    const seeded = store.get<Row>(COLLECTIONS.builds, app.defaults().buildId)!;
    // The platform serves one default image per Ray version; locally every version maps onto the seeded build.
    return singleEnvelope(buildView({ ...seeded, ray_version: rayVersion === "latest" ? DEFAULT_RAY_VERSION : rayVersion, id: seeded.id }));
  });
  router.add("GET", "/ext/v0/cluster_environment_builds/:id", buildHandler);
  // GET /ext/v0/cluster_environments/{id} (the parent of a build) is served by ../cli-compat.ts.
  router.add("GET", "/api/v2/builds/:id", buildHandler);
}

function buildView(build: Row, creator?: Record<string, unknown>): Row {
  return {
    ...build,
    ...(creator ? { creator } : {}),
    application_template: {
      id: build.application_template_id,
      name: `image-${String(build.id).slice(-8)}`,
      organization_id: ORGANIZATION.id,
      creator_id: build.creator_id,
      created_at: build.created_at,
      last_modified_at: build.last_modified_at,
    },
  };
}

function rayVersionFromImage(imageUri: string): string | null {
  const m = /:(\d+\.\d+\.\d+)/.exec(imageUri);
  return m ? m[1] : null;
}
