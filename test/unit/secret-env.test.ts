// Secret env values registered before a create/update never reach an error's text, and so never
// `initErrors` in state (provider/workload/secret-env.ts over core/redact.ts).
import { ResourceInitError } from "../../provider/core/errors";
import { registerSecretEnvValues } from "../../provider/workload/secret-env";
import * as job from "../../provider/job/dynamic";

describe("registerSecretEnvValues", () => {
  it("masks values of env vars marked secret or named like credentials, in init failure reasons", () => {
    registerSecretEnvValues({
      envVars: { MARKED: "marked-value-123", DB_PASSWORD: "hunter2-pw-456", PLAIN: "plain-value-789" },
      secretEnvVarNames: ["MARKED"],
      applications: [{ runtime_env: { env_vars: { API_KEY: "app-key-value-000" } } }],
    });
    const error = new ResourceInitError("id", {}, {}, "platform said: invalid env marked-value-123 / hunter2-pw-456 / app-key-value-000 / plain-value-789");
    expect(error.reasons[0]).not.toMatch(/marked-value-123|hunter2-pw-456|app-key-value-000/);
    expect(error.reasons[0]).toContain("plain-value-789");
    expect(error.message).not.toMatch(/marked-value-123/);
  });

  it("Job create registers them before sending anything", async () => {
    const failed = await Promise.resolve().then(() => job.create({ name: "j", entrypoint: "x", envVars: { TOKEN_X: "job-secret-abcdef" } })).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(new ResourceInitError("id", {}, {}, "echo job-secret-abcdef").reasons[0]).not.toContain("job-secret-abcdef");
  });
});
