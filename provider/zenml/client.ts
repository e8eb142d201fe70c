// ZenML REST client: OAuth2 token exchange at /api/v1/login, one re-login on 401, responses
// validated against the schemas so a malformed reply is an error naming its endpoint.
import type { z } from "zod";
import { ConfigurationError, HttpApiError, UnexpectedResponseError, ZenmlApiError } from "../core/errors";
import { HttpTransport, type HttpRequestSpec, type TransportOptions } from "../core/http";
import { registerSecret } from "../core/redact";
import type { ZenmlSettings } from "./config";
import { WireLoginSchema, WirePageSchema, WireProjectSchema, WireServiceSchema, type WirePage, type WireService } from "./schema";

/** Where the bearer token lives between calls; injectable so a test can hand in an expired one. */
export interface TokenCache {
  accessToken?: string;
}

export interface ZenmlClientOptions {
  tokenCache?: TokenCache;
  transport?: Partial<Omit<TransportOptions, "api" | "baseUrl" | "authHeaders">>;
}

/** Query of GET /api/v1/services, in ZenML's own (snake_case) names. */
export type WireServiceQuery = Record<string, string | number | boolean | undefined>;

export class ZenmlClient {
  private readonly transport: HttpTransport;
  private readonly tokens: TokenCache;
  private loginInFlight?: Promise<string>;

  constructor(
    private readonly settings: ZenmlSettings,
    options: ZenmlClientOptions = {},
  ) {
    this.tokens = options.tokenCache ?? {};
    this.transport = new HttpTransport({
      ...options.transport,
      api: "ZenML",
      baseUrl: settings.url,
      headers: { "user-agent": "pulumi-anyscale", ...options.transport?.headers },
      secrets: () => [this.tokens.accessToken, ...credentialValues(settings)],
    });
  }

  get url(): string {
    return this.settings.url;
  }

  async getProject(nameOrId: string): Promise<z.infer<typeof WireProjectSchema>> {
    return this.call(WireProjectSchema, { method: "GET", path: `/api/v1/projects/${encodeURIComponent(nameOrId)}` });
  }

  async createService(body: Record<string, unknown>): Promise<WireService> {
    return this.call(WireServiceSchema, { method: "POST", path: "/api/v1/services", body });
  }

  async getService(id: string): Promise<WireService> {
    return this.call(WireServiceSchema, { method: "GET", path: `/api/v1/services/${encodeURIComponent(id)}`, query: { hydrate: true } });
  }

  async updateService(id: string, body: Record<string, unknown>): Promise<WireService> {
    return this.call(WireServiceSchema, { method: "PUT", path: `/api/v1/services/${encodeURIComponent(id)}`, body });
  }

  /** Returns false when the record was already gone, so a retried delete is not an error. */
  async deleteService(id: string): Promise<boolean> {
    try {
      await this.authorized({ method: "DELETE", path: `/api/v1/services/${encodeURIComponent(id)}` });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async listServicesPage(query: WireServiceQuery): Promise<WirePage> {
    return this.call(WirePageSchema, { method: "GET", path: "/api/v1/services", query });
  }

  /** Every page of a filtered listing; ZenML answers 400 for a page past the last, so stop at total_pages. */
  async listAllServices(query: WireServiceQuery, pageSize = 100): Promise<WireService[]> {
    const items: WireService[] = [];
    for (let page = 1; ; page++) {
      const result = await this.listServicesPage({ ...query, page, size: pageSize });
      items.push(...result.items);
      if (page >= result.total_pages || result.items.length === 0) return items;
    }
  }

  private async call<S extends z.ZodType>(schema: S, spec: HttpRequestSpec): Promise<z.infer<S>> {
    const body = await this.authorized(spec);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join(".") || "(root)";
      throw new UnexpectedResponseError(`ZenML ${spec.method} ${spec.path}`, `${where}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    }
    return parsed.data;
  }

  /** Sends with the cached token; on 401 (expired or revoked token) logs in once more and resends. */
  private async authorized(spec: HttpRequestSpec): Promise<unknown> {
    const token = this.tokens.accessToken ?? (await this.login());
    try {
      return await this.send(spec, token);
    } catch (error) {
      if (!(error instanceof HttpApiError) || error.status !== 401) throw error;
      if (this.tokens.accessToken === token) this.tokens.accessToken = undefined;
      const fresh = this.tokens.accessToken ?? (await this.login());
      try {
        return await this.send(spec, fresh);
      } catch (retryError) {
        if (retryError instanceof HttpApiError && retryError.status === 401) {
          throw new ZenmlApiError({ ...errorContext(retryError), detail: `${retryError.detail} (after logging in again with ${this.settings.credentials.source})` });
        }
        throw retryError;
      }
    }
  }

  private async send(spec: HttpRequestSpec, token: string): Promise<unknown> {
    try {
      return await this.transport.json({ ...spec, headers: { ...spec.headers, authorization: `Bearer ${token}` } });
    } catch (error) {
      throw cleanZenmlError(error);
    }
  }

  /** Concurrent callers share one login instead of each exchanging the credentials. */
  private login(): Promise<string> {
    this.loginInFlight ??= this.exchangeCredentials().finally(() => {
      this.loginInFlight = undefined;
    });
    return this.loginInFlight;
  }

  private async exchangeCredentials(): Promise<string> {
    const credentials = this.settings.credentials;
    const form: Record<string, string> =
      credentials.kind === "apiKey" ? { password: credentials.apiKey } : { username: credentials.username, password: credentials.password };
    let body: unknown;
    try {
      body = await this.transport.json({ method: "POST", path: "/api/v1/login", form, noAuth: true, idempotent: true });
    } catch (error) {
      if (error instanceof HttpApiError && (error.status === 401 || error.status === 403)) {
        throw new ConfigurationError(`ZenML login at ${this.settings.url}/api/v1/login rejected the credentials from ${credentials.source}: ${cleanDetail(error.detail)}`);
      }
      throw cleanZenmlError(error);
    }
    const parsed = WireLoginSchema.safeParse(body);
    if (!parsed.success) throw new UnexpectedResponseError("ZenML POST /api/v1/login", "no access_token in the response");
    registerSecret(parsed.data.access_token);
    this.tokens.accessToken = parsed.data.access_token;
    return parsed.data.access_token;
  }
}

function credentialValues(settings: ZenmlSettings): string[] {
  return settings.credentials.kind === "apiKey" ? [settings.credentials.apiKey] : [settings.credentials.password];
}

export function isNotFound(error: unknown): boolean {
  return error instanceof HttpApiError && error.status === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof HttpApiError && error.status === 409;
}

function errorContext(error: HttpApiError) {
  return { api: error.api, status: error.status, detail: error.detail, method: error.method, path: error.path, traceId: error.traceId };
}

/**
 * ZenML's 422 messages end with a server-side stack location ("\n\n  File ..., line N, in ...");
 * users need the validation message, not the server's file layout.
 */
export function cleanDetail(detail: string): string {
  const withoutTrace = detail.split(/\n\s*\n\s*File "/)[0] ?? detail;
  return withoutTrace.replace(/\s+/g, " ").trim();
}

function cleanZenmlError(error: unknown): unknown {
  if (error instanceof HttpApiError) return new ZenmlApiError({ ...errorContext(error), detail: cleanDetail(error.detail) });
  return error;
}
