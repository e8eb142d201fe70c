// The Service's declared model: one zod schema gives the static type, the check-time validation
// (every failure names the field), and per input (core/declaration.ts) its description, how a change
// is applied, where it lands on the wire and how it is read back from the live service. The field
// lists, the live comparison, refresh and import are all derived from it (docs/declared-model.md).
import { z } from "zod";
import { timeoutsSchema } from "../core/timeouts";
import { declarationRegistry, declare, declaredFields, pathsOf, topLevelKeys, type DeclaredField, type FieldDeclaration } from "../core/declaration";
import { deliveryFields } from "./rollout-schema";
import { gcsStorageWire, tracingWire } from "./apply-request";
import { gcsStorageOfVersion, imageUriOfBuild, rayVersionOfBuild, registryLoginSecretOfBuild, serveConfigKey, tracingOfVersion, versionNameOf, type LiveService } from "./live-view";
import {
  applicationSchema,
  computeConfigSchema,
  connectionSchema,
  deletionPolicySchema,
  imageUriSchema,
  jsonObject,
  nonEmpty,
  percent,
  rayGcsExternalStorageConfigSchema,
  rayVersion,
  rolloutStrategySchema,
  serviceName,
  stringMap,
  tracingConfigSchema,
  type DeletionPolicy,
} from "./input-shapes";

export * from "./input-shapes";

export const DEFAULT_QUERY_AUTH_TOKEN_ENABLED = true;
export type TracingConfig = z.infer<typeof tracingConfigSchema>;
export type GcsStorageConfig = z.infer<typeof rayGcsExternalStorageConfigSchema>;

const serviceFields = declarationRegistry<LiveService>();
const field = <T extends z.ZodType>(schema: T, description: string, declaration: FieldDeclaration<LiveService>): T =>
  declare(schema, serviceFields, description, declaration);

const CLUSTER_LEVEL = "it lives on the cluster: an in-place update keeps the running version's";
const providerSide = { from: "none", note: "the provider's own setting: kept from state" } as const;
const inRuntimeEnv = { from: "serveConfig", note: "folded into each application's runtime_env: read back inside applications" } as const;
const fromBuild = (read: (build: LiveService["build"]) => unknown) => ({ from: "build", read: (live: LiveService) => read(live.build) }) as const;
const serveKey = (key: string) => ({ from: "serveConfig", read: (live: LiveService) => serveConfigKey(live, key) }) as const;

export const rolloutSchema = z
  .object({
    strategy: field(rolloutStrategySchema.optional(), '"rollout" (default): a new version beside the old one; "inPlace": update the running version (no cluster-level changes).', {
      change: "providerOnly",
      readBack: providerSide,
    }),
    canaryPercent: field(percent.optional(), "Hold the new version at this share of traffic (0-100); 100 or unset completes the rollout.", {
      change: "canary",
      wire: "canary_percent",
      readBack: { from: "version", note: "the held canary's weight (drift.ts)" },
    }),
    maxSurgePercent: field(percent.optional(), "Extra capacity allowed during a rollout (0-100; platform default 100).", { change: "providerOnly", readBack: providerSide }),
    autoRollback: field(z.boolean().optional(), "Roll a failed or timed-out rollout back before reporting the failure.", { change: "providerOnly", readBack: providerSide }),
    steps: field(deliveryFields.steps, "A schedule of canary shares, e.g. [{percent: 10, pause: \"10m\"}, {percent: 100}] (docs/progressive-delivery.md). Exclusive with canaryPercent.", {
      change: "providerOnly",
      readBack: providerSide,
    }),
    healthCheck: field(deliveryFields.healthCheck, "A gate during each step's pause: probes the query URL with the service's token.", { change: "providerOnly", readBack: providerSide }),
    progressDeadline: field(deliveryFields.progressDeadline, "Longest a step may take to be RUNNING at its share (\"5m\"); past it the canary is rolled back.", {
      change: "providerOnly",
      readBack: providerSide,
    }),
    retryRejected: field(deliveryFields.retryRejected, "Roll out again a version a gate or deadline rejected (default false: the same program is not retried).", {
      change: "providerOnly",
      readBack: providerSide,
    }),
  })
  .strict();

