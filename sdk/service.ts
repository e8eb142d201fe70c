// anyscale.Service: an Anyscale Service managed by Pulumi (deploy, canary rollouts, in-place updates,
// tags, adoption, refresh drift). The provider is required from this package, so Pulumi state holds a
// small require reference; credentials come from the stack config inside the provider, never from here.
import * as pulumi from "@pulumi/pulumi";
import { definedOnly, timeoutsFromOptions, undefinedFor, withoutPromiseStacks, type TimeoutsArgs } from "./common";
import { serviceArgsFromYaml } from "./yaml";
import { applyYamlOverrides } from "./yaml-overrides";
import { noteWaitingResource } from "./parallelism-hint";
import type { z } from "zod";
import { describeRejection, OUTPUT_NAMES, SECRET_OUTPUTS, type ServiceComputed, type VersionSummary } from "../provider/service/output-schema";
import type { applicationSchema, rayGcsExternalStorageConfigSchema, rolloutSchema, servicePublicInputs, tracingConfigSchema } from "../provider/service/schema";
import type { goldenRequestSchema, healthCheckSchema, rolloutStepSchema } from "../provider/service/rollout-schema";

// A plain require: the module object itself is the provider (see docs/ARCHITECTURE.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const serviceProvider: pulumi.dynamic.ResourceProvider = require("../provider/service/dynamic");

/**
 * Every argument as the provider's declared model types it (provider/service/schema.ts): the same
 * fields, names and shapes the provider checks, the package schema publishes and docs/resources/service.md
 * tables, so a new field appears here without being written twice. Each accepts a pulumi.Input at every level.
 */
export type ServiceArgs = DeepInputs<Omit<z.input<typeof servicePublicInputs>, "timeouts">> & {
  /** Plain durations inside: the class reads them while it is constructed, to merge customTimeouts. */
  timeouts?: pulumi.Input<TimeoutsArgs>;
};

/** A Ray Serve application, passed to Ray Serve verbatim (snake_case keys, as in Ray's config file). */
export type ServeApplication = z.input<typeof applicationSchema>;
export type RolloutArgs = DeepInputs<z.input<typeof rolloutSchema>>;
export type RolloutStepArgs = DeepInputs<z.input<typeof rolloutStepSchema>>;
export type HealthCheckArgs = DeepInputs<z.input<typeof healthCheckSchema>>;
/** One request of a gate's golden set and what its answer must be. */
export type GoldenRequestArgs = DeepInputs<z.input<typeof goldenRequestSchema>>;
export type RayGcsExternalStorageConfigArgs = DeepInputs<z.input<typeof rayGcsExternalStorageConfigSchema>>;
export type TracingConfigArgs = DeepInputs<z.input<typeof tracingConfigSchema>>;
export type { ConnectionArgs } from "./common";

/** The declared outputs' types. */
export type ServiceVersionInfo = VersionSummary;
/** Where a scheduled rollout stands and the last gate's measurements (the provider's own record). */
export type RolloutStatusInfo = NonNullable<ServiceComputed["rolloutStatus"]>;
export type RolloutGateInfo = NonNullable<RolloutStatusInfo["lastGate"]>;

/** pulumi.Input at every level of a plain shape (open records and unknown values stay as they are). */
type DeepInputs<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends ReadonlyArray<infer Item>
    ? Array<pulumi.Input<DeepInputs<Item>>>
    : T extends object
      ? { [K in keyof T]: pulumi.Input<DeepInputs<T[K]>> }
      : T;

export class Service extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly state: pulumi.Output<string>;
  declare public readonly queryUrl: pulumi.Output<string | null>;
  /** Secret. Null when queryAuthTokenEnabled is false. */
  declare public readonly queryAuthToken: pulumi.Output<string | null>;
  declare public readonly hostname: pulumi.Output<string | null>;
  /** Email of the creator. */
  declare public readonly creator: pulumi.Output<string | null>;
  declare public readonly creatorId: pulumi.Output<string | null>;
  declare public readonly projectId: pulumi.Output<string>;
  declare public readonly cloudId: pulumi.Output<string | null>;
  declare public readonly errorMessage: pulumi.Output<string | null>;
  declare public readonly primaryVersion: pulumi.Output<ServiceVersionInfo | null>;
  /** Present while a canary is rolling out or held. */
  declare public readonly canaryVersion: pulumi.Output<ServiceVersionInfo | null>;
  declare public readonly versions: pulumi.Output<ServiceVersionInfo[]>;
  /** Where a scheduled rollout (rollout.steps) stands: step, share, when the step started, the last gate's measurements. */
  declare public readonly rolloutStatus: pulumi.Output<RolloutStatusInfo | null>;
  declare public readonly applications: pulumi.Output<ServeApplication[]>;
  declare public readonly tags: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = undefinedFor(OUTPUT_NAMES);
    const props = opts?.id
      ? { ...outputs, name: undefined, applications: undefined, tags: undefined }
      : {
          ...outputs,
          ...definedOnly({ ...args } as Record<string, unknown>),
          name: args.name,
          // Auto-naming happens in the provider's check, so the generated name is stable across updates.
          autoNamePrefix: args.name === undefined ? name : undefined,
          // Tags the service with this resource's owner key, so an interrupted create can take it back (docs/resources/service.md).
          ownershipScope: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
          timeouts: timeoutsFromOptions(args.timeouts, opts),
        };
    const restoreStacks = withoutPromiseStacks();
    try {
      super(serviceProvider, name, props, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] }, "anyscale", "Service");
    } finally {
      restoreStacks();
    }
    if (!opts?.id) noteWaitingResource();
    // The dynamic host has no plan line: a version a gate rejected is named here instead. Outputs are
    // known in preview only when the resource does not change, i.e. when the rejection stands.
    this.rolloutStatus.apply((status) => {
      if (status?.phase === "rolledBack" && status.rejected) void pulumi.log.warn(`no rollout: ${describeRejection(status.rejected)}`, this);
    });
  }

  /** Reads an existing service by id, read-only (no inputs of its own; `pulumi destroy` does not touch it). */
  public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Service {
    return new Service(name, { applications: [] }, { ...opts, id });
  }

  /**
   * A Service from an official Anyscale service YAML (snake_case, as for `anyscale service deploy -f`).
   * `overrides` (camelCase ServiceArgs) win over the file, e.g. `{ rollout: { canaryPercent: 10 } }`, the
   * way the CLI's flags win over `-f`: `envVars` and `tags` per key, `excludes` appended to the file's.
   */
  public static fromYaml(name: string, file: string, overrides?: Partial<ServiceArgs>, opts?: pulumi.CustomResourceOptions): Service {
    return new Service(name, applyYamlOverrides<ServiceArgs>(serviceArgsFromYaml(file), (overrides ?? {}) as Record<string, unknown>), opts);
  }
}
