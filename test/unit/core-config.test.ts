import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isWellFormedToken, resolveProviderSettings } from "../../provider/core/config";
import { createAnyscaleClient } from "../../provider/anyscale/connect";
import { ConfigurationError } from "../../provider/core/errors";

const TOKEN = "sss_config_test_token_abcdef";
const source = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

function tempHome(credentials?: string): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "anyscale-home-"));
  if (credentials !== undefined) {
    fs.mkdirSync(path.join(home, ".anyscale"));
    fs.writeFileSync(path.join(home, ".anyscale", "credentials.json"), credentials);
  }
  return home;
}

describe("provider configuration", () => {
  it("prefers Pulumi config, then the environment, then the credentials file", () => {
    const home = tempHome(JSON.stringify({ cli_token: "sss_from_file_123456" }));
    const env = { ANYSCALE_CLI_TOKEN: "sss_from_env_123456", ANYSCALE_HOST: "http://env-host:1/" };
    const fromConfig = resolveProviderSettings(source({ "anyscale:token": TOKEN, "anyscale:host": "http://cfg:2", "anyscale:cloud": "c", "anyscale:project": "p" }), { env, homeDir: home });
    expect(fromConfig).toMatchObject({ host: "http://cfg:2", token: TOKEN, tokenSource: "config anyscale:token", defaultCloud: "c", defaultProject: "p" });
    const fromEnv = resolveProviderSettings(source({}), { env, homeDir: home });
    expect(fromEnv).toMatchObject({ host: "http://env-host:1", token: "sss_from_env_123456" });
    const fromFile = resolveProviderSettings(undefined, { env: {}, homeDir: home });
    expect(fromFile.token).toBe("sss_from_file_123456");
    expect(fromFile.host).toBe("https://console.anyscale.com");
  });

  it("fails clearly when no token is configured", () => {
    expect(() => resolveProviderSettings(source({}), { env: {}, homeDir: tempHome() })).toThrow(ConfigurationError);
    expect(() => resolveProviderSettings(source({}), { env: {}, homeDir: tempHome() })).toThrow(/anyscale:token/);
  });

  it("rejects a malformed token without echoing it", () => {
    const bad = "not-a-real-token-value";
    let message = "";
    try {
      resolveProviderSettings(source({ "anyscale:token": bad }), { env: {}, homeDir: tempHome() });
    } catch (error) {
      message = (error as Error).message;
      expect(error).toBeInstanceOf(ConfigurationError);
    }
    expect(message).toMatch(/malformed/);
    expect(message).not.toContain(bad);
  });

  it("reports a broken credentials file without printing its content", () => {
    const home = tempHome("{ sss_leaky_secret_value");
    expect(() => resolveProviderSettings(undefined, { env: {}, homeDir: home })).toThrow(/not valid JSON/);
    try {
      resolveProviderSettings(undefined, { env: {}, homeDir: home });
    } catch (error) {
      expect((error as Error).message).not.toContain("leaky");
    }
    expect(() => resolveProviderSettings(undefined, { env: {}, homeDir: tempHome("{}") })).toThrow(/cli_token/);
  });

  it("validates the host URL", () => {
    expect(() => resolveProviderSettings(source({ "anyscale:token": TOKEN, "anyscale:host": "console" }), { env: {} })).toThrow(/anyscale:host/);
  });

  it("accepts the token shapes the SDK accepts", () => {
    expect(isWellFormedToken("sss_abc")).toBe(true);
    expect(isWellFormedToken("aph0_abc")).toBe(true);
    expect(isWellFormedToken("xyz")).toBe(false);
    expect(isWellFormedToken("sss_ abc")).toBe(false);
  });

  it("builds a client for data functions", () => {
    const { client, settings } = createAnyscaleClient(source({ "anyscale:token": TOKEN, "anyscale:host": "http://127.0.0.1:9" }), { env: {} });
    expect(client.host).toBe("http://127.0.0.1:9");
    expect(settings.tokenSource).toBe("config anyscale:token");
  });
});
