import { z } from "zod";
import { listEnvelope, singleEnvelope } from "../envelopes";
import { LocalApiError, type LocalApp } from "../types";
import { parseInput } from "../validation";
import { page } from "../paging";
import { catalogOf, matchesText, TextQuery } from "./lookup";
import { COLLECTIONS } from "./seed";

const CloudNameBody = z.object({ name: z.string().min(1) });
// The external API's CloudsQuery (the CLI lists every cloud with it to pick one when none is named).
const CloudsQuery = z.object({
  name: TextQuery.nullish(),
  creator_id: z.string().nullish(),
  state_filter: z.array(z.string()).nullish(),
  paging: z.object({ count: z.number().int().min(1).max(1000).nullish(), paging_token: z.string().nullish() }).nullish(),
  sort_by_clauses: z.unknown().optional(),
});

export function registerCloudRoutes(app: LocalApp): void {
  const { router } = app;
  const { rows, byId } = catalogOf(app);
  const cloudHandler = (ctx: { params: Record<string, string> }) => singleEnvelope(byId(COLLECTIONS.clouds, "Cloud", ctx.params.id));
  router.add("POST", "/api/v2/clouds/find_by_name", (ctx) => {
    const { name } = parseInput(CloudNameBody, ctx.body);
    const cloud = rows(COLLECTIONS.clouds).find((c) => c.name === name);
    if (!cloud) throw new LocalApiError(404, `Cloud with name '${name}' not found.`);
    return singleEnvelope(cloud);
  });
  router.add("POST", "/ext/v0/clouds/search", (ctx) => {
    const query = parseInput(CloudsQuery, ctx.body ?? {});
    // Newest first, as the platform lists them (the CLI takes the last one as the oldest).
    const found = rows(COLLECTIONS.clouds)
      .filter((c) => matchesText(String(c.name), query.name ?? undefined))
      .filter((c) => !query.creator_id || c.creator_id === query.creator_id)
      .filter((c) => !query.state_filter?.length || query.state_filter.includes(String(c.state)))
      .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)) || a.id.localeCompare(b.id));
    const { results, next } = page(found, query.paging?.count ?? 20, query.paging?.paging_token ?? undefined);
    return listEnvelope(results, next, found.length);
  });
  router.add("GET", "/ext/v0/clouds/default", () => singleEnvelope(byId(COLLECTIONS.clouds, "Cloud", app.defaults().cloudId)));
  router.add("GET", "/ext/v0/clouds/:id", cloudHandler);
  router.add("GET", "/api/v2/clouds/:id", cloudHandler);
  router.add("GET", "/api/v2/clouds", () => listEnvelope(rows(COLLECTIONS.clouds)));
}
