// anyscale.ComputeConfig: a named, versioned compute config (the SDK's ComputeConfig or
// MultiResourceComputeConfig, camelCase). Pass `ref` ("name:version") to a Service's or Job's
// computeConfig: a config change registers a new version and rolls those out.
import * as pulumi from "@pulumi/pulumi";
import { getComputeConfig, type ComputeConfigVersionInfo, type GetComputeConfigArgs } from "./functions/compute-configs";
import { registrationProps, type TimeoutsArgs, withoutPromiseStacks } from "./common";
import { COMPUTE_CONFIG_OUTPUT_NAMES } from "../provider/computeconfig/output-schema";

// A plain require: the module object itself is the provider (see docs/ARCHITECTURE.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const computeConfigProvider: pulumi.dynamic.ResourceProvider = require("../provider/computeconfig/dynamic");

export interface NodeConfigArgs {
  instanceType?: pulumi.Input<string>;
  /** Ray logical resources, e.g. { CPU: 8, GPU: 1, custom: 1 }. */
  resources?: pulumi.Input<Record<string, pulumi.Input<number>>>;
  requiredResources?: pulumi.Input<Record<string, unknown>>;
  labels?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  requiredLabels?: pulumi.Input<Record<string, unknown>>;
  advancedInstanceConfig?: pulumi.Input<Record<string, unknown>>;
  flags?: pulumi.Input<Record<string, unknown>>;
  cloudDeployment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface WorkerNodeGroupArgs extends NodeConfigArgs {
  name?: pulumi.Input<string>;
  minNodes?: pulumi.Input<number>;
  maxNodes?: pulumi.Input<number>;
  marketType?: pulumi.Input<"ON_DEMAND" | "SPOT" | "PREFER_SPOT">;
}

/** The SDK's ComputeConfig. */
export interface ComputeConfigSpecArgs {
  cloud?: pulumi.Input<string>;
  cloudResource?: pulumi.Input<string>;
  headNode?: pulumi.Input<NodeConfigArgs>;
  workerNodes?: pulumi.Input<pulumi.Input<WorkerNodeGroupArgs>[]>;
  minResources?: pulumi.Input<Record<string, pulumi.Input<number>>>;
  maxResources?: pulumi.Input<Record<string, pulumi.Input<number>>>;
  zones?: pulumi.Input<pulumi.Input<string>[]>;
  enableCrossZoneScaling?: pulumi.Input<boolean>;
  advancedInstanceConfig?: pulumi.Input<Record<string, unknown>>;
  flags?: pulumi.Input<Record<string, unknown>>;
  autoSelectWorkerConfig?: pulumi.Input<boolean>;
}

/** A name plus either the ComputeConfig fields or `configs` (the SDK's MultiResourceComputeConfig). */
export interface ComputeConfigArgs extends ComputeConfigSpecArgs {
  /** The registered name (replaces). Defaults to the resource name. */
  name?: pulumi.Input<string>;
  /** Take over an object of this name that another stack registered, instead of refusing (docs/ownership.md). */
  adoptExisting?: pulumi.Input<boolean>;
  /** MultiResourceComputeConfig: one config per cloud resource (then only `cloud` and `flags` may sit beside it). */
  configs?: pulumi.Input<pulumi.Input<ComputeConfigSpecArgs>[]>;
  timeouts?: pulumi.Input<TimeoutsArgs>;
}

const OUTPUT_NAMES = COMPUTE_CONFIG_OUTPUT_NAMES;

export class ComputeConfig extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  /** The version's id (same as `id`). */
  declare readonly computeConfigId: pulumi.Output<string>;
  declare readonly version: pulumi.Output<number>;
  /** "name:version": give it to a Service's or Job's computeConfig. */
  declare readonly ref: pulumi.Output<string>;
  declare readonly cloudId: pulumi.Output<string>;

  constructor(name: string, args: ComputeConfigArgs, opts?: pulumi.CustomResourceOptions) {
    const props = registrationProps([...OUTPUT_NAMES, "name"], args, opts, () => ({ name: args.name ?? name }));
    const restoreStacks = withoutPromiseStacks();
    try {
      super(computeConfigProvider, name, props, opts, "anyscale", "ComputeConfig");
    } finally {
      restoreStacks();
    }
  }

  /** An existing version by id, read from the platform (not managed by this program). */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ComputeConfig {
    return new ComputeConfig(name, {}, { ...opts, id });
  }

  /** Looks a version up by `name[:version]` or id without managing it (same as anyscale.getComputeConfig). */
  static lookup(args: GetComputeConfigArgs): Promise<ComputeConfigVersionInfo> {
    return getComputeConfig(args);
  }
}
