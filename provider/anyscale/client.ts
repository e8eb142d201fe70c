// AnyscaleClient: the one client of the Anyscale REST API, on the shared undici transport.
// It unwraps the {result}/{results, metadata} envelopes, validates every response against the zod
// models (naming the endpoint when a shape is wrong), pages through lists, and authenticates the way
// the official SDK does (a cli_token cookie), so the server sees the same wire as from `anyscale`.
import { createHash } from "node:crypto";
import type { z } from "zod";
import { NotFoundError, UnexpectedResponseError } from "../core/errors";
import { PauseGate } from "../core/pause-gate";
import { HttpTransport, type HttpMethod, type QueryValue, type TransportOptions } from "../core/http";
import { redact, registerSecret } from "../core/redact";
import {
  listMetadataSchema,
  serviceSchema,
  serviceVersionSchema,
  tagsSchema,
  userInfoSchema,
  type ServiceModel,
  type ServiceVersionModel,
} from "./models";

export const CLIENT_NAME = "pulumi-anyscale";
export const CLIENT_VERSION = "0.1.0";
/** The API refuses larger pages. */
export const MAX_PAGE_SIZE = 50;

export type TaggableResourceType = "service" | "job" | "job_queue";

export interface AnyscaleClientOptions {
  host: string;
  token: string;
  /** Extra transport settings (retry policy, dispatcher, timeouts) — mostly for tests and benches. */
  transport?: Partial<Omit<TransportOptions, "api" | "baseUrl" | "authHeaders">>;
}

export interface CallOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Overrides the transport's default (GET/PUT/DELETE idempotent, POST not). */
  idempotent?: boolean;
  /** Overrides the transport's attempt budget (the shared poller retries on its next round instead). */
  maxAttempts?: number;
}

/** One Retry-After pause per server and account for the whole process (see core/pause-gate). */
const gates = new Map<string, PauseGate>();
function gateFor(scope: string): PauseGate {
  let gate = gates.get(scope);
  if (!gate) gates.set(scope, (gate = new PauseGate()));
  return gate;
}

export class AnyscaleClient {
  readonly transport: HttpTransport;
  readonly host: string;
  /**
   * Who is asking where: the host plus a digest of the token (never the token), so read-only lookups can
   * be shared by every client of the same account in this process but never across accounts or hosts.
   */
  readonly lookupScope: string;

