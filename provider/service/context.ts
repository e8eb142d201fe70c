// What every Service operation needs: the client and poll schedule configured for this process,
// and the small helpers shared by create, update, read and delete.
import type { AnyscaleClient } from "../anyscale/client";
import type { ProviderSettings } from "../core/config";
import { failuresFromZodIssues } from "../core/dynamic-support";
import { AnyscaleError, ConfigurationError } from "../core/errors";
import type { PollSchedule } from "../core/waiter";
import { inputsFromProps } from "./outputs";
import { type ServiceInputs } from "./schema";
import { serviceInputsSchema } from "./input-rules";

/** Tags API resource type of services. */
export const RESOURCE_TYPE = "service";

export interface ServiceContext {
  client: AnyscaleClient;
  pollSchedule: PollSchedule;
  settings?: ProviderSettings;
}

export function withoutProvider(props: Record<string, unknown> | undefined): Record<string, unknown> {
  const { __provider: _provider, ...rest } = props ?? {};
  return rest;
}

/** Inputs of create/update, already checked; re-validated because state written by older versions may differ. */
export function parseInputs(props: Record<string, unknown>): ServiceInputs {
  const parsed = serviceInputsSchema.safeParse(inputsFromProps(withoutProvider(props)));
  if (!parsed.success) {
    const reasons = failuresFromZodIssues(parsed.error.issues).map((failure) => failure.reason);
    throw new AnyscaleError(`Invalid Service inputs: ${reasons.join("; ")}`);
  }
  return parsed.data;
}

export function serviceName(inputs: ServiceInputs): string {
  if (!inputs.name) throw new ConfigurationError("name: the service has no name (check did not run?)");
  return inputs.name;
}
