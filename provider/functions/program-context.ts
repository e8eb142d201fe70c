// Data functions run in the user's program process, not in the dynamic provider, so they read the
// stack's `anyscale:*` config here (with the same env and credentials-file fallbacks as the provider).
// One client per host+token is kept for the process: one connection pool, one resolution cache.
import * as pulumi from "@pulumi/pulumi";
import { AnyscaleClient } from "../anyscale/client";
import { processLookups } from "../anyscale/connect";
import { resolveProviderSettings, type ConfigSource } from "../core/config";
import type { FunctionContext } from "./scope";

/** The program's config, in the `anyscale:key` form the shared resolver reads. */
function programConfig(): ConfigSource {
  const config = new pulumi.Config("anyscale");
  return { get: (key) => config.get(key.replace(/^anyscale:/, "")) };
}

const clients = new Map<string, AnyscaleClient>();

export function programFunctionContext(): FunctionContext {
  const settings = resolveProviderSettings(programConfig());
  // The key only distinguishes clients within this process; it is never logged or stored.
  const key = `${settings.host}\n${settings.token}`;
  let client = clients.get(key);
  if (!client) {
    client = new AnyscaleClient({ host: settings.host, token: settings.token, lookups: processLookups });
    clients.set(key, client);
  }
  return { client, defaultCloud: settings.defaultCloud, defaultProject: settings.defaultProject };
}
