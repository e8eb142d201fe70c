// The one HTTP transport (undici) under every API client: JSON in and out, envelopes left to the
// caller, errors mapped to the hierarchy with the server's detail and trace id, and retries that
// only repeat what is safe to repeat.
import { setTimeout as sleepMs } from "node:timers/promises";
import type { Dispatcher } from "undici";
import type { Readable } from "node:stream";
import { AnyscaleConnectionError, AnyscaleTimeoutError, UnexpectedResponseError, apiErrorFor, type ApiName } from "./errors";
import type { PauseGate } from "./pause-gate";
import { redact } from "./redact";
import { buildUrl, dropNulls, extractDetail, headerValue, parseRetryAfter } from "./http-wire";
import { classify, LOOK_THEN_RESEND_ATTEMPTS, NOT_SENT_CODES } from "./write-once";

export { buildUrl, dropNulls, extractDetail, parseRetryAfter } from "./http-wire";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

export interface HttpRequestSpec {
  method: HttpMethod;
  /** Path on the base URL, or an absolute URL (presigned uploads, log chunks). */
  path: string;
  /** Arrays repeat the key (state_filter=A&state_filter=B); null/undefined are left out. */
  query?: Record<string, QueryValue>;
  /** JSON body; null attributes are dropped, as the official clients do. */
  body?: unknown;
  /** application/x-www-form-urlencoded body (ZenML login). */
  form?: Record<string, string>;
  /** Raw bytes (uploads); sent as-is. A function gives a fresh stream per attempt (set content-length). */
  raw?: Buffer | (() => Readable);
  headers?: Record<string, string>;
  /** Safe to send twice. Defaults: GET/PUT/DELETE yes, POST/PATCH no (read-only searches pass true). */
  idempotent?: boolean;
  /** Skip the transport's auth headers (presigned URLs carry their own). */
  noAuth?: boolean;
  /** "text" returns the body as a string even when it looks like JSON (log chunks are the user's JSON lines). */
  responseType?: "json" | "text";
  timeoutMs?: number;
  /** Overrides the policy's attempts for this request (a poller that retries on its next tick sends once). */
  maxAttempts?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  traceId?: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Statuses retried for idempotent requests. */
  retryStatuses: number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  // One budget: the look-then-resend writes (write-once.ts) get as many sends as the transport's retries.
  maxAttempts: LOOK_THEN_RESEND_ATTEMPTS,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  retryStatuses: [429, 500, 502, 503, 504],
};

