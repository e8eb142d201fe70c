import type { LocalRuntime } from "../app";
import { unusableBuildReason } from "../catalog/image-store";
import { COLLECTIONS, miniUser, type UserRecord } from "../catalog/seed";
import { listEnvelope, singleEnvelope } from "../envelopes";
import { randomToken } from "../ids";
import { page } from "../paging";
import { forgetTags, getTags, matchesTagFilter, parseTagFilter, putTags, registerTaggableResource } from "../tags";
import { LocalApiError, type LocalApp, type RouteContext } from "../types";
import { parseInput, queryToObject } from "../validation";
import { ServiceEngine } from "./engine";
import { applyToService, createService, rollbackService, terminateService } from "./lifecycle";
import { SERVICE_FAULTS, type ServiceRecord } from "./model";
import { addSecondaryToken, deleteToken } from "./tokens";
import { registerQueryUrlRoutes } from "./query-url";
import { QueryFaults, registerQueryFaultRoutes } from "./query-faults";
import { registerReportedStateRoutes, withReportedState } from "./reported-state";
import { echoRuntime, type ServiceRuntime } from "./runtime";
import {
  ApplyServiceSchema,
  ListServicesQuerySchema,
  ListVersionsQuerySchema,
  NextVersionFaultSchema,
  RollbackSchema,
  type ApplyServiceRequest,
  type NextVersionFault,
} from "./schema";
import { eventView, serviceView, versionView, type ViewContext } from "./view";

type Row = Record<string, unknown> & { id: string };

