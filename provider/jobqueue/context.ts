// What every JobQueue operation needs, and the defaults check fills in.
import type { AnyscaleClient } from "../anyscale/client";
import type { JobQueueModel } from "../anyscale/job-queue-models";
import type { ProviderSettings } from "../core/config";
import { toPlainJson } from "../core/dynamic-support";
import { observedQueueOutputs } from "./outputs";

export type Inputs = Record<string, unknown>;

export interface QueueContext {
  client: AnyscaleClient;
  settings: ProviderSettings;
}

export const DEFAULT_DELETE_TIMEOUT_MS = 10 * 60_000;

export function withDefaults(inputs: Inputs): Inputs {
  return { ...inputs, executionMode: inputs.executionMode ?? "FIFO", maxConcurrency: inputs.maxConcurrency ?? 1, deletionPolicy: inputs.deletionPolicy ?? "archive" };
}

export function echo(inputs: Inputs): Inputs {
  const { __provider: _provider, ...rest } = inputs;
  return rest;
}

/** Outputs: the inputs as declared, what the platform reports, and the name actually used. */
export function queueOutputs(inputs: Inputs, live: JobQueueModel): Inputs {
  const generatedName = inputs.generatedName === true || inputs.name === undefined;
  return toPlainJson({ ...echo(inputs), ...observedQueueOutputs(live), name: live.name ?? inputs.name, generatedName });
}
