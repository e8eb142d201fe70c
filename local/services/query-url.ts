import { timingSafeEqual } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { headerValue } from "../server";
import type { LocalApp, RouteContext, RouteResult } from "../types";
import type { ServiceEngine } from "./engine";
import { isServing } from "./record-ops";
import { primaryOf, type ServiceRecord, type VersionRecord } from "./model";
import { visibleCanary } from "./view";
import type { QueryFaults } from "./query-faults";

// The query URL of a service (base_url = <plane>/serve/<hostname>). Traffic splits by the versions'
// weights with a per-service counter, so 100 requests land exactly weight-for-weight (reproducible),
// interleaved rather than in runs.

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

interface Application {
  name?: string;
  route_prefix?: string | null;
}

export function registerQueryUrlRoutes(app: LocalApp, engine: ServiceEngine, faults?: QueryFaults): void {
  const counters = new Map<string, number>();
  const handler = async (ctx: RouteContext): Promise<RouteResult> => {
    const hostname = ctx.params.hostname;
    const service = engine.byHostname(hostname);
    if (!service) return text(404, `No service is served at host '${hostname}'.`);
    if (service.authToken !== null && !bearerMatches(ctx, [service.authToken, service.secondaryAuthToken])) {
      return { status: 401, body: { detail: "Unauthorized: missing or invalid bearer token for this service." }, headers: { "www-authenticate": "Bearer" } };
    }
    const candidates = servingVersions(service);
    if (candidates.length === 0) return text(503, `Service '${service.name}' is not serving traffic (state ${service.currentState}).`);
    const n = counters.get(service.id) ?? 0;
    counters.set(service.id, n + 1);
    const version = pickByWeight(candidates, n);
    const path = "/" + (ctx.params["*"] ?? "");
    const application = matchApplication(version.rayServeConfig, path);
    if (!application) return text(404, `Path '${path}' matches no route_prefix of service '${service.name}'.`);
    const fault = faults?.next(service, version);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.failStatus) return text(fault.failStatus, `Version '${version.version}' failed this request (injected query fault).`);
    if (fault?.answer !== undefined) return { status: 200, body: fault.answer };
    // A runtime that runs the user's applications (Ray Serve) answers with them instead of the echo.
    if (engine.runtime.forward) return engine.runtime.forward(ctx, service, version, application, path);
    return {
      status: 200,
      body: {
        service: service.name,
        service_id: service.id,
        version: version.version,
        version_id: version.id,
        application: application.name ?? "default",
        route_prefix: application.route_prefix ?? "/",
        method: ctx.method,
        path,
        query: Object.fromEntries(ctx.query),
        received_bytes: ctx.rawBody.length,
      },
    };
  };
  for (const method of METHODS) app.router.add(method, "/serve/:hostname/*", handler, { auth: false, rawBody: true });
}

/** Versions currently taking traffic (weight > 0 and up), with their weights normalised over the serving ones. */
function servingVersions(service: ServiceRecord): Array<{ version: VersionRecord; weight: number }> {
  const versions = [primaryOf(service), visibleCanary(service)].filter((v): v is VersionRecord => v !== undefined);
  return versions.filter((v) => isServing(v.state) && v.weight > 0).map((version) => ({ version, weight: version.weight }));
}

function pickByWeight(candidates: Array<{ version: VersionRecord; weight: number }>, n: number): VersionRecord {
  const total = candidates.reduce((sum, c) => sum + c.weight, 0);
  // Spread evenly, like a real load balancer (a 10% canary gets every tenth request, not ten in a row),
  // and still exact per 100: a newer version takes request n when its running share crosses a whole request.
  for (let index = candidates.length - 1; index > 0; index--) {
    const weight = candidates[index].weight;
    if (Math.floor(((n + 1) * weight) / total) > Math.floor((n * weight) / total)) return candidates[index].version;
  }
  return candidates[0].version;
}

function matchApplication(rayServeConfig: Record<string, unknown>, path: string): Application | undefined {
  const apps = (Array.isArray(rayServeConfig.applications) ? rayServeConfig.applications : []) as Application[];
  let best: Application | undefined;
  let bestLength = -1;
  for (const a of apps) {
    const prefix = (a.route_prefix ?? "/").replace(/\/+$/, "");
    const matches = prefix === "" || path === prefix || path.startsWith(prefix + "/");
    if (matches && prefix.length > bestLength) {
      best = a;
      bestLength = prefix.length;
    }
  }
  return best;
}

function bearerMatches(ctx: RouteContext, tokens: Array<string | null>): boolean {
  const header = headerValue(ctx.headers.authorization);
  const m = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  if (!m) return false;
  const given = Buffer.from(m[1].trim());
  return tokens.some((t) => t !== null && Buffer.from(t).length === given.length && timingSafeEqual(Buffer.from(t), given));
}

function text(status: number, message: string): RouteResult {
  return { status, raw: message + "\n", contentType: "text/plain; charset=utf-8" };
}
