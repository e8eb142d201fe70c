// A service version's and a job's config as the SDK shows them (`service status -v`'s
// ServiceVersionStatus.config, JobStatus.config), in the camelCase of ServiceArgs / JobArgs, so a
// config read here can be fed back to a resource. Pure: the id → name facts come from catalog-reads.
import type { ComputeConfigFacts, ImageFacts } from "./catalog-reads";
import { withoutUndefined } from "./service-results";
import type { JobConfig, ServiceVersionConfig } from "./workload-config-schemas";

export type { JobConfig, ServiceVersionConfig } from "./workload-config-schemas";

type Row = Record<string, unknown>;

export interface WorkloadFacts extends ImageFacts, ComputeConfigFacts {
  project?: string;
  connections?: Array<{ type: string; name: string }>;
}

function record(value: unknown): Row | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Row) : undefined;
}

const present = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

export interface ServiceVersionWire {
  version?: string | null;
  ray_serve_config?: Row | null;
  ray_gcs_external_storage_config?: Row | null;
  tracing_config?: Row | null;
}

export function serviceVersionConfig(serviceName: string, versionName: string, version: ServiceVersionWire, queryAuthTokenEnabled: boolean, facts: WorkloadFacts): ServiceVersionConfig {
  const serve = version.ray_serve_config ?? {};
  const gcs = record(version.ray_gcs_external_storage_config);
  const tracing = record(version.tracing_config);
  return withoutUndefined({
    name: serviceName,
    versionName,
    applications: Array.isArray(serve.applications) ? (serve.applications as Row[]) : [],
    imageUri: facts.imageUri,
    registryLoginSecret: facts.registryLoginSecret,
    computeConfig: facts.computeConfig,
    cloud: facts.cloud,
    project: facts.project,
    connections: facts.connections,
    queryAuthTokenEnabled,
    httpOptions: record(serve.http_options),
    grpcOptions: record(serve.grpc_options),
    loggingConfig: record(serve.logging_config),
    rayGcsExternalStorageConfig: gcs
      ? withoutUndefined({ enabled: gcs.enable === true, address: present(gcs.address as string | null), certificatePath: present(gcs.redis_certificate_path as string | null) })
      : undefined,
    tracingConfig: tracing
      ? withoutUndefined({
          enabled: tracing.enabled === true,
          exporterImportPath: present(tracing.exporter_import_path as string | null),
          samplingRatio: present(tracing.sampling_ratio as number | null),
        })
      : undefined,
  });
}

export interface JobConfigWire {
  entrypoint?: string | null;
  runtime_env?: Row | null;
  max_retries?: number | null;
  timeout_s?: number | null;
  priority?: number | null;
}

export function jobConfig(jobName: string, config: JobConfigWire, facts: WorkloadFacts): JobConfig {
  const runtimeEnv = record(config.runtime_env) ?? {};
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined);
  const maxRetries = present(config.max_retries);
  return withoutUndefined({
    name: jobName,
    entrypoint: present(config.entrypoint),
    imageUri: facts.imageUri,
    computeConfig: facts.computeConfig,
    requirements: strings(runtimeEnv.pip),
    workingDir: typeof runtimeEnv.working_dir === "string" ? runtimeEnv.working_dir : undefined,
    envVars: record(runtimeEnv.env_vars) as Record<string, string> | undefined,
    pyModules: strings(runtimeEnv.py_modules),
    pyExecutable: typeof runtimeEnv.py_executable === "string" ? runtimeEnv.py_executable : undefined,
    excludes: strings(runtimeEnv.excludes),
    cloud: facts.cloud,
    project: facts.project,
    connections: facts.connections,
    // -1 means unlimited/unknown; the SDK hides negative values.
    maxRetries: maxRetries !== undefined && maxRetries >= 0 ? maxRetries : undefined,
    timeoutS: present(config.timeout_s),
    priority: present(config.priority),
  });
}
