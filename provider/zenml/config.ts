// ZenML connection settings: `zenml:*` stack configuration first, then ZenML's own environment
// variables, so a machine already set up for the zenml CLI works unchanged.
import type { ConfigSource } from "../core/config";
import { ConfigurationError } from "../core/errors";
import { registerSecret } from "../core/redact";

export type ZenmlCredentials =
  | { kind: "apiKey"; apiKey: string; source: string }
  | { kind: "password"; username: string; password: string; source: string };

export interface ZenmlSettings {
  /** Server base URL without trailing slash. */
  url: string;
  credentials: ZenmlCredentials;
  /** Project used when a resource names none. */
  defaultProject?: string;
}

const nonEmpty = (value: string | undefined): string | undefined => (value && value.trim().length > 0 ? value.trim() : undefined);

/** Throws ConfigurationError naming the missing setting (never a value) before any request is made. */
export function resolveZenmlSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ZenmlSettings {
  const read = (key: string, envName: string): { value?: string; source?: string } => {
    const fromConfig = nonEmpty(config?.get(`zenml:${key}`));
    if (fromConfig) return { value: fromConfig, source: `zenml:${key}` };
    const fromEnv = nonEmpty(env[envName]);
    return fromEnv ? { value: fromEnv, source: envName } : {};
  };
  const url = read("url", "ZENML_STORE_URL");
  if (!url.value) throw new ConfigurationError("ZenML server URL is not configured: set zenml:url or ZENML_STORE_URL");
  if (!/^https?:\/\/[^/]+/.test(url.value)) throw new ConfigurationError(`${url.source} must be an http(s) URL`);

  const apiKey = read("apiKey", "ZENML_STORE_API_KEY");
  const username = read("username", "ZENML_STORE_USERNAME");
  // The password may legitimately be empty (ZenML's default user), so it is not trimmed away.
  const password = config?.get("zenml:password") ?? env.ZENML_STORE_PASSWORD;
  registerSecret(apiKey.value);
  registerSecret(password);

  let credentials: ZenmlCredentials;
  if (apiKey.value) {
    credentials = { kind: "apiKey", apiKey: apiKey.value, source: apiKey.source! };
  } else if (username.value) {
    credentials = { kind: "password", username: username.value, password: password ?? "", source: `${username.source} and password` };
  } else {
    throw new ConfigurationError(
      "ZenML credentials are not configured: set zenml:apiKey (secret) or zenml:username + zenml:password, or ZENML_STORE_API_KEY / ZENML_STORE_USERNAME + ZENML_STORE_PASSWORD",
    );
  }
  return { url: url.value.replace(/\/+$/, ""), credentials, defaultProject: read("project", "ZENML_ACTIVE_PROJECT_ID").value };
}
