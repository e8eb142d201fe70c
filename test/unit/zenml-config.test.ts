import { ConfigurationError } from "../../provider/core/errors";
import { redact } from "../../provider/core/redact";
import { resolveZenmlSettings } from "../../provider/zenml/config";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("resolveZenmlSettings", () => {
  test("stack config wins over ZenML's env vars", () => {
    const settings = resolveZenmlSettings(config({ "zenml:url": "http://127.0.0.1:1/", "zenml:apiKey": "ZENKEY_fromconfig" }), {
      ZENML_STORE_URL: "http://other:2",
      ZENML_STORE_API_KEY: "ZENKEY_fromenv",
    });
    expect(settings.url).toBe("http://127.0.0.1:1");
    expect(settings.credentials).toMatchObject({ kind: "apiKey", source: "zenml:apiKey" });
  });

  test("env vars are the fallback, username + password included (empty password allowed)", () => {
    const settings = resolveZenmlSettings(undefined, { ZENML_STORE_URL: "http://z:8237", ZENML_STORE_USERNAME: "default", ZENML_STORE_PASSWORD: "" });
    expect(settings.credentials).toEqual({ kind: "password", username: "default", password: "", source: "ZENML_STORE_USERNAME and password" });
  });

  test("missing URL or credentials name the settings, never a value", () => {
    expect(() => resolveZenmlSettings(undefined, {})).toThrow(/zenml:url or ZENML_STORE_URL/);
    expect(() => resolveZenmlSettings(undefined, { ZENML_STORE_URL: "http://z" })).toThrow(ConfigurationError);
    expect(() => resolveZenmlSettings(config({ "zenml:url": "ftp://z", "zenml:apiKey": "k" }), {})).toThrow(/zenml:url must be an http/);
  });

  test("credentials are registered for redaction", () => {
    resolveZenmlSettings(undefined, { ZENML_STORE_URL: "http://z", ZENML_STORE_USERNAME: "u", ZENML_STORE_PASSWORD: "hunter2-password" });
    expect(redact("login failed for hunter2-password")).not.toContain("hunter2-password");
  });
});
