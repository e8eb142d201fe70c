import { listEnvelope } from "../envelopes";
import { page } from "../paging";
import type { LocalApp } from "../types";
import { catalogOf } from "./lookup";
import { COLLECTIONS } from "./seed";

// Catalog reads other clients (the Terraform provider, the console) make: a cloud's resources and a
// project's collaborators. Shapes: DecoratedCloudResource and ProjectCollaborator of the SDK's models.

export function registerCatalogReadRoutes(app: LocalApp): void {
  const { router } = app;
  const { byId, user } = catalogOf(app);

  // Every local cloud has one resource (its default deployment), named after the cloud's region.
  router.add("GET", "/api/v2/clouds/:id/resources", (ctx) => {
    const cloud = byId(COLLECTIONS.clouds, "Cloud", ctx.params.id);
    const resource = {
      cloud_resource_id: `cldrsrc_${cloud.id.replace(/^cld_/, "")}`,
      cloud_deployment_id: `cldrsrc_${cloud.id.replace(/^cld_/, "")}`,
      name: `${cloud.provider}-${cloud.region}`.toLowerCase(),
      provider: cloud.provider,
      compute_stack: cloud.compute_stack ?? "VM",
      region: cloud.region,
      networking_mode: "PUBLIC",
      object_storage: { bucket_name: `s3://anyscale-local-${String(cloud.region)}`, region: cloud.region, endpoint: null },
      file_storage: null,
      aws_config: null,
      gcp_config: null,
      azure_config: null,
      kubernetes_config: null,
      connector_config: null,
      created_at: cloud.created_at,
      is_default: true,
    };
    return listEnvelope([resource]);
  });

  // The local user owns every project.
  router.add("GET", "/api/v2/projects/:id/collaborators/users", (ctx) => {
    const project = byId(COLLECTIONS.projects, "Project", ctx.params.id);
    const owner = user();
    const collaborators = [
      { id: `prjcol_${project.id.replace(/^prj_/, "")}_${owner.id}`, value: { id: owner.id, name: owner.name, email: owner.email }, permission_level: "owner" },
    ];
    const { results, next } = page(collaborators, Number(ctx.query.get("count") ?? 20), ctx.query.get("paging_token") ?? undefined);
    return listEnvelope(results, next, collaborators.length);
  });
}
