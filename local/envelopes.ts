import type { RouteResult } from "./types";

// The platform's response envelopes: {result} for one object, {results, metadata} for lists.

export function singleEnvelope(result: unknown, status = 200): RouteResult {
  return { status, body: { result } };
}

export function listEnvelope(results: unknown[], nextPagingToken: string | null = null, total = results.length): RouteResult {
  return { status: 200, body: { results, metadata: { total, next_paging_token: nextPagingToken } } };
}