/** The inputs a user writes (the SDK's ServiceArgs are derived from this). */
export const servicePublicInputs = z
  .object({
    name: field(serviceName.optional(), "Unique within the project; defaults to the resource name plus a random suffix.", {
      change: "replace",
      wire: "name",
      readBack: { from: "service", read: (live) => live.service.name },
    }),
    applications: field(z.array(applicationSchema).min(1, "at least one application is required"), "The Ray Serve applications (snake_case, as in Ray's config file).", {
      change: "inPlace",
      wire: "ray_serve_config",
      readBack: serveKey("applications"),
    }),
    imageUri: field(imageUriSchema.optional(), "The container image the service runs (exclusive with containerfile); the default image when neither is set.", {
      change: "refusedInPlace",
      reason: `${CLUSTER_LEVEL} image`,
      wire: "build_id",
      readBack: fromBuild(imageUriOfBuild),
    }),
    containerfile: field(nonEmpty.optional(), "Path of a containerfile to build the image from (exclusive with imageUri).", {
      change: "refusedInPlace",
      reason: `${CLUSTER_LEVEL} image`,
      wire: "build_id",
      readBack: { from: "build", note: "a local path is not on the platform: import reads the build back as imageUri anyscale/image/<name>:<revision>" },
    }),
    registryLoginSecret: field(nonEmpty.optional(), "Secret holding the credentials of the registry that hosts imageUri (not for images hosted on Anyscale).", {
      change: "refusedInPlace",
      reason: `${CLUSTER_LEVEL} image`,
      wire: "build_id",
      readBack: fromBuild(registryLoginSecretOfBuild),
    }),
    rayVersion: field(rayVersion.optional(), "Ray version of the image given by imageUri or containerfile.", {
      change: "refusedInPlace",
      reason: `${CLUSTER_LEVEL} image`,
      wire: "build_id",
      readBack: fromBuild(rayVersionOfBuild),
    }),
    computeConfig: field(computeConfigSchema.optional(), 'A registered compute config ("name" or "name:version") or an inline one; the cloud\'s default when unset.', {
      change: "refusedInPlace",
      reason: `${CLUSTER_LEVEL} compute config`,
      wire: "compute_config_id",
      readBack: { from: "computeConfig", read: (live) => live.computeConfigName },
    }),
    workingDir: field(nonEmpty.optional(), "Local directory (uploaded) or remote URI every application runs in.", { change: "inPlace", wire: "ray_serve_config", readBack: inRuntimeEnv }),
    excludes: field(z.array(nonEmpty).optional(), "Paths left out of the uploaded workingDir and pyModules.", { change: "inPlace", wire: "ray_serve_config", readBack: inRuntimeEnv }),
    requirements: field(z.union([nonEmpty, z.array(nonEmpty)]).optional(), "pip requirements: a requirements file or a list.", { change: "inPlace", wire: "ray_serve_config", readBack: inRuntimeEnv }),
    envVars: field(stringMap.optional(), "Environment variables of every application (also sent as the service's env_vars).", { change: "inPlace", wire: "ray_serve_config", readBack: inRuntimeEnv }),
    pyModules: field(z.array(nonEmpty).optional(), "Local directories (uploaded) or URIs importable by every application.", { change: "inPlace", wire: "ray_serve_config", readBack: inRuntimeEnv }),
    pyExecutable: field(nonEmpty.optional(), "Python executable of every application's workers.", { change: "inPlace", wire: "ray_serve_config", readBack: inRuntimeEnv }),
    cloud: field(nonEmpty.optional(), "Cloud name; the stack's anyscale:defaultCloud, else the organization's default.", {
      change: "replace",
      wire: "compute_config_id",
      readBack: { from: "none", note: "kept from state (or the stack's default): the live service names the cloud by id" },
    }),
    project: field(nonEmpty.optional(), "Project name; the stack's anyscale:defaultProject, else the cloud's default project.", {
      change: "replace",
      wire: "project_id",
      readBack: { from: "none", note: "kept from state (or the stack's default): the live service names the project by id" },
    }),
    connections: field(z.array(connectionSchema).optional(), "Third-party connections (Databricks) the applications use, by name.", {
      change: "refusedInPlace",
      reason: "a version's connections are set when it starts; an in-place update keeps the running version's",
      wire: "connection_ids",
      normalize: (value) => (value as Array<{ type: string; name: string }> | undefined)?.map((connection) => ({ type: connection.type.toLowerCase(), name: connection.name })),
      readBack: { from: "connections", read: (live) => (live.connections && live.connections.length > 0 ? live.connections : undefined) },
    }),
    versionName: field(z.string().min(1, "must not be empty").max(128, "must be at most 128 characters").optional(), "Name of the version this deploy creates; the platform picks one when unset.", {
      change: "inPlace",
      wire: "version",
      platformChoosesWhenUnset: true,
      readBack: { from: "version", read: versionNameOf, note: "never imported: the live version's name would be refused by the next deploy" },
    }),
    queryAuthTokenEnabled: field(z.boolean().optional(), "Default true: queries need Authorization: Bearer <queryAuthToken>.", {
      change: "refusedInPlace",
      reason: "an in-place update keeps the running service's query auth",
      wire: "config.access.use_bearer_token",
      live: (live) => !!live.service.auth_token,
      normalize: (value) => value ?? DEFAULT_QUERY_AUTH_TOKEN_ENABLED,
      readBack: { from: "service", read: (live) => !!live.service.auth_token },
    }),
    httpOptions: field(jsonObject.optional(), "Ray Serve http_options, verbatim.", { change: "inPlace", wire: "ray_serve_config", readBack: serveKey("http_options") }),
    grpcOptions: field(jsonObject.optional(), "Ray Serve grpc_options, verbatim (service_names also enable the gRPC protocol).", {
      change: "inPlace",
      wire: "ray_serve_config",
      readBack: serveKey("grpc_options"),
    }),
    loggingConfig: field(jsonObject.optional(), "Ray Serve logging_config, verbatim.", { change: "inPlace", wire: "ray_serve_config", readBack: serveKey("logging_config") }),
    rayGcsExternalStorageConfig: field(rayGcsExternalStorageConfigSchema.optional(), "External Redis for the Ray GCS, so the head node can fail over.", {
      change: "refusedInPlace",
      reason: `${CLUSTER_LEVEL} GCS storage`,
      wire: "ray_gcs_external_storage_config",
      normalize: (value): unknown => (value === undefined ? undefined : gcsStorageOfVersion({ version: { ray_gcs_external_storage_config: gcsStorageWire(value as GcsStorageConfig) } } as LiveService)),
      readBack: { from: "version", read: gcsStorageOfVersion },
    }),
    tracingConfig: field(tracingConfigSchema.optional(), "Ray tracing of the applications.", {
      change: "refusedInPlace",
      reason: `${CLUSTER_LEVEL} tracing`,
      wire: "tracing_config",
      normalize: (value): unknown => (value === undefined ? undefined : tracingOfVersion({ version: { tracing_config: tracingWire(value as TracingConfig) } } as LiveService)),
      readBack: { from: "version", read: tracingOfVersion },
    }),
    tags: field(z.record(z.string().min(1, "tag keys must not be empty"), z.string()).optional(), "Tags of the service (the tags API: no new version).", {
      change: "tags",
      wire: "tags API",
      readBack: { from: "tags", read: (live) => (live.tags && Object.keys(live.tags).length > 0 ? live.tags : undefined) },
    }),
    rollout: field(rolloutSchema.optional(), "How a change is deployed: strategy, canary share, surge, automatic rollback, a schedule with gates.", { change: "group", readBack: providerSide }),
    timeouts: field(timeoutsSchema.optional(), 'Wait limits ("30m"; default 30m for create/update, 20m for delete); customTimeouts fill these.', {
      change: "unrecorded",
      readBack: providerSide,
    }),
    deletionPolicy: field(deletionPolicySchema.optional(), 'What destroy does after terminating: "terminate" (default) keeps it, "archive" hides it, "delete" removes it.', {
      change: "providerOnly",
      readBack: providerSide,
    }),
    adoptExisting: field(z.boolean().optional(), "Take over a live service of the same name instead of failing.", { change: "providerOnly", readBack: providerSide }),
  })
  .strict();

