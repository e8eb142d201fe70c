// The pure halves of the transport: URLs with repeated query keys, null-free JSON bodies, the server's
// explanation pulled out of an error envelope, and Retry-After.
import type { QueryValue } from "./http";

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(baseUrl.replace(/\/+$/, "") + (path.startsWith("/") ? path : `/${path}`));
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) url.searchParams.append(key, String(item));
  }
  return url.toString();
}

/** Official clients omit null attributes; servers treat an explicit null differently from absence. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === "object" && !(value instanceof Buffer)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (inner !== null && inner !== undefined) out[key] = dropNulls(inner);
    }
    return out;
  }
  return value;
}

/** A FastAPI field error's location without the request part it sits in ("body.config.timeout_s" → "config.timeout_s"). */
function fieldLocation(loc: unknown[] | undefined): string {
  if (!loc) return "";
  const parts = loc.length > 1 && (loc[0] === "body" || loc[0] === "query") ? loc.slice(1) : loc;
  return parts.join(".");
}

/** Pulls the human explanation out of Anyscale's and ZenML's error envelopes. */
export function extractDetail(text: string): string {
  if (!text) return "(empty response body)";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
  const describe = (value: unknown): string => {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) {
      // ZenML: ["KeyError", "message"]; FastAPI validation: [{loc, msg}, ...]
      if (value.length === 2 && value.every((item) => typeof item === "string")) return `${value[0]}: ${value[1]}`;
      return value.map((item) => (item && typeof item === "object" && "msg" in item ? `${fieldLocation((item as { loc?: unknown[] }).loc)}: ${(item as { msg: string }).msg}` : describe(item))).join("; ");
    }
    if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if ("error" in record) return describe(record.error);
      // Anyscale's 422: readable text in `message`, FastAPI's field errors in `detail` (the official
      // client shows `detail` when it is a string, else `message`); the field errors are kept too.
      if (typeof record.message === "string" && record.message && Array.isArray(record.detail)) {
        const fields = describe(record.detail);
        return fields && !record.message.includes(fields) ? `${record.message} (${fields})` : record.message;
      }
      if ("detail" in record) return describe(record.detail);
      if ("message" in record) return describe(record.message);
      return JSON.stringify(value);
    }
    return String(value);
  };
  return describe(parsed);
}

export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
