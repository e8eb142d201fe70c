import { LocalApiError } from "./types";

// Opaque paging tokens over an offset into a stably sorted list.

export function encodePagingToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

export function decodePagingToken(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through
  }
  throw new LocalApiError(400, `Invalid paging_token '${token}'.`);
}

/** One page plus the token for the next one (null on the last page). */
export function page<T>(items: T[], count: number, pagingToken: string | undefined): { results: T[]; next: string | null } {
  const offset = decodePagingToken(pagingToken);
  const results = items.slice(offset, offset + count);
  const next = offset + count < items.length ? encodePagingToken(offset + count) : null;
  return { results, next };
}
