// Helpers shared by the resource classes and data functions of the public SDK.
import * as pulumi from "@pulumi/pulumi";
import type { AnyscaleClient } from "../provider/anyscale/client";
import { createAnyscaleClient, type ConfigSource } from "../provider/core/config";

/** Go-style durations ("30m", "1h30m", "90s"), like Pulumi's customTimeouts. */
export interface TimeoutsArgs {
  create?: string;
  update?: string;
  delete?: string;
}

/**
 * Dynamic providers never receive `customTimeouts`, so the resource classes carry them as the
 * `timeouts` input. Explicit `timeouts` args win over resource options.
 */
export function timeoutsFromOptions(
  given: pulumi.Input<TimeoutsArgs> | undefined,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.Input<TimeoutsArgs> | undefined {
  const custom = opts?.customTimeouts;
  if (!custom || (!custom.create && !custom.update && !custom.delete)) return given;
  const fromOptions: TimeoutsArgs = {};
  if (custom.create) fromOptions.create = custom.create;
  if (custom.update) fromOptions.update = custom.update;
  if (custom.delete) fromOptions.delete = custom.delete;
  if (given === undefined) return fromOptions;
  return pulumi.output(given).apply((explicit) => ({ ...fromOptions, ...explicit }));
}

/** The program's stack configuration as a ConfigSource (`anyscale:token` etc.), read where it is used. */
export function programConfigSource(): ConfigSource {
  return { get: (key: string) => pulumi.runtime.getConfig(key) };
}

/** An AnyscaleClient for code running in the user's program (data functions), from the stack config and environment. */
export function programAnyscaleClient(): AnyscaleClient {
  return createAnyscaleClient(programConfigSource()).client;
}

/** Drops undefined entries so Pulumi does not register them as inputs. */
export function definedOnly<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