/** Services-v2 endpoints, the query URL, and the next-version fault hook. Returns a handle to resume timers after start. */
export function registerServiceRoutes(runtime: LocalRuntime, serviceRuntime: ServiceRuntime = echoRuntime): { resume(): void } {
  const { app } = runtime;
  const { router } = app;
  const engine = new ServiceEngine(app, serviceRuntime);
  registerTaggableResource(app, "service", (id) => engine.get(id) !== undefined);

  const viewContext = (): ViewContext => {
    const user = app.store.get<UserRecord>(COLLECTIONS.users, app.defaults().userId)!;
    return { baseUrl: app.baseUrl(), creator: miniUser(user) as ViewContext["creator"] };
  };
  const view = (service: ServiceRecord) => withReportedState(app, serviceView(service, viewContext()));
  const serviceOr404 = (ctx: RouteContext): ServiceRecord => {
    const service = engine.get(ctx.params.id);
    if (!service) throw new LocalApiError(404, `Service with id '${ctx.params.id}' not found.`);
    return service;
  };
  /** Archive and delete need a terminated service; `action` is "archived" or "deleted". */
  const terminatedServiceOr400 = (ctx: RouteContext, action: string): ServiceRecord => {
    const service = serviceOr404(ctx);
    if (service.currentState !== "TERMINATED") {
      throw new LocalApiError(400, `Service '${service.name}' must be TERMINATED before it can be ${action} (it is ${service.currentState}).`);
    }
    return service;
  };

  router.add("PUT", "/api/v2/services-v2/apply", (ctx) => {
    const request = parseInput(ApplyServiceSchema, ctx.body);
    const { projectId, cloudId } = resolvePlacement(app, request);
    const [existing] = engine.all((s) => s.name === request.name && s.projectId === projectId && s.archivedAt === null);
    if (existing && existing.cloudId !== cloudId) {
      throw new LocalApiError(400, `The cloud for a service cannot be changed once it's created: service '${request.name}' runs on cloud '${existing.cloudId}', but compute config '${request.compute_config_id}' is on cloud '${cloudId}'.`);
    }
    const fault = app.store.get<{ mode: NextVersionFault }>(SERVICE_FAULTS, request.name)?.mode ?? null;
    const context = engine.context();
    const outcome = existing
      ? applyToService(existing, request, fault, context)
      : createService(request, { projectId, cloudId, creatorId: app.defaults().userId, hostname: newHostname(request.name, cloudId) }, fault, context);
    // Tags first: a crash before the service record is written leaves only invisible tags, never a
    // service that silently lacks the tags its (unacknowledged) apply asked for.
    if (request.tags) putTags(app.store, "service", outcome.service.id, request.tags);
    engine.save(outcome.service);
    if (outcome.faultConsumed) app.store.delete(SERVICE_FAULTS, request.name);
    return singleEnvelope(view(outcome.service), 202);
  });

  router.add("GET", "/api/v2/services-v2", (ctx) => {
    const query = parseInput(ListServicesQuerySchema, queryToObject(ctx.query, ["state_filter", "tag_filter"]), "query");
    const tagFilter = parseTagFilter(query.tag_filter);
    const needle = query.name?.toLowerCase();
    const matching = engine.all((s) => {
      if (needle !== undefined && !s.name.toLowerCase().includes(needle)) return false;
      if (query.project_id && s.projectId !== query.project_id) return false;
      if (query.cloud_id && s.cloudId !== query.cloud_id) return false;
      if (query.creator_id && s.creatorId !== query.creator_id) return false;
      if (query.state_filter.length && !query.state_filter.includes(s.currentState)) return false;
      if (query.archive_status === "ARCHIVED" && s.archivedAt === null) return false;
      if (query.archive_status === "NOT_ARCHIVED" && s.archivedAt !== null) return false;
      if (tagFilter.size && !matchesTagFilter(getTags(app.store, "service", s.id), tagFilter)) return false;
      return true;
    });
    const sorted = sortServices(matching, query.sort_field ?? "CREATED_AT", query.sort_order);
    const { results, next } = page(sorted, query.count, query.paging_token);
    return listEnvelope(results.map(view), next, sorted.length);
  });

  router.add("GET", "/api/v2/services-v2/:id", (ctx) => singleEnvelope(view(serviceOr404(ctx))));

  router.add("GET", "/api/v2/services-v2/:id/versions", (ctx) => {
    const service = serviceOr404(ctx);
    const query = parseInput(ListVersionsQuerySchema, queryToObject(ctx.query, ["state_filter"]), "query");
    const versions = service.versions
      .filter((v) => !query.state_filter.length || query.state_filter.includes(v.state))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    if (query.sort_order === "ASC") versions.reverse();
    const { results, next } = page(versions, query.count, query.paging_token);
    return listEnvelope(results.map(versionView), next, versions.length);
  });

  router.add("GET", "/api/v2/services-v2/:id/versions/:versionName", (ctx) => {
    const service = serviceOr404(ctx);
    const version = [...service.versions].reverse().find((v) => v.version === ctx.params.versionName || v.id === ctx.params.versionName);
    if (!version) throw new LocalApiError(404, `Version '${ctx.params.versionName}' of service '${service.name}' not found.`);
    return singleEnvelope(versionView(version));
  });

  const rollback = (ctx: RouteContext) => {
    const service = serviceOr404(ctx);
    const body = parseInput(RollbackSchema, ctx.body);
    const updated = rollbackService(service, body.max_surge_percent ?? null, engine.context());
    engine.save(updated);
    return singleEnvelope(view(updated));
  };
  router.add("POST", "/api/v2/services-v2/:id/rollback", rollback);
  // `anyscale service rollback` (0.26.112) still calls the external route; it reads a ServiceModel, a subset of this view.
  router.add("POST", "/ext/v0/services/:id/rollback", rollback);

  router.add("POST", "/api/v2/services-v2/:id/terminate", (ctx) => {
    const updated = terminateService(serviceOr404(ctx), engine.context());
    engine.save(updated);
    return singleEnvelope(view(updated), 202);
  });

  router.add("POST", "/api/v2/services-v2/:id/add_secondary_auth_token", (ctx) => {
    const updated = addSecondaryToken(serviceOr404(ctx), engine.context().newAuthToken());
    engine.save(updated);
    return singleEnvelope(view(updated));
  });
  router.add("POST", "/api/v2/services-v2/:id/delete_secondary_auth_token", (ctx) => {
    const updated = deleteToken(serviceOr404(ctx), ctx.query.get("auth_token") ?? undefined);
    engine.save(updated);
    return singleEnvelope(view(updated));
  });

  router.add("POST", "/api/v2/services-v2/:id/archive", (ctx) => {
    const service = terminatedServiceOr400(ctx, "archived");
    if (service.archivedAt === null) {
      service.archivedAt = new Date().toISOString();
      engine.save(service);
    }
    return singleEnvelope(view(service));
  });

  router.add("DELETE", "/api/v2/services-v2/:id", (ctx) => {
    const service = terminatedServiceOr400(ctx, "deleted");
    engine.remove(service.id);
    forgetTags(app.store, "service", service.id);
    return { status: 204 };
  });

  router.add("GET", "/api/v2/services-v2/:id/events", (ctx) => {
    const service = serviceOr404(ctx);
    const query = parseInput(ListVersionsQuerySchema.pick({ count: true, paging_token: true }), queryToObject(ctx.query), "query");
    const ascending = ctx.query.get("ascending_order") === "true";
    const events = ascending ? [...service.events] : [...service.events].reverse();
    const { results, next } = page(events, query.count, query.paging_token);
    return listEnvelope(results.map((e) => eventView(service, e)), next, events.length);
  });

  router.add("GET", "/_local/services/schedule", () => ({ status: 200, body: engine.schedule.read() }));
  router.add("DELETE", "/_local/services/schedule", () => {
    engine.schedule.clear();
    return { status: 204 };
  });

  router.add("POST", "/_local/services/:name/next-version-fails", (ctx) => {
    const { mode } = parseInput(NextVersionFaultSchema, ctx.body);
    app.store.put(SERVICE_FAULTS, ctx.params.name, { mode });
    return { status: 200, body: { name: ctx.params.name, mode } };
  });
  router.add("DELETE", "/_local/services/:name/next-version-fails", (ctx) => {
    app.store.delete(SERVICE_FAULTS, ctx.params.name);
    return { status: 204 };
  });

  const queryFaults = new QueryFaults(app);
  registerQueryFaultRoutes(app, queryFaults);
  registerQueryUrlRoutes(app, engine, queryFaults);
  registerReportedStateRoutes(app);
  return { resume: () => engine.resume() };
}

