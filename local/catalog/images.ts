import { z } from "zod";
import { listEnvelope, singleEnvelope } from "../envelopes";
import { page } from "../paging";
import { LocalApiError, type LocalApp } from "../types";
import { parseInput } from "../validation";
import { IMAGE_FAULTS, imageStore } from "./image-store";
import { catalogOf, matchesText, TextQuery, type Row } from "./lookup";
import { COLLECTIONS } from "./seed";

// Images by name: cluster environments (external API) = application templates (internal API), the
// deployment-infra probe every image path of the SDK makes first, and the admin switch that makes
// the next build of an image fail.

const ClusterEnvSearchBody = z
  .object({
    project_id: z.string().nullish(),
    creator_id: z.string().nullish(),
    name: TextQuery.nullish(),
    image_name: TextQuery.nullish(),
    paging: z.object({ count: z.number().int().positive().nullish(), paging_token: z.string().nullish() }).nullish(),
    include_archived: z.boolean().nullish(),
    include_anonymous: z.boolean().nullish(),
    cloud_id: z.string().nullish(),
  })
  .strict();
const CreateClusterEnvBody = z
  .object({
    name: z.string().min(1),
    project_id: z.string().nullish(),
    config_json: z.null().optional(),
    containerfile: z.null().optional(),
    anonymous: z.boolean().nullish(),
    cloud_id: z.string().nullish(),
  })
  .strict();
const ImageFaultBody = z.object({ reason: z.string().min(1).optional() }).strict();

export function registerImageRoutes(app: LocalApp): void {
  const { router, store } = app;
  const { user } = catalogOf(app);
  const images = imageStore(app);
  const envOr404 = (id: string): Row => {
    const env = images.envById(id);
    if (!env) throw new LocalApiError(404, `Cluster environment with id '${id}' not found.`);
    return env;
  };

  // Every image path of the SDK asks first whether the control plane runs on Azure (cloud ids are then required).
  router.add("GET", "/api/v2/workos/deployment_infra", () => singleEnvelope({ deployment_infra: "aws" }));

  router.add("POST", "/ext/v0/cluster_environments/search", (ctx) => {
    const query = parseInput(ClusterEnvSearchBody, ctx.body ?? {});
    const found = images
      .envs()
      .filter(
        (e) =>
          (query.include_archived || e.archived_at == null) &&
          (query.include_anonymous || e.anonymous !== true) &&
          (!query.project_id || e.project_id === query.project_id) &&
          (!query.creator_id || e.creator_id === query.creator_id) &&
          (!query.cloud_id || e.cloud_id == null || e.cloud_id === query.cloud_id) &&
          matchesText(String(e.name), query.name ?? undefined),
      )
      .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
    const { results, next } = page(found, query.paging?.count ?? 20, query.paging?.paging_token ?? undefined);
    return listEnvelope(results, next, found.length);
  });
  router.add("POST", "/ext/v0/cluster_environments", (ctx) => {
    const body = parseInput(CreateClusterEnvBody, ctx.body);
    if (images.envByName(body.name)) throw new LocalApiError(409, `Cluster environment '${body.name}' already exists.`);
    return singleEnvelope(images.createEnv(body.name, { anonymous: body.anonymous ?? false, projectId: body.project_id, cloudId: body.cloud_id }));
  });
  // `service status`, `service list` and `job status` resolve every build's image URI through its
  // cluster environment (a 404 fails the command with "Failed to get image URI for ID ...").
  router.add("GET", "/ext/v0/cluster_environments/:id", (ctx) => singleEnvelope(envOr404(ctx.params.id)));

  router.add("GET", "/api/v2/application_templates", (ctx) => {
    const q = ctx.query;
    const nameContains = q.get("name_contains") ?? undefined;
    const imageContains = q.get("image_name_contains") ?? undefined;
    const includeArchived = q.get("include_archived") === "true";
    const views = images
      .envs()
      .filter(
        (e) =>
          (includeArchived || e.archived_at == null) &&
          (!q.get("project_id") || e.project_id === q.get("project_id")) &&
          (!q.get("creator_id") || e.creator_id === q.get("creator_id")) &&
          (!q.get("cloud_id") || e.cloud_id == null || e.cloud_id === q.get("cloud_id")) &&
          matchesText(String(e.name), nameContains ? { contains: nameContains } : undefined),
      )
      .map((e) => images.templateView(e, user()))
      .filter((t) => !imageContains || String((t.latest_build as Row | null)?.docker_image_name ?? "").toLowerCase().includes(imageContains.toLowerCase()));
    views.sort((a, b) => (q.get("defaults_first") === "true" ? Number(b.is_default) - Number(a.is_default) : 0) || String(b.created_at).localeCompare(String(a.created_at)));
    const { results, next } = page(views, Number(q.get("count") ?? 20), q.get("paging_token") ?? undefined);
    return listEnvelope(results, next, views.length);
  });
  router.add("GET", "/api/v2/application_templates/:id", (ctx) => singleEnvelope(images.templateView(envOr404(ctx.params.id), user())));
  router.add("POST", "/api/v2/application_templates/:id/archive", (ctx) => {
    const env = envOr404(ctx.params.id);
    if (env.is_default === true) throw new LocalApiError(400, "Default images cannot be archived.");
    if (env.archived_at == null) {
      const now = new Date().toISOString();
      store.put(COLLECTIONS.clusterEnvironments, env.id, { ...env, archived_at: now, archiver_id: app.defaults().userId, last_modified_at: now });
    }
    return { status: 204 };
  });

  // Admin: the next build of image NAME ("*": of any image) fails with the given reason in its log.
  router.add("POST", "/_local/images/:name/next-build-fails", (ctx) => {
    const { reason } = parseInput(ImageFaultBody, ctx.body ?? {});
    const fault = { reason: reason ?? "RUN step exited with code 1" };
    store.put(IMAGE_FAULTS, ctx.params.name, fault);
    return { status: 200, body: { name: ctx.params.name, ...fault } };
  });
  router.add("DELETE", "/_local/images/:name/next-build-fails", (ctx) => {
    store.delete(IMAGE_FAULTS, ctx.params.name);
    return { status: 204 };
  });
}
