// Forwards one query-URL request to a version's application on Serve's HTTP proxy: the user's route
// prefix is swapped for the application's internal one; Serve's answer goes back as it came.
import type { RouteContext, RouteResult } from "../types";

const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "authorization", "upgrade", "proxy-connection", "te", "trailer"]);
const KEPT_RESPONSE_HEADERS = ["content-type", "cache-control", "x-request-id", "location", "retry-after"];

/** The path under the application: `/a/b` under route prefix `/a` is `/b`. */
export function pathUnderPrefix(path: string, routePrefix: string | null | undefined): string {
  const prefix = (routePrefix ?? "/").replace(/\/+$/, "");
  const rest = path.slice(prefix.length);
  return rest === "" ? "/" : rest;
}

export async function forwardToServe(ctx: RouteContext, serveUrl: string, internalPrefix: string, rest: string, timeoutMs: number): Promise<RouteResult> {
  const query = ctx.query.toString();
  const target = `${serveUrl}${internalPrefix}${rest === "/" ? "/" : rest}${query ? `?${query}` : ""}`;
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.headers)) {
    if (value === undefined || HOP_BY_HOP.has(key)) continue;
    headers[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  const hasBody = !["GET", "HEAD"].includes(ctx.method) && ctx.rawBody.length > 0;
  let response: Response;
  try {
    response = await fetch(target, { method: ctx.method, headers, body: hasBody ? ctx.rawBody : undefined, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? `no answer within ${Math.round(timeoutMs / 1000)}s` : (error as Error).message;
    return { status: 502, raw: `The application did not answer: ${reason}\n`, contentType: "text/plain; charset=utf-8" };
  }
  const raw = Buffer.from(await response.arrayBuffer());
  const kept: Record<string, string> = {};
  for (const name of KEPT_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null && name !== "content-type") kept[name] = value;
  }
  return { status: response.status, raw, contentType: response.headers.get("content-type") ?? "application/octet-stream", headers: kept };
}