/** Project and cloud of an apply: the compute config fixes the cloud; the project defaults to the cloud's default project. */
function resolvePlacement(app: LocalApp, request: ApplyServiceRequest): { projectId: string; cloudId: string } {
  const computeConfig = app.store.get<Row>(COLLECTIONS.computeTemplates, request.compute_config_id);
  if (!computeConfig) throw new LocalApiError(404, `Compute config with id '${request.compute_config_id}' not found.`);
  if (!app.store.get<Row>(COLLECTIONS.builds, request.build_id)) throw new LocalApiError(404, `Build with id '${request.build_id}' not found.`);
  const unusable = unusableBuildReason(app, request.build_id);
  if (unusable) throw new LocalApiError(400, unusable);
  const cloudId = String((computeConfig.config as Row).cloud_id);
  if (request.project_id) {
    const project = app.store.get<Row>(COLLECTIONS.projects, request.project_id);
    if (!project) throw new LocalApiError(404, `Project with id '${request.project_id}' not found.`);
    if (project.parent_cloud_id && project.parent_cloud_id !== cloudId) {
      throw new LocalApiError(400, `Project '${request.project_id}' belongs to cloud '${String(project.parent_cloud_id)}', not to the compute config's cloud '${cloudId}'.`);
    }
    return { projectId: request.project_id, cloudId };
  }
  const project = app.store.list<Row>(COLLECTIONS.projects).find((p) => p.parent_cloud_id === cloudId && p.is_default === true);
  if (!project) throw new LocalApiError(404, `No default project for cloud '${cloudId}'.`);
  return { projectId: project.id, cloudId };
}

/** Like the platform's: <name>-<random>.cld-<cloud>.s.anyscaleuserdata.com */
function newHostname(name: string, cloudId: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "service";
  return `${slug}-${randomToken(5)}.cld-${cloudId.replace(/^cld_/, "").slice(0, 12)}.s.anyscaleuserdata.com`;
}

function sortServices(services: ServiceRecord[], field: "STATUS" | "NAME" | "CREATED_AT" | "LAST_DEPLOYED_AT", order: "ASC" | "DESC" | undefined): ServiceRecord[] {
  const key = (s: ServiceRecord): string =>
    field === "NAME" ? s.name.toLowerCase() : field === "STATUS" ? s.currentState : field === "CREATED_AT" ? s.createdAt : s.lastDeployedAt;
  const direction = (order ?? (field === "NAME" || field === "STATUS" ? "ASC" : "DESC")) === "ASC" ? 1 : -1;
  return [...services].sort((a, b) => direction * (key(a).localeCompare(key(b)) || a.id.localeCompare(b.id)));
}
