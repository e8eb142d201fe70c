// The AnyscaleClient built from provider configuration: used by dynamic providers in `configure`, and by
// data functions in the user's program (pass a ConfigSource over the program's config).
import { resolveProviderSettings, type ConfigSource, type ProviderSettings, type SettingsEnvironment } from "../core/config";
import { AnyscaleClient, type AnyscaleClientOptions } from "./client";
import { LookupCache } from "./lookup-cache";

/**
 * One lookup cache per process, not per client: every `configure` (one per provider module — Service,
 * Job, JobQueue, data functions — and again whenever the engine re-configures) builds a new client, and a
 * cache kept per client never saw the other resources' lookups. Keys carry the host and a token digest.
 */
export const processLookups = new LookupCache();

/** Tests that count requests start from an empty cache. */
export function clearLookupCache(): void {
  processLookups.clear();
}

export function createAnyscaleClient(
  config: ConfigSource | undefined,
  environment: SettingsEnvironment = {},
  transport?: AnyscaleClientOptions["transport"],
): { client: AnyscaleClient; settings: ProviderSettings } {
  const settings = resolveProviderSettings(config, environment);
  return { client: new AnyscaleClient({ host: settings.host, token: settings.token, transport, lookups: processLookups }), settings };
}