const CONNECTION_CODES = new Set([
  ...NOT_SENT_CODES,
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export interface TransportStats {
  requests: number;
  retries: number;
}

export interface TransportOptions {
  api: ApiName;
  baseUrl: string;
  /** Auth headers, computed per request (tokens can be refreshed). */
  authHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Sent with every request (client name/version). */
  headers?: Record<string, string>;
  /** Values to hide from every error message. */
  secrets?: () => ReadonlyArray<string | undefined>;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  dispatcher?: Dispatcher;
  /** Injected for tests of the retry schedule. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Shared by every transport to the same server: a Retry-After answer holds all their requests. */
  gate?: PauseGate;
}

const defaultSleep = (ms: number): Promise<void> => sleepMs(ms);

export class HttpTransport {
  readonly stats: TransportStats = { requests: 0, retries: 0 };
  private readonly policy: RetryPolicy;

  constructor(private readonly options: TransportOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Sends the request, retrying what is safe; throws the mapped error for any non-2xx status. */
  async request<T = unknown>(spec: HttpRequestSpec): Promise<HttpResponse<T>> {
    const idempotent = spec.idempotent ?? (spec.method === "GET" || spec.method === "PUT" || spec.method === "DELETE");
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send<T>(spec);
      } catch (error) {
        const delay = this.retryDelay(error, attempt, idempotent, spec.maxAttempts);
        if (delay === undefined) throw error;
        this.stats.retries++;
        await (this.options.sleep ?? defaultSleep)(delay);
      }
    }
  }

  /** GET/POST/... returning only the parsed body. */
  async json<T = unknown>(spec: HttpRequestSpec): Promise<T> {
    return (await this.request<T>(spec)).body;
  }

  private retryDelay(error: unknown, attempt: number, idempotent: boolean, maxAttempts = this.policy.maxAttempts): number | undefined {
    if (attempt >= maxAttempts) return undefined;
    const status = (error as { status?: number }).status;
    const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
    // Any method may be resent when the server never saw it; only idempotent ones when it may have acted.
    const notSent = classify(error) === "not-sent";
    let retryable = false;
    if (error instanceof AnyscaleConnectionError || error instanceof AnyscaleTimeoutError) retryable = idempotent || notSent;
    else if (typeof status === "number") retryable = notSent || (idempotent && this.policy.retryStatuses.includes(status));
    if (!retryable) return undefined;
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.round(ceiling / 2 + ((this.options.random ?? Math.random)() * ceiling) / 2);
    if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, jittered), Math.max(this.policy.maxDelayMs, 30_000));
    return jittered;
  }

  private async send<T>(spec: HttpRequestSpec): Promise<HttpResponse<T>> {
    const url = buildUrl(this.options.baseUrl, spec.path, spec.query);
    const displayPath = redact(new URL(url).pathname);
    const headers: Record<string, string> = { accept: "application/json", ...this.options.headers, ...spec.headers };
    if (!spec.noAuth && this.options.authHeaders) Object.assign(headers, await this.options.authHeaders());
    let payload: string | Buffer | Readable | undefined;
    if (spec.raw !== undefined) {
      payload = typeof spec.raw === "function" ? spec.raw() : spec.raw;
    } else if (spec.form !== undefined) {
      payload = new URLSearchParams(spec.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (spec.body !== undefined) {
      payload = JSON.stringify(dropNulls(spec.body));
      headers["content-type"] = "application/json";
    }
    const timeoutMs = spec.timeoutMs ?? this.options.requestTimeoutMs ?? 60_000;
    await this.options.gate?.wait();
    this.stats.requests++;
    let response: Dispatcher.ResponseData;
    try {
      response = await undici().request(url, {
        method: spec.method,
        headers,
        body: payload,
        dispatcher: this.options.dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw this.transportError(error, spec.method, displayPath, timeoutMs);
    }
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw this.transportError(error, spec.method, displayPath, timeoutMs);
    }
    const traceId = headerValue(response.headers["x-trace-id"]) ?? headerValue(response.headers["x-request-id"]);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const error = apiErrorFor({
        api: this.options.api,
        status: response.statusCode,
        detail: redact(extractDetail(text), this.secrets()),
        method: spec.method,
        path: displayPath,
        traceId,
      });
      const retryAfterMs = parseRetryAfter(headerValue(response.headers["retry-after"]));
      if (retryAfterMs !== undefined) {
        Object.assign(error, { retryAfterMs });
        if (response.statusCode === 429 || response.statusCode === 503) this.options.gate?.pause(retryAfterMs);
      }
      throw error;
    }
    let body: unknown = undefined;
    if (spec.responseType === "text") {
      body = text;
    } else if (text.length > 0) {
      const contentType = headerValue(response.headers["content-type"]) ?? "";
      if (contentType.includes("json") || /^[[{"]/.test(text.trimStart())) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new UnexpectedResponseError(`${spec.method} ${displayPath}`, `body is not valid JSON (${text.length} bytes)`);
        }
      } else {
        body = text;
      }
    }
    return { status: response.statusCode, body: body as T, headers: response.headers, traceId };
  }

  private secrets(): ReadonlyArray<string | undefined> {
    return this.options.secrets?.() ?? [];
  }

  private transportError(error: unknown, method: string, path: string, timeoutMs: number): Error {
    const name = (error as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") return new AnyscaleTimeoutError(method, path, timeoutMs);
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code && CONNECTION_CODES.has(code)) return new AnyscaleConnectionError(method, path, code, error);
    return new AnyscaleConnectionError(method, path, code ?? name, error);
  }
}

/**
 * undici is ~110 modules; loaded on the first request, so a process that never sends one (a no-op
 * preview's provider, the program itself) never pays for it.
 */
let undiciModule: typeof import("undici") | undefined;
function undici(): typeof import("undici") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  undiciModule ??= require("undici") as typeof import("undici");
  return undiciModule;
}
