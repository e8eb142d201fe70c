// Provider configuration: `anyscale:*` keys through CheckConfig/Configure, handed to the shared modules
// as the same ConfigSource the dynamic host gives them, so the env fallbacks are the same
// (provider/core/config.ts, provider/zenml/config.ts). A plugin only receives its own namespace, so the
// ZenML settings are `anyscale:zenmlUrl` etc. here, read as the modules' `zenml:url`.
import { isWellFormedToken, type ConfigSource } from "../../core/config";

export interface ConfigVariable {
  /** Key in the `anyscale:` namespace. */
  name: string;
  /** The key the shared modules read. */
  reads: string;
  secret?: boolean;
  description: string;
}

export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  { name: "host", reads: "anyscale:host", description: "Control-plane URL; else ANYSCALE_HOST, then https://console.anyscale.com." },
  { name: "token", reads: "anyscale:token", secret: true, description: "Anyscale CLI token; else ANYSCALE_CLI_TOKEN, then cli_token in ~/.anyscale/credentials.json." },
  { name: "cloud", reads: "anyscale:cloud", description: "Default cloud; else ANYSCALE_CLOUD." },
  { name: "project", reads: "anyscale:project", description: "Default project; else ANYSCALE_PROJECT." },
  { name: "zenmlUrl", reads: "zenml:url", description: "ZenML server URL; else ZENML_STORE_URL." },
  { name: "zenmlApiKey", reads: "zenml:apiKey", secret: true, description: "ZenML API key; else ZENML_STORE_API_KEY." },
  { name: "zenmlUsername", reads: "zenml:username", description: "ZenML user (without an API key); else ZENML_STORE_USERNAME." },
  { name: "zenmlPassword", reads: "zenml:password", secret: true, description: "ZenML password; else ZENML_STORE_PASSWORD." },
  { name: "zenmlProject", reads: "zenml:project", description: "Default ZenML project; else ZENML_ACTIVE_PROJECT_ID." },
];

/**
 * Configure's variables come as "anyscale:config:host" (older engines) or "anyscale:host"; CheckConfig's
 * and Configure's args as bare "host". All become a source answering the modules' keys.
 */
export function configSourceFrom(values: Record<string, unknown>): ConfigSource {
  const byName = new Map<string, string>();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    const name = key.replace(/^anyscale:(config:)?/, "");
    byName.set(name, typeof value === "string" ? value : JSON.stringify(value));
  }
  const byReads = new Map(CONFIG_VARIABLES.map((variable) => [variable.reads, variable.name]));
  return { get: (key) => byName.get(byReads.get(key) ?? "\u0000") };
}

export const SECRET_CONFIG = new Set(CONFIG_VARIABLES.filter((variable) => variable.secret).map((variable) => variable.name));

/** CheckConfig's verdict on the values it can judge without a request: a malformed host or token. */
export function configFailures(props: Record<string, unknown>): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const host = props.host;
  if (typeof host === "string" && host !== "") {
    try {
      const url = new URL(host);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
    } catch {
      failures.push({ property: "host", reason: `anyscale:host "${host}" is not an http(s) URL (expected e.g. https://console.anyscale.com)` });
    }
  }
  const token = props.token;
  if (typeof token === "string" && token !== "" && !isWellFormedToken(token)) {
    failures.push({ property: "token", reason: 'anyscale:token is malformed: expected a token starting with "sss_" (or an API key like "aph0_…")' });
  }
  return failures;
}
