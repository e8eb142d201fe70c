import { listEnvelope, singleEnvelope } from "../envelopes";
import { notFound } from "../validation";
import type { LocalApp } from "../types";
import { catalogOf } from "./lookup";
import { miniUser } from "./seed";

// Third-party (Databricks) connections that `connections: [{type, name}]` resolve against. Two fixed
// ones: one the user is connected to, one they are not (the SDK rejects the latter).

export const LOCAL_CONNECTIONS = [
  { config_id: "dbxcfg_local_connected", name: "local-databricks", user_connection_id: "dbxconn_local_user" },
  { config_id: "dbxcfg_local_unconnected", name: "local-databricks-unconnected", user_connection_id: null },
] as const;

export function registerConnectionRoutes(app: LocalApp): void {
  const { user } = catalogOf(app);
  app.router.add("GET", "/api/v2/integrations/connections/databricks", (ctx) => {
    const name = ctx.query.get("name");
    const items = LOCAL_CONNECTIONS.filter((c) => name === null || c.name === name).map((c) => ({
      config_id: c.config_id,
      name: c.name,
      connection_type: "databricks_federated",
      connection_config: { client_id: "local-client", workspace_url: "https://local.cloud.databricks.com" },
      user_connection_id: c.user_connection_id,
      user_connection_status: c.user_connection_id ? "validated" : null,
      created_at: "2026-01-01T00:00:00.000Z",
      creator: miniUser(user()),
    }));
    return listEnvelope(items);
  });
  // One connection by the id a workload stores (its user connection id): what `service status` and
  // `job status` call to show a version's connections by name (the SDK's DatabricksConnectionInfo).
  app.router.add("GET", "/api/v2/integrations/connections/databricks/:id", (ctx) => {
    const connection = LOCAL_CONNECTIONS.find((c) => c.user_connection_id !== null && c.user_connection_id === ctx.params.id);
    if (!connection) throw notFound("Databricks connection", ctx.params.id);
    return singleEnvelope({
      id: connection.user_connection_id,
      name: connection.name,
      connection_type: "databricks_federated",
      connection_config: { client_id: "local-client", workspace_url: "https://local.cloud.databricks.com" },
      validation_status: "validated",
      created_at: "2026-01-01T00:00:00.000Z",
      last_verified_at: "2026-01-01T00:00:00.000Z",
      connection_expired: false,
      creator: miniUser(user()),
    });
  });
}
