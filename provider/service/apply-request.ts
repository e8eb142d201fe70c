// Builds the PUT /api/v2/services-v2/apply body from the inputs and the resolved ids, as the SDK does:
// top-level working_dir / py_modules / requirements / env_vars / py_executable are folded into every
// application's runtime_env, uploaded directories replaced by their file URIs. Pure.
import type { GcsStorageConfig, ServiceInputs, TracingConfig } from "./schema";

export interface ResolvedIds {
  projectId: string;
  cloudId: string;
  computeConfigId: string;
  buildId: string;
  connectionIds?: string[];
}

export interface DeployMode {
  rolloutStrategy: "ROLLOUT" | "IN_PLACE";
  canaryPercent?: number;
  maxSurgePercent?: number;
  /** A weight update keeps the canary's own version name. */
  versionName?: string;
}

/** The API model's default for ray_gcs_external_storage_config.redis_certificate_path. */
export const DEFAULT_REDIS_CERTIFICATE_PATH = "/etc/ssl/certs/ca-certificates.crt";

/** Local path (as written in the inputs) → uploaded file URI. */
export type UploadedUris = Record<string, string>;

type Application = ServiceInputs["applications"][number];

export function rewriteApplications(inputs: ServiceInputs, uploaded: UploadedUris, pip: string[] | undefined): Application[] {
  const uriFor = (value: unknown) => (typeof value === "string" && uploaded[value] !== undefined ? uploaded[value] : value);
  return inputs.applications.map((application) => {
    const runtimeEnv: Record<string, unknown> = { ...(application.runtime_env ?? {}) };
    // Top-level excludes extend an application's own (the SDK keeps them in the runtime_env).
    if (inputs.excludes && inputs.excludes.length > 0) runtimeEnv.excludes = [...stringList(runtimeEnv.excludes), ...inputs.excludes];
    const workingDir = inputs.workingDir ?? runtimeEnv.working_dir;
    if (workingDir !== undefined) {
      // The SDK records what the user wrote next to the uploaded URI.
      runtimeEnv.user_provided_working_dir = workingDir;
      runtimeEnv.working_dir = uriFor(workingDir);
    }
    const pyModules = [...stringList(runtimeEnv.py_modules), ...(inputs.pyModules ?? [])];
    if (pyModules.length > 0 || runtimeEnv.py_modules !== undefined) {
      runtimeEnv.user_provided_py_modules = pyModules;
      runtimeEnv.py_modules = pyModules.map(uriFor);
    }
    if (pip !== undefined) runtimeEnv.pip = pip;
    if (inputs.envVars && Object.keys(inputs.envVars).length > 0) {
      const existing = (runtimeEnv.env_vars && typeof runtimeEnv.env_vars === "object" ? runtimeEnv.env_vars : {}) as Record<string, string>;
      runtimeEnv.env_vars = { ...existing, ...inputs.envVars };
    }
    if (inputs.pyExecutable !== undefined) runtimeEnv.py_executable = inputs.pyExecutable;
    const rewritten: Application = { ...application };
    if (Object.keys(runtimeEnv).length > 0) rewritten.runtime_env = runtimeEnv;
    else delete rewritten.runtime_env;
    return rewritten;
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

export function buildRayServeConfig(inputs: ServiceInputs, applications: Application[]): Record<string, unknown> {
  const config: Record<string, unknown> = { applications };
  if (inputs.httpOptions && Object.keys(inputs.httpOptions).length > 0) config.http_options = inputs.httpOptions;
  if (inputs.grpcOptions && Object.keys(inputs.grpcOptions).length > 0) config.grpc_options = inputs.grpcOptions;
  if (inputs.loggingConfig && Object.keys(inputs.loggingConfig).length > 0) config.logging_config = inputs.loggingConfig;
  return config;
}

export function buildApplyRequest(
  name: string,
  inputs: ServiceInputs,
  rayServeConfig: Record<string, unknown>,
  ids: ResolvedIds,
  mode: DeployMode,
): Record<string, unknown> {
  const serviceNames = Array.isArray(inputs.grpcOptions?.service_names) ? (inputs.grpcOptions!.service_names as string[]) : [];
  const body: Record<string, unknown> = {
    name,
    project_id: ids.projectId,
    version: mode.versionName ?? inputs.versionName,
    ray_serve_config: rayServeConfig,
    build_id: ids.buildId,
    compute_config_id: ids.computeConfigId,
    rollout_strategy: mode.rolloutStrategy,
    canary_percent: mode.rolloutStrategy === "ROLLOUT" ? mode.canaryPercent : undefined,
    max_surge_percent: mode.rolloutStrategy === "ROLLOUT" ? mode.maxSurgePercent : undefined,
    // The SDK's generated models always send their defaults; sending the same keeps the wire identical.
    auto_complete_rollout: true,
    config: {
      max_uptime_timeout_sec: 0,
      access: { use_bearer_token: inputs.queryAuthTokenEnabled ?? true },
      protocols: { grpc: { enabled: serviceNames.length > 0, port: 9000, service_names: serviceNames } },
      env_vars: inputs.envVars && Object.keys(inputs.envVars).length > 0 ? inputs.envVars : undefined,
    },
    ray_gcs_external_storage_config: inputs.rayGcsExternalStorageConfig && gcsStorageWire(inputs.rayGcsExternalStorageConfig),
    tracing_config: inputs.tracingConfig && tracingWire(inputs.tracingConfig),
    tags: inputs.tags && Object.keys(inputs.tags).length > 0 ? inputs.tags : undefined,
    connection_ids: ids.connectionIds,
  };
  return body;
}

export function gcsStorageWire(config: GcsStorageConfig): Record<string, unknown> {
  return { enable: config.enabled, address: config.address, redis_certificate_path: config.certificatePath ?? DEFAULT_REDIS_CERTIFICATE_PATH };
}

export function tracingWire(config: TracingConfig): Record<string, unknown> {
  return { enabled: config.enabled, exporter_import_path: config.exporterImportPath, sampling_ratio: config.samplingRatio ?? 1.0 };
}
