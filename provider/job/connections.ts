// Connection names → ids, as the SDK resolves them (GET /api/v2/integrations/connections/databricks?name=…).
import { z } from "zod";
import { AnyscaleError } from "../core/errors";
import type { AnyscaleClient } from "../anyscale/client";

const connectionSchema = z.looseObject({ id: z.string(), name: z.string().nullish() });

export async function resolveConnectionIds(
  client: AnyscaleClient,
  connections: ReadonlyArray<{ type: string; name: string }> | undefined,
): Promise<string[] | undefined> {
  if (!connections) return undefined;
  const ids: string[] = [];
  for (const [index, connection] of connections.entries()) {
    const page = await client.page(connectionSchema, "GET", "/api/v2/integrations/connections/databricks", { query: { name: connection.name } });
    const match = page.items.find((item) => item.name === connection.name) ?? (page.items.length === 1 && !page.items[0].name ? page.items[0] : undefined);
    if (!match) throw new AnyscaleError(`connections[${index}].name: no ${connection.type} connection named '${connection.name}' exists.`);
    ids.push(match.id);
  }
  return ids;
}