/** Every input: the user's plus those the host and check set. */
export const serviceInputsObject = servicePublicInputs
  .extend({
    autoNamePrefix: field(z.string().optional(), "Set by the host when name is omitted: the resource name used for auto-naming.", { change: "internal", readBack: providerSide }),
    ownershipScope: field(z.string().optional(), "Set by the host: <project>/<stack>/<resource>, the identity behind the service's owner-key tag. Never diffs.", {
      change: "internal",
      readBack: { from: "tags", note: "the owner-key tag (ownership.ts)" },
    }),
    sourceHash: field(z.string().optional(), "Set by check: a digest of the local files the deploy uploads, so code edited under an unchanged path still deploys.", {
      change: "internal",
      internalChange: "inPlace",
      wire: "ray_serve_config",
      readBack: { from: "none", note: "a digest of local files; their uploaded URIs show in applications" },
    }),
    containerfileHash: field(z.string().optional(), "Set by check: a digest of the containerfile's contents, so an edited containerfile builds a new image.", {
      change: "internal",
      internalChange: "refusedInPlace",
      reportedOn: "containerfile",
      reason: `its contents changed: a new containerfile means a new image build, and ${CLUSTER_LEVEL} build`,
      wire: "build_id",
      readBack: { from: "build", note: "read back as the build's imageUri" },
    }),
  })
  .strict();

