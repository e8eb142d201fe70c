// The Service inputs: one zod schema gives the static type, the check-time validation (every failure
// names the field) and the defaults the planner compares against, so server-side defaults never
// show up as drift.
import { isReservedTag, RESERVED_TAG_PREFIX } from "../core/reserved-tags";
import { z } from "zod";
import { timeoutMsFor, timeoutsSchema } from "../core/timeouts";
import { imageUriSchema } from "../workload/image-uri";
import { RUNTIME_ENV_FIELDS } from "../core/runtime-env-fields";
import { nameOrInlineComputeConfig } from "../anyscale/compute-config";
import { COMPUTE_CONFIG_NAME_PATTERN } from "../anyscale/catalog";
import { deliveryFields, deliveryProblems } from "./rollout-schema";

const percent = z.number().int("must be a whole number").min(0, "must be between 0 and 100").max(100, "must be between 0 and 100");
const nonEmpty = z.string().trim().min(1, "must not be empty");
const stringMap = z.record(z.string(), z.string());
const jsonObject = z.record(z.string(), z.unknown());

/** A Ray Serve application, passed through verbatim (snake_case, as in Ray's config file). */
export const applicationSchema = z.looseObject({
  import_path: nonEmpty.describe("module:attribute of the Serve application"),
  name: nonEmpty.optional(),
  route_prefix: z.string().nullish(),
  runtime_env: jsonObject.optional(),
});

export const rolloutStrategySchema = z.enum(["rollout", "inPlace"]);
export type RolloutStrategy = z.infer<typeof rolloutStrategySchema>;

export const rolloutSchema = z
  .object({
    strategy: rolloutStrategySchema.optional(),
    /** Hold the new version at this share of traffic; 100 (or unset) completes the rollout. */
    canaryPercent: percent.optional(),
    maxSurgePercent: percent.optional(),
    /** Roll back a failed or timed-out rollout before reporting the failure. */
    autoRollback: z.boolean().optional(),
    /** Progressive delivery (provider/service/rollout-schema.ts). */
    ...deliveryFields,
  })
  .strict();

export const rayGcsExternalStorageConfigSchema = z
  .object({ enabled: z.boolean(), address: nonEmpty.optional(), certificatePath: nonEmpty.optional() })
  .strict();

export const tracingConfigSchema = z
  .object({
    enabled: z.boolean(),
    exporterImportPath: nonEmpty.optional(),
    samplingRatio: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
  })
  .strict();

export const connectionSchema = z
  .object({
    type: z.string().refine((type) => type.toLowerCase() === "databricks", { message: "must be 'databricks' (the only connection type)" }),
    name: nonEmpty,
  })
  .strict();

export const deletionPolicySchema = z.enum(["terminate", "archive", "delete"]);
export type DeletionPolicy = z.infer<typeof deletionPolicySchema>;

const serviceName = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[^\s/]+$/, "must not contain whitespace or '/'");

const rayVersion = z.string().regex(/^\d+\.\d+\.\d+$/, "must be a Ray version X.Y.Z, e.g. 2.59.0");

const computeConfigName = z
  .string()
  .regex(COMPUTE_CONFIG_NAME_PATTERN, 'must be "name" or "name:version" (version a positive integer)');

const computeConfigSchema = nameOrInlineComputeConfig(computeConfigName);

export const serviceInputsObject = z
  .object({
    name: serviceName.optional(),
    /** Set by the sdk class when `name` is omitted: the resource name used for auto-naming. */
    autoNamePrefix: z.string().optional(),
    /** Set by the sdk class: "<project>/<stack>/<resource name>", the identity behind the service's owner-key tag. Never diffs. */
    ownershipScope: z.string().optional(),
    /**
     * Set by check: a digest of the local files the deploy uploads (workingDir, pyModules, a
     * requirements file, the containerfile), so editing code under an unchanged path still rolls out.
     */
    sourceHash: z.string().optional(),
    applications: z.array(applicationSchema).min(1, "at least one application is required"),
    imageUri: imageUriSchema.optional(),
    containerfile: nonEmpty.optional(),
    registryLoginSecret: nonEmpty.optional(),
    rayVersion: rayVersion.optional(),
    computeConfig: computeConfigSchema.optional(),
    workingDir: nonEmpty.optional(),
    excludes: z.array(nonEmpty).optional(),
    requirements: z.union([nonEmpty, z.array(nonEmpty)]).optional(),
    envVars: stringMap.optional(),
    pyModules: z.array(nonEmpty).optional(),
    pyExecutable: nonEmpty.optional(),
    cloud: nonEmpty.optional(),
    project: nonEmpty.optional(),
    connections: z.array(connectionSchema).optional(),
    versionName: z.string().min(1, "must not be empty").max(128, "must be at most 128 characters").optional(),
    queryAuthTokenEnabled: z.boolean().optional(),
    httpOptions: jsonObject.optional(),
    grpcOptions: jsonObject.optional(),
    loggingConfig: jsonObject.optional(),
    rayGcsExternalStorageConfig: rayGcsExternalStorageConfigSchema.optional(),
    tracingConfig: tracingConfigSchema.optional(),
    tags: z.record(z.string().min(1, "tag keys must not be empty"), z.string()).optional(),
    rollout: rolloutSchema.optional(),
    timeouts: timeoutsSchema.optional(),
    deletionPolicy: deletionPolicySchema.optional(),
    adoptExisting: z.boolean().optional(),
  })
  .strict();

