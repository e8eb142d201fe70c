import { z } from "zod";
import { LocalApiError, type LocalApp } from "../types";
import { COLLECTIONS, type UserRecord } from "./seed";

// Shared reads for the catalog routes (clouds, projects, compute configs, builds).

export type Row = Record<string, unknown> & { id: string; name?: string };

export const TextQuery = z.object({ equals: z.string().optional(), contains: z.string().optional() }).partial();

export interface Catalog {
  rows(collection: string): Row[];
  /** The row, or a 404 naming what was looked up. */
  byId(collection: string, what: string, id: string): Row;
  user(): UserRecord;
}

export function catalogOf(app: LocalApp): Catalog {
  const { store } = app;
  return {
    rows: (collection) => store.list<Row>(collection),
    byId: (collection, what, id) => {
      const row = store.get<Row>(collection, id);
      if (!row) throw new LocalApiError(404, `${what} '${id}' not found.`);
      return row;
    },
    user: () => store.get<UserRecord>(COLLECTIONS.users, app.defaults().userId)!,
  };
}

export function matchesText(value: string, query: { equals?: string; contains?: string } | undefined): boolean {
  if (!query) return true;
  if (query.equals !== undefined && value !== query.equals) return false;
  if (query.contains !== undefined && !value.toLowerCase().includes(query.contains.toLowerCase())) return false;
  return true;
}
