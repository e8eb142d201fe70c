// Helpers shared by the resource classes and data functions of the public SDK.
import * as pulumi from "@pulumi/pulumi";
import type { AnyscaleClient } from "../provider/anyscale/client";
import type { ConfigSource } from "../provider/core/config";
import { createAnyscaleClient } from "../provider/anyscale/connect";

export interface ConnectionArgs {
  type: pulumi.Input<string>;
  name: pulumi.Input<string>;
}

/**
 * The image, compute and runtime environment fields Services and Jobs share (the SDK's workload
 * config, in camelCase).
 */
export interface WorkloadArgs {
  imageUri?: pulumi.Input<string>;
  containerfile?: pulumi.Input<string>;
  registryLoginSecret?: pulumi.Input<string>;
  rayVersion?: pulumi.Input<string>;
  /** A registered compute config `name[:version]`, or an inline definition (the SDK's ComputeConfig, snake_case). */
  computeConfig?: pulumi.Input<string | Record<string, unknown>>;
  workingDir?: pulumi.Input<string>;
  excludes?: pulumi.Input<pulumi.Input<string>[]>;
  /** A path to requirements.txt, or a list of pip requirements. */
  requirements?: pulumi.Input<string | pulumi.Input<string>[]>;
  envVars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  pyModules?: pulumi.Input<pulumi.Input<string>[]>;
  pyExecutable?: pulumi.Input<string>;
  /** Defaults to `anyscale:cloud`, then the organization default. */
  cloud?: pulumi.Input<string>;
  /** Defaults to `anyscale:project`, then the cloud's default project. */
  project?: pulumi.Input<string>;
  connections?: pulumi.Input<pulumi.Input<ConnectionArgs>[]>;
}

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

/** Every output must be a key of the props (even undefined) for the engine to populate it. */
export function undefinedFor(names: readonly string[]): Record<string, undefined> {
  return Object.fromEntries(names.map((key) => [key, undefined]));
}

/** `<project>/<stack>/<resource name>`: scopes generated names and keys to one resource in this stack. */
export function resourceScope(name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
}

/** Drops undefined entries so Pulumi does not register them as inputs. */
export function definedOnly<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/**
 * The props a resource class registers: every property name present (undefined until the provider
 * fills it), then, unless `opts.id` reads an existing resource, the defined args, the resource's own
 * `extra` inputs (only computed when managed) and the effective timeouts.
 */
export function registrationProps(
  names: readonly string[],
  args: { timeouts?: pulumi.Input<TimeoutsArgs> },
  opts: pulumi.CustomResourceOptions | undefined,
  extra: () => Record<string, unknown> = () => ({}),
): Record<string, unknown> {
  const outputs = undefinedFor(names);
  if (opts?.id) return outputs;
  return {
    ...outputs,
    ...definedOnly({ ...args } as Record<string, unknown>),
    ...extra(),
    timeouts: timeoutsFromOptions(args.timeouts, opts),
  };
}

/**
 * Pulumi's SDK records a stack trace for each of the four promises it makes per registered property
 * (shown only when debugging promise leaks), and source-map-support maps every frame of each one. With
 * the ~30 output properties a resource registers, that was the largest part of a no-op preview's program
 * time. Resource constructors call this around `super(...)` and restore the limit right after. The
 * resource's source position is unaffected: Pulumi captures it with its own, unlimited stack.
 */
export function withoutPromiseStacks(): () => void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return () => undefined;
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = saved;
  };
}