  constructor(options: AnyscaleClientOptions) {
    registerSecret(options.token);
    const token = options.token;
    this.host = options.host.replace(/\/+$/, "");
    this.lookupScope = `${this.host}#${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;
    this.transport = new HttpTransport({
      gate: gateFor(this.lookupScope),
      ...options.transport,
      api: "Anyscale",
      baseUrl: this.host,
      authHeaders: () => ({ cookie: `cli_token=${token}` }),
      headers: { "X-Anyscale-Client": CLIENT_NAME, "X-Anyscale-Client-Version": CLIENT_VERSION, ...options.transport?.headers },
      secrets: () => [token],
    });
  }

  // ---- generic envelope helpers (used by the jobs, queues and data-function clients too) ----

  /** Calls an endpoint answering `{result: …}` and validates the result. */
  async result<S extends z.ZodType>(schema: S, method: HttpMethod, path: string, options: CallOptions = {}): Promise<z.output<S>> {
    const body = await this.transport.json({ method, path, query: options.query, body: options.body, idempotent: options.idempotent, maxAttempts: options.maxAttempts });
    const endpoint = `${method} ${path}`;
    if (!body || typeof body !== "object" || !("result" in body)) {
      throw new UnexpectedResponseError(endpoint, 'expected a {"result": …} envelope');
    }
    return parseOrThrow(schema, (body as { result: unknown }).result, endpoint);
  }

  /** Calls an endpoint with no useful body (204, or an envelope we do not need). */
  async send(method: HttpMethod, path: string, options: CallOptions = {}): Promise<void> {
    await this.transport.request({ method, path, query: options.query, body: options.body, idempotent: options.idempotent });
  }

  /** One page of a `{results, metadata}` list. */
  async page<S extends z.ZodType>(
    itemSchema: S,
    method: HttpMethod,
    path: string,
    options: CallOptions = {},
  ): Promise<{ items: z.output<S>[]; nextPagingToken?: string; total?: number }> {
    const body = await this.transport.json({
      method,
      path,
      query: options.query,
      body: options.body,
      idempotent: options.idempotent ?? true,
      maxAttempts: options.maxAttempts,
    });
    const endpoint = `${method} ${path}`;
    if (!body || typeof body !== "object" || !Array.isArray((body as { results?: unknown }).results)) {
      throw new UnexpectedResponseError(endpoint, 'expected a {"results": […]} envelope');
    }
    const envelope = body as { results: unknown[]; metadata?: unknown };
    const items = envelope.results.map((item, index) => parseOrThrow(itemSchema, item, `${endpoint} (results[${index}])`));
    const metadata = envelope.metadata === undefined || envelope.metadata === null ? {} : parseOrThrow(listMetadataSchema, envelope.metadata, `${endpoint} (metadata)`);
    return { items, nextPagingToken: metadata.next_paging_token ?? undefined, total: metadata.total ?? undefined };
  }

  /**
   * Every item of a paginated list. GET lists take `count` + `paging_token` query parameters; POST searches
   * take `paging: {count, paging_token}` in the body. Stops at `maxItems` when given.
   */
  async listAll<S extends z.ZodType>(
    itemSchema: S,
    method: "GET" | "POST",
    path: string,
    options: CallOptions & { maxItems?: number } = {},
  ): Promise<z.output<S>[]> {
    const all: z.output<S>[] = [];
    let pagingToken: string | undefined;
    const seenTokens = new Set<string>();
    for (;;) {
      const pageOptions: CallOptions =
        method === "GET"
          ? { ...options, query: { ...options.query, count: MAX_PAGE_SIZE, paging_token: pagingToken } }
          : { ...options, body: { ...(options.body as object), paging: { count: MAX_PAGE_SIZE, paging_token: pagingToken } }, idempotent: true };
      const page = await this.page(itemSchema, method, path, pageOptions);
      all.push(...page.items);
      if (options.maxItems !== undefined && all.length >= options.maxItems) return all.slice(0, options.maxItems);
      if (!page.nextPagingToken || page.items.length === 0) return all;
      if (seenTokens.has(page.nextPagingToken)) {
        throw new UnexpectedResponseError(`${method} ${path}`, "the server returned the same paging token twice");
      }
      seenTokens.add(page.nextPagingToken);
      pagingToken = page.nextPagingToken;
    }
  }

  // ---- credentials ----

  /** GET /api/v2/userinfo/: a cheap credential check (401 = bad or expired token). */
  async getUserInfo(): Promise<z.output<typeof userInfoSchema>> {
    return this.result(userInfoSchema, "GET", "/api/v2/userinfo/");
  }

  // ---- services (/api/v2/services-v2) ----

  /** Create-or-update keyed by (name, project_id). Not resent on ambiguous failures: a repeat could start another version. */
  async applyService(body: Record<string, unknown>): Promise<ServiceModel> {
    return this.result(serviceSchema, "PUT", "/api/v2/services-v2/apply", { body, idempotent: false });
  }

  /** The service, or undefined when the API says 404. */
  async getService(serviceId: string): Promise<ServiceModel | undefined> {
    try {
      return await this.result(serviceSchema, "GET", `/api/v2/services-v2/${encodeURIComponent(serviceId)}`);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The service with exactly this name in the project. The list endpoint's `name` filter is a
   * case-insensitive substring match, so names are compared client-side.
   */
  async findServiceByName(
    name: string,
    filters: { projectId?: string; cloudId?: string; includeArchived?: boolean } = {},
  ): Promise<ServiceModel | undefined> {
    const services = await this.listAll(serviceSchema, "GET", "/api/v2/services-v2/", {
      query: {
        name,
        project_id: filters.projectId,
        cloud_id: filters.cloudId,
        archive_status: filters.includeArchived ? "ALL" : "NOT_ARCHIVED",
      },
    });
    return services.find((service) => service.name === name && (!filters.projectId || service.project_id === filters.projectId));
  }

  async listServiceVersions(serviceId: string): Promise<ServiceVersionModel[]> {
    return this.listAll(serviceVersionSchema, "GET", `/api/v2/services-v2/${encodeURIComponent(serviceId)}/versions`);
  }

  async rollbackService(serviceId: string, maxSurgePercent?: number): Promise<void> {
    await this.send("POST", `/api/v2/services-v2/${encodeURIComponent(serviceId)}/rollback`, {
      body: { max_surge_percent: maxSurgePercent },
      idempotent: false,
    });
  }

  /** Terminating twice is harmless, so transient failures are retried. */
  async terminateService(serviceId: string): Promise<void> {
    await this.send("POST", `/api/v2/services-v2/${encodeURIComponent(serviceId)}/terminate`, { idempotent: true });
  }

  async archiveService(serviceId: string): Promise<void> {
    await this.send("POST", `/api/v2/services-v2/${encodeURIComponent(serviceId)}/archive`, { idempotent: true });
  }

  /** The API refuses (400) unless the service is TERMINATED. */
  async deleteService(serviceId: string): Promise<void> {
    await this.send("DELETE", `/api/v2/services-v2/${encodeURIComponent(serviceId)}`);
  }

  // ---- tags (/api/v2/tags/resource) ----

  async listTags(resourceType: TaggableResourceType, resourceId: string): Promise<Record<string, string>> {
    const result = await this.result(tagsSchema, "GET", "/api/v2/tags/resource", {
      query: { resource_type: resourceType, resource_id: resourceId },
    });
    return Object.fromEntries((result.tags ?? []).map((tag) => [tag.key, tag.value]));
  }

  /** Upsert only: keys not named keep their values. */
  async upsertTags(resourceType: TaggableResourceType, resourceId: string, tags: Record<string, string>): Promise<void> {
    if (Object.keys(tags).length === 0) return;
    await this.send("PUT", "/api/v2/tags/resource", { body: { resource_type: resourceType, resource_id: resourceId, tags } });
  }

  async deleteTags(resourceType: TaggableResourceType, resourceId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.send("DELETE", "/api/v2/tags/resource", { body: { resource_type: resourceType, resource_id: resourceId, keys } });
  }

  /** Makes the live tags equal `desired`: upserts changed keys, deletes removed ones. */
  async setTags(resourceType: TaggableResourceType, resourceId: string, desired: Record<string, string>, current?: Record<string, string>): Promise<void> {
    const live = current ?? (await this.listTags(resourceType, resourceId));
    const changed = Object.fromEntries(Object.entries(desired).filter(([key, value]) => live[key] !== value));
    const removed = Object.keys(live).filter((key) => !(key in desired));
    await this.upsertTags(resourceType, resourceId, changed);
    await this.deleteTags(resourceType, resourceId, removed);
  }
}

/** Validates a response value, turning zod issues into an UnexpectedResponseError that names the endpoint. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, endpoint: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
  throw new UnexpectedResponseError(endpoint, redact(problems));
}