export type ServiceInputs = z.infer<typeof serviceInputsObject>;

/** The declared model of the Service's inputs: every list and comparison below and elsewhere is derived from it. */
export const SERVICE_FIELDS = declaredFields(serviceInputsObject, serviceFields);

/** Fields whose change creates a new service (the old one is deleted per its deletionPolicy). */
export const REPLACE_FIELDS = pathsOf(SERVICE_FIELDS, "replace");

/** Fields deployed as a new version (rollout) or applied in place. */
export const VERSION_FIELDS = SERVICE_FIELDS.filter(isVersionField).map((declared) => declared.path);

/** Version fields an in-place update cannot change, each with its reason. */
export const NOT_IN_PLACE_FIELDS = SERVICE_FIELDS.filter((declared) => refusedInPlace(declared)).map((declared) => declared.path);

/** Provider-side settings: they change what the provider does next, never the live service. */
export const PROVIDER_ONLY_FIELDS = pathsOf(SERVICE_FIELDS, "providerOnly");

/** Every input key (a stored state's input part). */
export const INPUT_KEYS = topLevelKeys(serviceInputsObject);

export function isVersionField(declared: DeclaredField<LiveService>): boolean {
  return declared.change === "inPlace" || declared.change === "refusedInPlace" || declared.internalChange !== undefined;
}

export function refusedInPlace(declared: DeclaredField<LiveService>): boolean {
  return declared.change === "refusedInPlace" || declared.internalChange === "refusedInPlace";
}

export function declaredField(path: string): DeclaredField<LiveService> {
  const found = SERVICE_FIELDS.find((declared) => declared.path === path);
  if (!found) throw new Error(`${path}: not a declared Service input`);
  return found;
}

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
