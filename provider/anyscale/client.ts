// AnyscaleClient: the one client of the Anyscale REST API, on the shared undici transport.
// It unwraps the {result}/{results, metadata} envelopes, validates every response against the zod
// models (naming the endpoint when a shape is wrong), pages through lists with the one paging loop
// (core/paging.ts), and authenticates the way the official SDK does (a cli_token cookie), so the
// server sees the same wire as from `anyscale`. Each API resource has its own module, reached as
// `client.services`, `client.jobs`, `client.jobQueues`, `client.tags`; each owns its response models.
import { createHash } from "node:crypto";
import { z } from "zod";
import { UnexpectedResponseError } from "../core/errors";
import { PauseGate } from "../core/pause-gate";
import { HttpTransport, type HttpMethod, type QueryValue, type TransportOptions } from "../core/http";
import { collect, paginate } from "../core/paging";
import { registerSecret } from "../core/redact";
import { JobQueuesApi } from "./job-queues";
import { JobsApi } from "./jobs";
import { LookupCache } from "./lookup-cache";
import { parseOrThrow } from "./parse";
import { ServicesApi } from "./services";
import { TagsApi } from "./tags";

export const CLIENT_NAME = "pulumi-anyscale";
export const CLIENT_VERSION = "0.1.0";
/** The API refuses larger pages. */
export const MAX_PAGE_SIZE = 50;

const optionalString = z.string().nullish();
const listMetadataSchema = z.looseObject({ total: z.number().nullish(), next_paging_token: optionalString });
const userInfoSchema = z.looseObject({ id: optionalString, email: optionalString });

export interface AnyscaleClientOptions {
  host: string;
  token: string;
  /** Extra transport settings (retry policy, dispatcher, timeouts) — mostly for tests and benches. */
  transport?: Partial<Omit<TransportOptions, "api" | "baseUrl" | "authHeaders">>;
  /** Where read-only lookups are reused; a fresh one per client unless the builder shares one. */
  lookups?: LookupCache;
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
  readonly lookups: LookupCache;
  readonly services: ServicesApi;
  readonly jobs: JobsApi;
  readonly jobQueues: JobQueuesApi;
  readonly tags: TagsApi;

  constructor(options: AnyscaleClientOptions) {
    registerSecret(options.token);
    const token = options.token;
    this.host = options.host.replace(/\/+$/, "");
    this.lookupScope = `${this.host}#${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;
    this.lookups = options.lookups ?? new LookupCache();
    this.transport = new HttpTransport({
      gate: gateFor(this.lookupScope),
      ...options.transport,
      api: "Anyscale",
      baseUrl: this.host,
      authHeaders: () => ({ cookie: `cli_token=${token}` }),
      headers: { "X-Anyscale-Client": CLIENT_NAME, "X-Anyscale-Client-Version": CLIENT_VERSION, ...options.transport?.headers },
      secrets: () => [token],
    });
    this.services = new ServicesApi(this);
    this.jobs = new JobsApi(this);
    this.jobQueues = new JobQueuesApi(this);
    this.tags = new TagsApi(this);
  }

  /** A read-only lookup, answered from the injected cache when recent. */
  lookup(key: string, load: () => Promise<string>): Promise<string> {
    return this.lookups.get(this.lookupScope, key, load);
  }

  // ---- envelopes ----

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
  listAll<S extends z.ZodType>(itemSchema: S, method: "GET" | "POST", path: string, options: CallOptions & { maxItems?: number } = {}): Promise<z.output<S>[]> {
    const fetchPage = (pagingToken: string | undefined) => this.listPage(itemSchema, method, path, pagingToken, options);
    return collect(paginate(fetchPage, { endpoint: `${method} ${path}`, maxItems: options.maxItems }));
  }

  /** One full-size page of a list (the paging parameters placed as listAll places them); an empty page ends the list. */
  async listPage<S extends z.ZodType>(
    itemSchema: S,
    method: "GET" | "POST",
    path: string,
    pagingToken: string | undefined,
    options: CallOptions = {},
  ): Promise<{ items: z.output<S>[]; nextPagingToken?: string }> {
    const pageOptions: CallOptions =
      method === "GET"
        ? { ...options, query: { ...options.query, count: MAX_PAGE_SIZE, paging_token: pagingToken } }
        : { ...options, body: { ...(options.body as object), paging: { count: MAX_PAGE_SIZE, paging_token: pagingToken } }, idempotent: true };
    const page = await this.page(itemSchema, method, path, pageOptions);
    return { items: page.items, nextPagingToken: page.items.length === 0 ? undefined : page.nextPagingToken };
  }

  /** GET /api/v2/userinfo/: a cheap credential check (401 = bad or expired token). */
  async getUserInfo(): Promise<z.output<typeof userInfoSchema>> {
    return this.result(userInfoSchema, "GET", "/api/v2/userinfo/");
  }
}
