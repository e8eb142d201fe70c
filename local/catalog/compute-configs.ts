import { z } from "zod";
import { listEnvelope, singleEnvelope } from "../envelopes";
import { LocalApiError, type LocalApp } from "../types";
import { parseInput } from "../validation";
import { catalogOf, matchesText, TextQuery, type Row } from "./lookup";
import { COLLECTIONS, ORGANIZATION, miniUser } from "./seed";

// Compute configs: "compute templates" on the internal API, "cluster computes" on the external one.

const ComputeTemplateSearchBody = z
  .object({
    orgwide: z.boolean().optional(),
    project_id: z.string().nullish(),
    creator_id: z.string().nullish(),
    name: TextQuery.nullish(),
    include_anonymous: z.boolean().optional(),
    archive_status: z.enum(["ARCHIVED", "NOT_ARCHIVED", "ALL"]).optional(),
    cloud_id: z.string().nullish(),
    version: z.number().int().nullish(),
  })
  .passthrough();
const CreateComputeTemplateBody = z.object({
  name: z.string().min(1).nullish(),
  project_id: z.string().nullish(),
  config: z.object({ cloud_id: z.string().min(1), head_node_type: z.record(z.string(), z.unknown()).optional() }).passthrough(),
  anonymous: z.boolean().optional(),
  new_version: z.boolean().optional(),
});

