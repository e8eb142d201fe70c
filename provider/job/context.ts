// What every Job operation needs: the client and settings configured for this process, the poll
// schedule, and the defaults check fills in.
import type { AnyscaleClient } from "../anyscale/client";
import type { ProviderSettings } from "../core/config";
import type { PollSchedule } from "../core/waiter";
import { DEFAULT_LOG_LINES } from "./schema";
import { defaultJobName } from "./submission-key";

export type Inputs = Record<string, unknown>;

export interface JobContext {
  client: AnyscaleClient;
  settings: ProviderSettings;
}

export const DEFAULT_CREATE_TIMEOUT_MS = 30 * 60_000; // the SDK's `anyscale job wait` default
export const DEFAULT_DELETE_TIMEOUT_MS = 10 * 60_000;
/** Short first polls so quick jobs finish quickly; capped near the SDK's 10 s interval. */
export const JOB_POLL_SCHEDULE: PollSchedule = { initialDelayMs: 300, maxDelayMs: 10_000, factor: 1.6, jitter: 0.2 };

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
