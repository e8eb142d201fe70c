// Connection names → ids for Services and Jobs alike, as the SDK resolves them:
// GET /api/v2/integrations/connections/databricks?name=N → results[0].user_connection_id
// (the user's own connection to that integration, not the integration's config id).
import { z } from "zod";
import { AnyscaleError } from "../core/errors";
import type { AnyscaleClient } from "../anyscale/client";
import { NameNotFoundError } from "../anyscale/catalog";

const databricksConnectionSchema = z.looseObject({ name: z.string().nullish(), user_connection_id: z.string().nullish() });

export async function resolveConnectionIds(
  client: AnyscaleClient,
  connections: ReadonlyArray<{ type: string; name: string }> | undefined,
): Promise<string[] | undefined> {
  if (connections === undefined) return undefined;
  const ids: string[] = [];
  for (const [index, connection] of connections.entries()) {
    const field = `connections[${index}]`;
    if (connection.type.toLowerCase() !== "databricks") {
      throw new AnyscaleError(`${field}.type: connection type '${connection.type}' is not supported: only 'databricks'.`);
    }
    const page = await client.page(databricksConnectionSchema, "GET", "/api/v2/integrations/connections/databricks", { query: { name: connection.name } });
    const found = page.items[0];
    if (!found) throw new NameNotFoundError(`${field}.name: no ${connection.type.toLowerCase()} connection named '${connection.name}' exists.`);
    if (!found.user_connection_id) {
      throw new AnyscaleError(`${field}.name: you are not connected to '${connection.name}': connect via the Integrations page first.`);
    }
    ids.push(found.user_connection_id);
  }
  return ids;
}