export function registerComputeConfigRoutes(app: LocalApp): void {
  const { router, store } = app;
  const { rows, byId, user } = catalogOf(app);
  const decorate = (template: Row): Row => {
    const config = template.config as Record<string, unknown>;
    const cloud = store.get<Row>(COLLECTIONS.clouds, String(config.cloud_id));
    return {
      ...template,
      creator: miniUser(user()),
      config: { ...config, cloud: cloud ? { id: cloud.id, name: cloud.name, provider: cloud.provider } : undefined },
    };
  };
  const templateHandler = (ctx: { params: Record<string, string> }) =>
    singleEnvelope(decorate(byId(COLLECTIONS.computeTemplates, "Compute template", ctx.params.id)));
  router.add("POST", "/api/v2/compute_templates/search", (ctx) => {
    const query = parseInput(ComputeTemplateSearchBody, ctx.body);
    const archive = query.archive_status ?? "NOT_ARCHIVED";
    let found = rows(COLLECTIONS.computeTemplates).filter((t) => {
      const archived = t.archived_at != null;
      if (archive === "ARCHIVED" && !archived) return false;
      if (archive === "NOT_ARCHIVED" && archived) return false;
      if (!query.include_anonymous && t.anonymous === true) return false;
      if (query.cloud_id && (t.config as Row).cloud_id !== query.cloud_id) return false;
      if (query.project_id && t.project_id !== query.project_id) return false;
      return matchesText(String(t.name), query.name ?? undefined);
    });
    // The model's version semantics: -1 the latest version of each name, -2 every version, N exactly N.
    if (query.version === -1) {
      const latest = new Map<string, Row>();
      for (const t of found) {
        const prev = latest.get(String(t.name));
        if (!prev || Number(t.version) > Number(prev.version)) latest.set(String(t.name), t);
      }
      found = [...latest.values()];
    } else if (query.version != null && query.version !== -2) {
      found = found.filter((t) => t.version === query.version);
    }
    found.sort((a, b) => Number(b.version) - Number(a.version));
    return listEnvelope(found.map(decorate));
  });
  router.add("POST", "/api/v2/compute_templates", (ctx) => {
    const body = parseInput(CreateComputeTemplateBody, ctx.body);
    byId(COLLECTIONS.clouds, "Cloud", body.config.cloud_id);
    const anonymous = body.anonymous ?? !body.name;
    if (anonymous && !body.name) {
      // Clients register an anonymous config on every deploy (the official SDK does): an identical one
      // is answered with the template already registered, so an unchanged inline config keeps its id
      // and a service redeployed with it changes no version.
      const identical = findIdenticalAnonymous(rows(COLLECTIONS.computeTemplates), withDefaults(body.config));
      if (identical) return singleEnvelope(identical);
    }
    const id = app.newId("cpt");
    const name = body.name ?? `anonymous-compute-config-${id.slice(-8)}`;
    const sameName = rows(COLLECTIONS.computeTemplates).filter((t) => t.name === name);
    if (sameName.length > 0 && body.new_version === false) {
      throw new LocalApiError(409, `Compute config '${name}' already exists; pass new_version to create a new version.`);
    }
    const now = new Date().toISOString();
    const template: Row = {
      id,
      name,
      version: sameName.reduce((max, t) => Math.max(max, Number(t.version)), 0) + 1,
      anonymous,
      project_id: body.project_id ?? null,
      creator_id: app.defaults().userId,
      organization_id: ORGANIZATION.id,
      created_at: now,
      last_modified_at: now,
      archived_at: null,
      config: withDefaults(body.config),
    };
    store.put(COLLECTIONS.computeTemplates, id, template);
    return singleEnvelope(template);
  });
  router.add("GET", "/api/v2/compute_templates/:id", templateHandler);
  const setArchived = (id: string, archived: boolean) => {
    const template = byId(COLLECTIONS.computeTemplates, "Compute template", id);
    if (template.id === app.defaults().computeConfigId) throw new LocalApiError(400, "The default compute config cannot be archived.");
    const now = new Date().toISOString();
    store.put(COLLECTIONS.computeTemplates, id, { ...template, archived_at: archived ? (template.archived_at ?? now) : null, last_modified_at: now });
    return { status: 204 };
  };
  router.add("POST", "/api/v2/compute_templates/:id/archive", (ctx) => setArchived(ctx.params.id, true));
  router.add("POST", "/api/v2/compute_templates/:id/unarchive", (ctx) => setArchived(ctx.params.id, false));
  router.add("GET", "/ext/v0/cluster_computes/default", (ctx) => {
    const cloudId = ctx.query.get("cloud_id") ?? app.defaults().cloudId;
    byId(COLLECTIONS.clouds, "Cloud", cloudId);
    const fallback = store.get<Row>(COLLECTIONS.computeTemplates, app.defaults().computeConfigId)!;
    const forCloud = rows(COLLECTIONS.computeTemplates).find((t) => t.id === fallback.id && (t.config as Row).cloud_id === cloudId);
    if (!forCloud) throw new LocalApiError(404, `No default compute config for cloud '${cloudId}'.`);
    return singleEnvelope(forCloud);
  });
  // The default config's body (ComputeTemplateConfig) for a cloud: the CLI's legacy config models
  // register it as an anonymous config when a file names no compute config.
  router.add("GET", "/ext/v0/compute_templates/default/:cloudId", (ctx) => {
    byId(COLLECTIONS.clouds, "Cloud", ctx.params.cloudId);
    const fallback = byId(COLLECTIONS.computeTemplates, "Compute template", app.defaults().computeConfigId);
    return singleEnvelope({ ...(fallback.config as Row), cloud_id: ctx.params.cloudId });
  });
  router.add("GET", "/ext/v0/cluster_computes/:id", (ctx) => singleEnvelope(byId(COLLECTIONS.computeTemplates, "Cluster compute", ctx.params.id)));
}

/** Keys in a stable order and absent/null fields dropped: how two configs are compared. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .filter((key) => (value as Record<string, unknown>)[key] != null)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function findIdenticalAnonymous(templates: Row[], config: Record<string, unknown>): Row | undefined {
  const wanted = JSON.stringify(canonical(config));
  return templates.find((t) => t.anonymous === true && t.archived_at == null && JSON.stringify(canonical(t.config)) === wanted);
}

function withDefaults(config: Record<string, unknown>): Record<string, unknown> {
  return { head_node_type: { name: "head", instance_type: "m5.2xlarge" }, ...config };
}
