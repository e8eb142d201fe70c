import { z } from "zod";
import { listEnvelope } from "../envelopes";
import { page } from "../paging";
import type { LocalApp } from "../types";
import { parseInput } from "../validation";
import { catalogOf, matchesText, TextQuery, type Row } from "./lookup";
import { COLLECTIONS } from "./seed";

// The external API's compute-config search (`POST /ext/v0/cluster_computes/search`, the SDK's
// ClusterComputesQuery), which `anyscale compute-config list` calls. Same rows as the internal
// compute-template search; archived versions are never listed here.

const SortClause = z.object({
  sort_field: z.enum(["ID", "NAME", "CREATED_AT", "LAST_MODIFIED_AT"]),
  sort_order: z.enum(["ASC", "DESC"]),
});

const ClusterComputesQuery = z.object({
  project_id: z.string().nullish(),
  creator_id: z.string().nullish(),
  name: TextQuery.nullish(),
  include_anonymous: z.boolean().optional(),
  paging: z.object({ count: z.number().int().min(1).max(1000).nullish(), paging_token: z.string().nullish() }).nullish(),
  cloud_id: z.string().nullish(),
  version: z.number().int().nullish(),
  sort_by_clauses: z.array(SortClause).nullish(),
});

// The model's default order when the client sends none.
const DEFAULT_ORDER: Array<z.infer<typeof SortClause>> = [
  { sort_field: "CREATED_AT", sort_order: "DESC" },
  { sort_field: "NAME", sort_order: "ASC" },
  { sort_field: "ID", sort_order: "ASC" },
];

const SORT_KEY: Record<z.infer<typeof SortClause>["sort_field"], string> = {
  ID: "id",
  NAME: "name",
  CREATED_AT: "created_at",
  LAST_MODIFIED_AT: "last_modified_at",
};

function compareBy(clauses: Array<z.infer<typeof SortClause>>): (a: Row, b: Row) => number {
  // The id last, so equal keys still give one stable order across pages.
  const all = [...clauses, { sort_field: "ID" as const, sort_order: "ASC" as const }];
  return (a, b) => {
    for (const clause of all) {
      const key = SORT_KEY[clause.sort_field];
      const order = String(a[key] ?? "").localeCompare(String(b[key] ?? ""));
      if (order !== 0) return clause.sort_order === "ASC" ? order : -order;
    }
    return 0;
  };
}

/** -1 the latest version of each name, -2 (or none) every version, N exactly N, as in the internal search. */
function byVersion(rows: Row[], version: number | null | undefined): Row[] {
  if (version == null || version === -2) return rows;
  if (version !== -1) return rows.filter((row) => row.version === version);
  const latest = new Map<string, Row>();
  for (const row of rows) {
    const previous = latest.get(String(row.name));
    if (!previous || Number(row.version) > Number(previous.version)) latest.set(String(row.name), row);
  }
  return [...latest.values()];
}

export function registerClusterComputeSearchRoute(app: LocalApp): void {
  const { rows } = catalogOf(app);
  app.router.add("POST", "/ext/v0/cluster_computes/search", (ctx) => {
    const query = parseInput(ClusterComputesQuery, ctx.body ?? {});
    const matching = rows(COLLECTIONS.computeTemplates).filter(
      (row) =>
        row.archived_at == null &&
        (query.include_anonymous || row.anonymous !== true) &&
        (!query.cloud_id || (row.config as Row).cloud_id === query.cloud_id) &&
        (!query.project_id || row.project_id === query.project_id) &&
        (!query.creator_id || row.creator_id === query.creator_id) &&
        matchesText(String(row.name), query.name ?? undefined),
    );
    const sorted = byVersion(matching, query.version).sort(compareBy(query.sort_by_clauses ?? DEFAULT_ORDER));
    const { results, next } = page(sorted, query.paging?.count ?? 20, query.paging?.paging_token ?? undefined);
    return listEnvelope(results, next, sorted.length);
  });
}
