// Secret env var values never reach an error, and so never `initErrors` in state: a platform answer
// that echoes a value (a 400 quoting the body) passes through redact(), which masks only what it
// knows. Before a create or update sends anything, the values of env vars marked secret (the
// resource class or the native host lists them in `secretEnvVarNames`) or named like credentials are
// registered with redact, for Service and Job alike.
import { registerSecret } from "../core/redact";

const CREDENTIAL_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE_?KEY/i;

export function registerSecretEnvValues(inputs: Record<string, unknown>): void {
  const marked = new Set(Array.isArray(inputs.secretEnvVarNames) ? (inputs.secretEnvVarNames as string[]) : []);
  const visit = (envVars: unknown) => {
    if (!envVars || typeof envVars !== "object") return;
    for (const [name, value] of Object.entries(envVars as Record<string, unknown>)) {
      if (typeof value === "string" && (marked.has(name) || CREDENTIAL_NAME.test(name))) registerSecret(value);
    }
  };
  visit(inputs.envVars);
  for (const application of Array.isArray(inputs.applications) ? inputs.applications : []) visit((application as { runtime_env?: { env_vars?: unknown } })?.runtime_env?.env_vars);
}
