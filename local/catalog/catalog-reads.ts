import { listEnvelope, singleEnvelope } from "../envelopes";
import { page } from "../paging";
import { LocalApiError, type LocalApp } from "../types";
import { catalogOf, type Row } from "./lookup";
import { COLLECTIONS } from "./seed";

// Catalog reads other clients (the Terraform provider, the console) make: a cloud's resources and a
// project's collaborators. Shapes: DecoratedCloudResource and ProjectCollaborator of the SDK's models.

export function registerCatalogReadRoutes(app: LocalApp): void {
  const { router } = app;
  const { byId, user } = catalogOf(app);

  // Every local cloud has two resources (deployments): its own region, the default, and a second one,
  // so multi-resource compute configs have somewhere to go.
  const resourcesOf = (cloud: Row): Array<Record<string, unknown> & { name: string }> =>
    [String(cloud.region), cloud.region === "us-east-1" ? "us-west-2" : "us-east-1"].map((region, index) => {
      const id = `cldrsrc_${cloud.id.replace(/^cld_/, "")}${index === 0 ? "" : `_${index}`}`;
      return {
        cloud_resource_id: id,
        cloud_deployment_id: id,
        name: `vm-${String(cloud.provider).toLowerCase()}-${region}`,
        provider: cloud.provider,
        compute_stack: cloud.compute_stack ?? "VM",
        region,
        networking_mode: "PUBLIC",
        object_storage: { bucket_name: `s3://anyscale-local-${region}`, region, endpoint: null },
        file_storage: null,
        aws_config: null,
        gcp_config: null,
        azure_config: null,
        kubernetes_config: null,
        connector_config: null,
        created_at: cloud.created_at,
        is_default: index === 0,
      };
    });
  router.add("GET", "/api/v2/clouds/:id/resources", (ctx) => listEnvelope(resourcesOf(byId(COLLECTIONS.clouds, "Cloud", ctx.params.id))));
  // The SDK resolves a compute config's `cloud_resource` by name (query parameter, no body).
  router.add("POST", "/api/v2/clouds/:id/find_cloud_resource_by_name", (ctx) => {
    const name = ctx.query.get("cloud_resource_name");
    if (!name) throw new LocalApiError(422, "Invalid request query: cloud_resource_name: required.");
    const found = resourcesOf(byId(COLLECTIONS.clouds, "Cloud", ctx.params.id)).find((r) => r.name === name);
    if (!found) throw new LocalApiError(404, `Cloud resource '${name}' not found in cloud '${ctx.params.id}'.`);
    return singleEnvelope(found);
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
