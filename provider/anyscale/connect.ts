// The AnyscaleClient built from provider configuration: used by dynamic providers in `configure`, and by
// data functions in the user's program (pass a ConfigSource over the program's config).
import { resolveProviderSettings, type ConfigSource, type ProviderSettings, type SettingsEnvironment } from "../core/config";
import { AnyscaleClient, type AnyscaleClientOptions } from "./client";

export function createAnyscaleClient(
  config: ConfigSource | undefined,
  environment: SettingsEnvironment = {},
  transport?: AnyscaleClientOptions["transport"],
): { client: AnyscaleClient; settings: ProviderSettings } {
  const settings = resolveProviderSettings(config, environment);
  return { client: new AnyscaleClient({ host: settings.host, token: settings.token, transport }), settings };
}
