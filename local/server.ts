import { setTimeout as sleepMs } from "node:timers/promises";
import * as http from "node:http";
import { randomBytes } from "node:crypto";
import type { FaultInjector } from "./faults";
import type { RequestLog } from "./request-log";
import type { SimpleRouter } from "./router";
import { LocalApiError, type FieldError, type RouteContext, type RouteResult } from "./types";

/** Uploads (the object store's presigned PUT) and query-URL traffic. */
const MAX_RAW_BODY_BYTES = 256 * 1024 * 1024;
/** JSON API requests: the 10 MB an API gateway (AWS API Gateway's payload limit) allows. */
export const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;

export interface ServerDeps {
  router: SimpleRouter;
  token: () => string;
  faults: FaultInjector;
  requestLog: RequestLog;
  log: (message: string) => void;
  /** Resolves once every write made so far is fsync'd (the store's group commit); awaited before each answer. */
  durable?: () => Promise<void>;
}

/** The request pipeline: trace id, faults, routing, auth, body (with its limit), handler, error envelope, request log. */
export function createRequestListener(deps: ServerDeps): http.RequestListener {
  return (req, res) => {
    handle(deps, req, res).catch((err) => {
      deps.log(`unhandled error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendResult(res, traceIdOf(res), errorResult(500, "Internal server error."));
      else res.destroy();
    });
  };
}

async function handle(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // A W3C traceparent from the client (the CLI sends one per command) carries over as the trace id.
  const traceparent = /^[0-9a-f]{2}-([0-9a-f]{32})-/.exec(headerValue(req.headers.traceparent) ?? "");
  const traceId = traceparent ? traceparent[1] : randomBytes(16).toString("hex");
  res.setHeader("x-trace-id", traceId);
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://local");
  const path = url.pathname;
  // The request log records control-plane API traffic, not the admin API or query-URL traffic.
  const isLogged = !path.startsWith("/_local/") && !path.startsWith("/serve/");
  const client = headerValue(req.headers["x-anyscale-client"]) ?? null;
  let loggedBody: unknown;
  const finish = (result: RouteResult): void => {
    sendResult(res, traceId, result);
    if (isLogged) {
      safeLog(deps, () =>
        deps.requestLog.append({ ts: new Date().toISOString(), method, path, query: url.searchParams, body: loggedBody, status: result.status, client, traceId }),
      );
    }
  };

  const fault = deps.faults.decide(method, path);
  if (fault) {
    if (fault.kind === "reset") {
      safeLog(deps, () =>
        deps.requestLog.append({ ts: new Date().toISOString(), method, path, query: url.searchParams, body: undefined, status: 0, client, traceId }),
      );
      req.socket.destroy();
      return;
    }
    if (fault.kind === "latency") {
      await sleepMs(deps.faults.latencyMs());
    } else {
      const status = Number(fault.kind);
      const headers: Record<string, string> = status === 429 ? { "retry-after": String(deps.faults.retryAfterS()) } : {};
      finish({ ...errorResult(status, `Injected fault: HTTP ${status}.`), headers });
      req.resume();
      return;
    }
  }

  // Routing and auth come before the body: an unauthenticated or misrouted client never gets its
  // body read (a 200 MB anonymous PUT costs nothing), and the connection is closed instead of drained.
  const reject = (result: RouteResult): void => {
    res.setHeader("connection", "close");
    res.on("finish", () => req.destroy());
    finish(result);
  };
  const match = deps.router.match(method, path);
  if (match === undefined) {
    reject(errorResult(404, `Not found: ${method} ${path}`));
    return;
  }
  if (match === "method") {
    reject(errorResult(405, `Method ${method} not allowed for ${path}`));
    return;
  }
  if (match.auth && !isAuthorized(req, deps.token())) {
    reject(errorResult(401, "Unauthorized: missing or invalid API token. Provide the cookie cli_token or an Authorization: Bearer header."));
    return;
  }
  // API bodies are JSON documents with the limit an API gateway puts on them; only the upload and
  // query-URL routes (raw bodies, the object store's and the Serve app's) take large ones.
  const limit = match.rawBody ? MAX_RAW_BODY_BYTES : MAX_JSON_BODY_BYTES;
  const declared = Number(headerValue(req.headers["content-length"]));
  if (Number.isFinite(declared) && declared > limit) {
    reject(errorResult(413, `Request body of ${declared} bytes is larger than the limit of ${limit} bytes.`));
    return;
  }
  let rawBody: Buffer;
  try {
    rawBody = await readBody(req, limit);
  } catch (err) {
    reject(errorResult(413, (err as Error).message));
    return;
  }

  let body: unknown;
  if (!match.rawBody && rawBody.length > 0) {
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      finish(errorResult(400, "Malformed JSON in request body."));
      return;
    }
    loggedBody = body;
  }

  const ctx: RouteContext = { method, path, params: match.params, query: url.searchParams, body, rawBody, headers: req.headers };
  let result: RouteResult;
  try {
    result = await match.handler(ctx);
  } catch (err) {
    if (err instanceof LocalApiError) {
      result = errorResult(err.status, err.message, err.fieldErrors);
    } else {
      deps.log(`handler error on ${method} ${path}: ${(err as Error).stack ?? String(err)}`);
      result = errorResult(500, "Internal server error.");
    }
  }
  // Whatever the answer shows (this handler's writes, or a timer's) is fsync'd before it leaves.
  if (deps.durable) await deps.durable();
  finish(result);
}

/**
 * The platform's error envelope: `{"error": {"detail": "<text>"}}`, except a 422, which carries its
 * readable text in `message` and FastAPI's list of field errors in `detail` (the official client's
 * server_error_text reads `detail` when it is a string, else `message`).
 */
export function errorResult(status: number, detail: string, fieldErrors?: FieldError[]): RouteResult {
  if (status === 422) {
    return { status, body: { error: { message: detail, detail: fieldErrors ?? [{ loc: ["body"], msg: detail, type: "value_error" }] } } };
  }
  return { status, body: { error: { detail } } };
}

function sendResult(res: http.ServerResponse, traceId: string | undefined, result: RouteResult): void {
  if (traceId) res.setHeader("x-trace-id", traceId);
  for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
  if (result.raw !== undefined) {
    res.setHeader("content-type", result.contentType ?? "application/octet-stream");
    res.statusCode = result.status;
    res.end(result.raw);
    return;
  }
  res.statusCode = result.status;
  if (result.body === undefined || result.status === 204) {
    res.end();
    return;
  }
  res.setHeader("content-type", result.contentType ?? "application/json");
  res.end(JSON.stringify(result.body));
}

function traceIdOf(res: http.ServerResponse): string | undefined {
  const v = res.getHeader("x-trace-id");
  return typeof v === "string" ? v : undefined;
}

function isAuthorized(req: http.IncomingMessage, token: string): boolean {
  const authorization = headerValue(req.headers.authorization);
  if (authorization) {
    const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (m && constantTimeEqual(m[1].trim(), token)) return true;
  }
  const cookie = headerValue(req.headers.cookie);
  if (cookie) {
    for (const part of cookie.split(";")) {
      const eq = part.indexOf("=");
      if (eq < 0) continue;
      if (part.slice(0, eq).trim() === "cli_token" && constantTimeEqual(part.slice(eq + 1).trim(), token)) return true;
    }
  }
  return false;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`Request body larger than the limit of ${limit} bytes.`));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function safeLog(deps: ServerDeps, write: () => void): void {
  try {
    write();
  } catch (err) {
    deps.log(`request log write failed: ${(err as Error).message}`);
  }
}