/** Rules spanning several fields, each reported on the field the user has to change. */
export const serviceInputsSchema = serviceInputsObject.superRefine((inputs, context) => {
  if (inputs.imageUri !== undefined && inputs.containerfile !== undefined) {
    context.addIssue({ code: "custom", path: ["containerfile"], message: "imageUri and containerfile are exclusive; set only one" });
  }
  if (inputs.registryLoginSecret !== undefined && inputs.imageUri === undefined) {
    context.addIssue({ code: "custom", path: ["registryLoginSecret"], message: "can only be used together with imageUri" });
  }
  if (inputs.rayVersion !== undefined && inputs.imageUri === undefined && inputs.containerfile === undefined) {
    context.addIssue({ code: "custom", path: ["rayVersion"], message: "only applies to an image given by imageUri or containerfile" });
  }
  for (const key of Object.keys(inputs.tags ?? {})) {
    // Reserved for the provider's owner key (provider/service/ownership.ts).
    if (isReservedTag(key)) context.addIssue({ code: "custom", path: ["tags", key], message: `tag keys starting with "${RESERVED_TAG_PREFIX}" are reserved for the provider` });
  }
  if (inputs.name === undefined && inputs.autoNamePrefix === undefined) {
    context.addIssue({ code: "custom", path: ["name"], message: "is required" });
  }
  if (inputs.rollout?.strategy === "inPlace") {
    if (inputs.rollout.canaryPercent !== undefined) {
      context.addIssue({ code: "custom", path: ["rollout", "canaryPercent"], message: "is not supported with strategy inPlace" });
    }
    if (inputs.rollout.maxSurgePercent !== undefined) {
      context.addIssue({ code: "custom", path: ["rollout", "maxSurgePercent"], message: "is not supported with strategy inPlace (set max_surge_percent per Serve deployment instead)" });
    }
  }
  for (const issue of deliveryProblems(inputs, timeoutMsFor(inputs.timeouts, "update", DEFAULT_WAIT_MS))) context.addIssue({ code: "custom", ...issue });
  const appNames = new Set<string>();
  inputs.applications.forEach((application, index) => {
    const appName = application.name ?? "default";
    if (appNames.has(appName)) {
      context.addIssue({ code: "custom", path: ["applications", index, "name"], message: `duplicate application name '${appName}'` });
    }
    appNames.add(appName);
  });
  const connectionTypes = new Set<string>();
  inputs.connections?.forEach((connection, index) => {
    const type = connection.type.toLowerCase();
    if (connectionTypes.has(type)) {
      context.addIssue({ code: "custom", path: ["connections", index, "type"], message: "only one connection per type is allowed" });
    }
    connectionTypes.add(type);
  });
  if (inputs.grpcOptions?.service_names !== undefined && !isStringArray(inputs.grpcOptions.service_names)) {
    context.addIssue({ code: "custom", path: ["grpcOptions", "service_names"], message: "must be a list of strings" });
  }
});

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

export type ServiceInputs = z.infer<typeof serviceInputsObject>;

/** Fields whose change creates a new service (the old one is deleted per its deletionPolicy). */
export const REPLACE_FIELDS = ["name", "cloud", "project"] as const;

/**
 * Fields that live on the cluster: an in-place update cannot change them (the platform reuses the
 * primary version's build and compute config).
 */
export const CLUSTER_LEVEL_FIELDS = [
  "imageUri",
  "containerfile",
  "registryLoginSecret",
  "rayVersion",
  "computeConfig",
  "rayGcsExternalStorageConfig",
  "tracingConfig",
] as const;

/** Cluster-level fields plus the ones an in-place update takes from the running service instead. */
export const NOT_IN_PLACE_FIELDS = [...CLUSTER_LEVEL_FIELDS, "queryAuthTokenEnabled"] as const;

/** Fields deployed as a new version (rollout) or applied in place. */
export const VERSION_FIELDS = [
  ...CLUSTER_LEVEL_FIELDS,
  "sourceHash",
  "applications",
  ...RUNTIME_ENV_FIELDS,
  "connections",
  "versionName",
  "queryAuthTokenEnabled",
  "httpOptions",
  "grpcOptions",
  "loggingConfig",
] as const;

/** Provider-side settings: they change what the provider does next, never the live service. */
export const PROVIDER_ONLY_FIELDS = [
  "deletionPolicy",
  "adoptExisting",
  "rollout.strategy",
  "rollout.maxSurgePercent",
  "rollout.autoRollback",
  // The schedule drives the next rollout; a change while one is held continues it (update.ts).
  "rollout.steps",
  "rollout.healthCheck",
  "rollout.progressDeadline",
  "rollout.retryRejected",
] as const;

export const DEFAULT_QUERY_AUTH_TOKEN_ENABLED = true;
export const DEFAULT_DELETION_POLICY: DeletionPolicy = "terminate";
export const DEFAULT_WAIT_MS = 30 * 60_000;
export const DEFAULT_DELETE_WAIT_MS = 20 * 60_000;

/** Inputs with the defaults filled in, so an omitted field and its default compare equal. */
export function withDefaults(inputs: ServiceInputs): ServiceInputs & {
  queryAuthTokenEnabled: boolean;
  deletionPolicy: DeletionPolicy;
  adoptExisting: boolean;
} {
  return {
    ...inputs,
    queryAuthTokenEnabled: inputs.queryAuthTokenEnabled ?? DEFAULT_QUERY_AUTH_TOKEN_ENABLED,
    deletionPolicy: inputs.deletionPolicy ?? DEFAULT_DELETION_POLICY,
    adoptExisting: inputs.adoptExisting ?? false,
  };
}
