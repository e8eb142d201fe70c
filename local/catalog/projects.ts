import { z } from "zod";
import { listEnvelope, singleEnvelope } from "../envelopes";
import { LocalApiError, type LocalApp } from "../types";
import { parseInput } from "../validation";
import { catalogOf, matchesText, TextQuery, type Row } from "./lookup";
import { COLLECTIONS } from "./seed";

const ProjectSearchBody = z
  .object({
    name: TextQuery.optional(),
    parent_cloud_id: z.object({ equals: z.string() }).partial().optional(),
    paging: z.object({ count: z.number().int().optional(), paging_token: z.string().nullish() }).optional(),
  })
  .passthrough();

// The external API's CreateProject (the SDK's `create_project`).
const CreateProjectBody = z.object({
  name: z.string().trim().min(1),
  parent_cloud_id: z.string().min(1).nullish(),
  description: z.string().nullish(),
  cluster_config: z.string().nullish(),
});

export function registerProjectRoutes(app: LocalApp): void {
  const { router } = app;
  const { rows, byId } = catalogOf(app);
  const projectHandler = (ctx: { params: Record<string, string> }) => singleEnvelope(byId(COLLECTIONS.projects, "Project", ctx.params.id));
  const defaultProject = (cloudId: string | null): Row => {
    if (!cloudId) throw new LocalApiError(422, "Invalid request query: parent_cloud_id: required.");
    byId(COLLECTIONS.clouds, "Cloud", cloudId);
    const project = rows(COLLECTIONS.projects).find((p) => p.parent_cloud_id === cloudId && p.is_default === true);
    if (!project) throw new LocalApiError(404, `Default project for cloud '${cloudId}' not found.`);
    return project;
  };
  router.add("POST", "/ext/v0/projects/search", (ctx) => {
    const query = parseInput(ProjectSearchBody, ctx.body);
    const found = rows(COLLECTIONS.projects).filter(
      (p) =>
        matchesText(String(p.name), query.name) &&
        (query.parent_cloud_id?.equals === undefined || p.parent_cloud_id === query.parent_cloud_id.equals),
    );
    return listEnvelope(found);
  });
  router.add("GET", "/api/v2/projects/find_by_name", (ctx) => {
    const name = ctx.query.get("name");
    if (!name) throw new LocalApiError(422, "Invalid request query: name: required.");
    return listEnvelope(rows(COLLECTIONS.projects).filter((p) => p.name === name));
  });
  router.add("POST", "/ext/v0/projects", (ctx) => {
    const body = parseInput(CreateProjectBody, ctx.body);
    const cloudId = body.parent_cloud_id ?? app.defaults().cloudId;
    byId(COLLECTIONS.clouds, "Cloud", cloudId);
    if (rows(COLLECTIONS.projects).some((p) => p.name === body.name && p.parent_cloud_id === cloudId)) {
      throw new LocalApiError(409, `Project '${body.name}' already exists in cloud '${cloudId}'.`);
    }
    const seeded = byId(COLLECTIONS.projects, "Project", app.defaults().projectId);
    const project: Row = {
      ...seeded,
      id: app.newId("prj"),
      name: body.name,
      description: body.description ?? "",
      parent_cloud_id: cloudId,
      cloud_id: cloudId,
      cluster_config: body.cluster_config ?? "",
      created_at: new Date().toISOString(),
      is_default: false,
      directory_name: body.name,
    };
    app.store.put(COLLECTIONS.projects, project.id, project);
    return singleEnvelope(project, 201);
  });
  router.add("GET", "/ext/v0/projects/default_project", (ctx) => singleEnvelope(defaultProject(ctx.query.get("parent_cloud_id"))));
  router.add("GET", "/api/v2/projects/default_project", (ctx) => singleEnvelope(defaultProject(ctx.query.get("parent_cloud_id"))));
  router.add("GET", "/ext/v0/projects/:id", projectHandler);
  router.add("GET", "/api/v2/projects/:id", projectHandler);
  router.add("GET", "/api/v2/projects", () => listEnvelope(rows(COLLECTIONS.projects)));
}
