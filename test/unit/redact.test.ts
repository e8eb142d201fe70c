import { redact, redactJson, registerSecret } from "../../provider/core/redact";
import { AnyscaleError, ResourceInitError } from "../../provider/core/errors";

describe("redact", () => {
  it("hides token shapes and registered secrets", () => {
    registerSecret("my-query-token-123");
    const text = "Cookie: cli_token=abc123def; Authorization: Bearer zzzzzzzz sss_abcdef ZENKEY_xyz my-query-token-123";
    const out = redact(text);
    for (const leaked of ["abc123def", "zzzzzzzz", "sss_abcdef", "ZENKEY_xyz", "my-query-token-123"]) expect(out).not.toContain(leaked);
  });
  it("hides secret-named JSON fields", () => {
    expect(redactJson({ auth_token: "t0ps3cret", nested: [{ password: "p" }], name: "svc" })).toEqual({
      auth_token: "[REDACTED]",
      nested: [{ password: "[REDACTED]" }],
      name: "svc",
    });
  });
  it("errors redact at construction", () => {
    expect(new AnyscaleError("bad token sss_leak_me").message).not.toContain("sss_leak_me");
  });
  it("init errors carry the serialized provider so the engine can keep managing the object", () => {
    const error = new ResourceInitError("svc_1", { state: "UNHEALTHY" }, { __provider: "exports.handler = ..." }, "did not become healthy");
    expect(error.properties).toEqual({ state: "UNHEALTHY", __provider: "exports.handler = ..." });
    expect(error.id).toBe("svc_1");
  });
});
