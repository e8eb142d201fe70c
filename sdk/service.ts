// anyscale.Service: an Anyscale Service managed by Pulumi (deploy, canary rollouts, in-place updates,
// tags, adoption, refresh drift). The provider is required from this package, so Pulumi state holds a
// small require reference; credentials come from the stack config inside the provider, never from here.
import * as pulumi from "@pulumi/pulumi";
import { definedOnly, timeoutsFromOptions, undefinedFor, type TimeoutsArgs, type WorkloadArgs, withoutPromiseStacks } from "./common";
import { serviceArgsFromYaml } from "./yaml";
import { applyYamlOverrides } from "./yaml-overrides";
import type { GateRecord, RolloutStatus } from "../provider/service/rollout-status";
import { describeRejection } from "../provider/service/rejection";

// A plain require: the module object itself is the provider (see docs/ARCHITECTURE.md).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const serviceProvider: pulumi.dynamic.ResourceProvider = require("../provider/service/dynamic");

/** A Ray Serve application, passed to Ray Serve verbatim (snake_case keys, as in Ray's config file). */
export interface ServeApplication {
  import_path: string;
  name?: string;
  route_prefix?: string | null;
  args?: Record<string, unknown>;
  runtime_env?: Record<string, unknown>;
  deployments?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface RolloutArgs {
  /** "rollout" (default): a new version beside the old one; "inPlace": update the running version (no cluster-level changes). */
  strategy?: pulumi.Input<"rollout" | "inPlace">;
  /** Hold the new version at this share of traffic (0–100); 100 or unset completes the rollout. */
  canaryPercent?: pulumi.Input<number>;
  /** Extra capacity allowed during a rollout (0–100; platform default 100). */
  maxSurgePercent?: pulumi.Input<number>;
  /** Roll a failed or timed-out rollout back before reporting the failure. */
  autoRollback?: pulumi.Input<boolean>;
  /** A schedule of canary shares, e.g. [{ percent: 10, pause: "10m" }, { percent: 50, pause: "10m" }, { percent: 100 }] (docs/progressive-delivery.md). Exclusive with canaryPercent. */
  steps?: pulumi.Input<pulumi.Input<RolloutStepArgs>[]>;
  /** A gate during each step's pause: probes the query URL with the service's token. */
  healthCheck?: pulumi.Input<HealthCheckArgs>;
  /** Longest a step may take to be RUNNING at its share ("5m"); past it the canary is rolled back. */
  progressDeadline?: pulumi.Input<string>;
  /** Roll out again a version a gate or deadline rejected (default false: the same program is not retried). */
  retryRejected?: pulumi.Input<boolean>;
}

export interface RolloutStepArgs {
  /** Canary share for this step, 0–100, strictly increasing. */
  percent: pulumi.Input<number>;
  /** A duration ("10m", "90s") or "manual" (hold until the program changes); none moves on right away. */
  pause?: pulumi.Input<string>;
}

export interface HealthCheckArgs {
  /** Path under the query URL (default "/"). */
  path?: pulumi.Input<string>;
  method?: pulumi.Input<"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD">;
  body?: pulumi.Input<string>;
  /** Status codes counted as success (default [200]). */
  expectedStatus?: pulumi.Input<pulumi.Input<number>[]>;
  /** Probes per gate (default 20), spread over the pause. Exclusive with ratePerSecond. */
  requests?: pulumi.Input<number>;
  /** Probes per second for the whole pause. */
  ratePerSecond?: pulumi.Input<number>;
  /** 0–1 (default 0.99). */
  minSuccessRate?: pulumi.Input<number>;
  maxP95LatencyMs?: pulumi.Input<number>;
  /** Per-probe timeout (default "10s"). */
  requestTimeout?: pulumi.Input<string>;
  /** Must answer 2xx to a POST of the gate's measurements before traffic moves on. */
  webhookUrl?: pulumi.Input<string>;
  /** Measurements per gate (default 1), spread over the pause. */
  measurements?: pulumi.Input<number>;
  /** Measurements that may fail (or be inconclusive) before the gate fails (default 0; less than measurements). */
  failureLimit?: pulumi.Input<number>;
  /** A gate short of passing only through inconclusive measurements: "fail" (default) rolls back, "hold" pauses for a person. */
  inconclusive?: pulumi.Input<"fail" | "hold">;
  /** Canary answers each measurement needs (default 20): the probe count grows as the canary's share shrinks. */
  minCanarySamples?: pulumi.Input<number>;
  /** Requests whose answers are checked; probes cycle through them (exclusive with path/method/body). */
  golden?: pulumi.Input<pulumi.Input<GoldenRequestArgs>[]>;
}

/** One request of a golden set and what its answer must be. */
export interface GoldenRequestArgs {
  path: pulumi.Input<string>;
  method?: pulumi.Input<"GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD">;
  body?: pulumi.Input<string>;
  /** Status codes counted as success (default [200]). */
  expectedStatus?: pulumi.Input<pulumi.Input<number>[]>;
  /** Where in the JSON answer to look: "$.label", "$.scores[0]". Needs equals, min or max. */
  jsonPath?: pulumi.Input<string>;
  equals?: pulumi.Input<string | number | boolean | null>;
  min?: pulumi.Input<number>;
  max?: pulumi.Input<number>;
  /** A regular expression the answer body must match. */
  matches?: pulumi.Input<string>;
}

/** Where a scheduled rollout stands and the last gate's measurements (the provider's own record). */
export type RolloutGateInfo = GateRecord;
export type RolloutStatusInfo = RolloutStatus;

export interface RayGcsExternalStorageConfigArgs {
  enabled: pulumi.Input<boolean>;
  address?: pulumi.Input<string>;
  certificatePath?: pulumi.Input<string>;
}

export interface TracingConfigArgs {
  enabled: pulumi.Input<boolean>;
  exporterImportPath?: pulumi.Input<string>;
  samplingRatio?: pulumi.Input<number>;
}

export type { ConnectionArgs } from "./common";

/** Every field of Anyscale's ServiceConfig, in camelCase, plus rollout and lifecycle settings. */
export interface ServiceArgs extends WorkloadArgs {
  /** Unique within the project; defaults to the resource name plus a random suffix. */
  name?: pulumi.Input<string>;
  applications: pulumi.Input<pulumi.Input<ServeApplication>[]>;
  versionName?: pulumi.Input<string>;
  /** Default true: queries need `Authorization: Bearer <queryAuthToken>`. */
  queryAuthTokenEnabled?: pulumi.Input<boolean>;
  httpOptions?: pulumi.Input<Record<string, unknown>>;
  grpcOptions?: pulumi.Input<Record<string, unknown>>;
  loggingConfig?: pulumi.Input<Record<string, unknown>>;
  rayGcsExternalStorageConfig?: pulumi.Input<RayGcsExternalStorageConfigArgs>;
  tracingConfig?: pulumi.Input<TracingConfigArgs>;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  rollout?: pulumi.Input<RolloutArgs>;
  /** Wait limits (default 30m for create/update, 20m for delete); `customTimeouts` resource options fill these. */
  timeouts?: pulumi.Input<TimeoutsArgs>;
  /** What `pulumi destroy` does after terminating: "terminate" (default) keeps the terminated service, "archive" hides it, "delete" removes it. */
  deletionPolicy?: pulumi.Input<"terminate" | "archive" | "delete">;
  /** Take over a live service of the same name instead of failing. */
  adoptExisting?: pulumi.Input<boolean>;
}

export interface ServiceVersionInfo {
  id: string;
  name: string;
  state: string;
  weight: number;
}

const OUTPUT_NAMES = [
  "serviceId",
  "state",
  "queryUrl",
  "queryAuthToken",
  "hostname",
  "creator",
  "creatorId",
  "projectId",
  "cloudId",
  "errorMessage",
  "primaryVersion",
  "canaryVersion",
  "versions",
  "deployment",
  "rolloutStatus",
] as const;

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
      super(serviceProvider, name, props, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "queryAuthToken"] }, "anyscale", "Service");
    } finally {
      restoreStacks();
    }
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
