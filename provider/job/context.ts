// What every Job operation needs: the client and settings configured for this process, and the
// defaults check fills in. Waits take their pace from the shared poller (anyscale/watch.ts).
import type { AnyscaleClient } from "../anyscale/client";
import type { ProviderSettings } from "../core/config";
import { DEFAULT_LOG_LINES } from "./schema";
import { defaultJobName } from "./submission-key";

export type Inputs = Record<string, unknown>;

export interface JobContext {
  client: AnyscaleClient;
  settings: ProviderSettings;
}

export const DEFAULT_CREATE_TIMEOUT_MS = 30 * 60_000; // the SDK's `anyscale job wait` default
export const DEFAULT_DELETE_TIMEOUT_MS = 10 * 60_000;

export function withDefaults(inputs: Inputs): Inputs {
  return {
    ...inputs,
    name: inputs.name ?? defaultJobName(inputs),
    waitFor: inputs.waitFor ?? "succeeded",
    deletionPolicy: inputs.deletionPolicy ?? "archive",
    logLines: inputs.logLines ?? DEFAULT_LOG_LINES,
  };
}

export function withoutProvider(props: Inputs): Inputs {
  const { __provider: _provider, ...rest } = props;
  return rest;
}

/** Values of env vars the user marked secret, or whose names say they are credentials. */
export function secretEnvValues(inputs: Inputs): string[] {
  const secretNames = new Set(Array.isArray(inputs.secretEnvVarNames) ? (inputs.secretEnvVarNames as string[]) : []);
  return Object.entries((inputs.envVars as Record<string, string> | undefined) ?? {})
    .filter(([name]) => secretNames.has(name) || /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE_?KEY/i.test(name))
    .map(([, value]) => value);
}
