// Paging through list endpoints, apart from I/O: a page fetcher goes in, items come out lazily,
// so the loop (token hand-over, max items, termination) is unit-testable without a server.
import { UnexpectedResponseError } from "./errors";

export interface Page<T> {
  items: T[];
  /** Token for the next page; absent (or null) on the last page. */
  nextPagingToken?: string | null;
}

export type PageFetcher<T> = (pagingToken: string | undefined) => Promise<Page<T>>;

export interface PagingOptions {
  /** Stop after this many items (no further page is fetched once reached). */
  maxItems?: number;
  /** Names the endpoint in the error raised when the server hands back a token it already gave. */
  endpoint: string;
}

export async function* paginate<T>(fetchPage: PageFetcher<T>, options: PagingOptions): AsyncGenerator<T> {
  const { maxItems, endpoint } = options;
  if (maxItems !== undefined && maxItems <= 0) return;
  const seenTokens = new Set<string>();
  let token: string | undefined;
  let yielded = 0;
  for (;;) {
    const page = await fetchPage(token);
    for (const item of page.items) {
      yield item;
      yielded += 1;
      if (maxItems !== undefined && yielded >= maxItems) return;
    }
    const next = page.nextPagingToken ?? undefined;
    if (next === undefined || next === "") return;
    // A server that repeats a token would otherwise keep us paging forever.
    if (seenTokens.has(next)) throw new UnexpectedResponseError(endpoint, `paging token '${next}' was returned twice`);
    seenTokens.add(next);
    token = next;
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
