// Provider configuration, resolved where it is used (the dynamic provider's `configure`, or a data
// function in the user's program) and never captured in a closure, so no token reaches Pulumi state.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigurationError } from "./errors";
import { registerSecret } from "./redact";

export const DEFAULT_ANYSCALE_HOST = "https://console.anyscale.com";

/** Anything with `get("anyscale:token")`: the dynamic provider's ConfigureRequest.config, or a wrapper over the program's config. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface ProviderSettings {
  /** Base URL without trailing slash, e.g. https://console.anyscale.com */
  host: string;
  /** Never log or store: registered with redact() as soon as it is read. */
  token: string;
  /** Where the token came from, for error messages (never the token itself). */
  tokenSource: string;
  defaultCloud?: string;
  defaultProject?: string;
}

export interface SettingsEnvironment {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/**
 * Resolution order, matching the official SDK: `anyscale:host` → ANYSCALE_HOST → console.anyscale.com;
 * `anyscale:token` → ANYSCALE_CLI_TOKEN → ~/.anyscale/credentials.json `cli_token`.
 * Throws ConfigurationError (naming the source, never the value) before any request is made.
 */
export function resolveProviderSettings(config: ConfigSource | undefined, environment: SettingsEnvironment = {}): ProviderSettings {
  const env = environment.env ?? process.env;
  const homeDir = environment.homeDir ?? os.homedir();
  const host = normalizeHost(nonEmpty(config?.get("anyscale:host")) ?? nonEmpty(env.ANYSCALE_HOST) ?? DEFAULT_ANYSCALE_HOST);
  const { token, tokenSource } = findToken(config, env, homeDir);
  registerSecret(token);
  assertTokenShape(token, tokenSource);
  return {
    host,
    token,
    tokenSource,
    defaultCloud: nonEmpty(config?.get("anyscale:cloud")) ?? nonEmpty(env.ANYSCALE_CLOUD),
    defaultProject: nonEmpty(config?.get("anyscale:project")) ?? nonEmpty(env.ANYSCALE_PROJECT),
  };
}

/** The SDK's sanity check: `sss_…`, or starts with "a" and contains "_" (newer API keys). */
export function isWellFormedToken(token: string): boolean {
  if (/\s/.test(token)) return false;
  return token.startsWith("sss_") || (token.startsWith("a") && token.includes("_"));
}

function assertTokenShape(token: string, source: string): void {
  if (!isWellFormedToken(token)) {
    throw new ConfigurationError(
      `The Anyscale token from ${source} is malformed: expected a token starting with "sss_" (or an API key like "aph0_…"). ` +
        `Create one at <host>/v2/api-keys and set it with \`pulumi config set --secret anyscale:token <token>\`.`,
    );
  }
}

function findToken(config: ConfigSource | undefined, env: NodeJS.ProcessEnv, homeDir: string): { token: string; tokenSource: string } {
  const fromConfig = nonEmpty(config?.get("anyscale:token"));
  if (fromConfig) return { token: fromConfig, tokenSource: "config anyscale:token" };
  const fromEnv = nonEmpty(env.ANYSCALE_CLI_TOKEN);
  if (fromEnv) return { token: fromEnv, tokenSource: "environment variable ANYSCALE_CLI_TOKEN" };
  const credentialsPath = path.join(homeDir, ".anyscale", "credentials.json");
  const fromFile = readCredentialsFile(credentialsPath);
  if (fromFile) return { token: fromFile, tokenSource: credentialsPath };
  throw new ConfigurationError(
    "No Anyscale token configured: set it with `pulumi config set --secret anyscale:token <token>`, " +
      `or the ANYSCALE_CLI_TOKEN environment variable, or "cli_token" in ${credentialsPath}.`,
  );
}

function readCredentialsFile(credentialsPath: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(credentialsPath, "utf8");
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The file content is never echoed: it may be a token.
    throw new ConfigurationError(`${credentialsPath} is not valid JSON; expected {"cli_token": "<token>"}.`);
  }
  const token = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>).cli_token : undefined;
  if (typeof token !== "string" || token.trim() === "") {
    throw new ConfigurationError(`${credentialsPath} has no "cli_token" string; expected {"cli_token": "<token>"}.`);
  }
  return token.trim();
}

function normalizeHost(host: string): string {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new ConfigurationError(`anyscale:host "${host}" is not a valid URL (expected e.g. https://console.anyscale.com).`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigurationError(`anyscale:host "${host}" must use http or https.`);
  }
  return host.replace(/\/+$/, "");
}

function nonEmpty(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}
