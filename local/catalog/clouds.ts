import { z } from "zod";
import { listEnvelope, singleEnvelope } from "../envelopes";
import { LocalApiError, type LocalApp } from "../types";
import { parseInput } from "../validation";
import { catalogOf } from "./lookup";
import { COLLECTIONS } from "./seed";

const CloudNameBody = z.object({ name: z.string().min(1) });

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
  router.add("GET", "/ext/v0/clouds/default", () => singleEnvelope(byId(COLLECTIONS.clouds, "Cloud", app.defaults().cloudId)));
  router.add("GET", "/ext/v0/clouds/:id", cloudHandler);
  router.add("GET", "/api/v2/clouds/:id", cloudHandler);
  router.add("GET", "/api/v2/clouds", () => listEnvelope(rows(COLLECTIONS.clouds)));
}
