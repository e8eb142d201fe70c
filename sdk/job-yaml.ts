// Loader for the official Anyscale job YAML (`anyscale job submit -f job.yaml`), unchanged:
// snake_case JobConfig keys, including job_queue_config / job_queue_spec. Paths are relative to the
// file, as for the service loader. Unknown keys are an error naming the key, so a typo never silently
// drops a setting.
import { readYamlMapping, resolveYamlPaths, RUNTIME_ENV_YAML_FIELDS, YamlConfigError } from "./yaml";

const JOB_FIELDS: Record<string, string> = {
  name: "name",
  entrypoint: "entrypoint",
  image_uri: "imageUri",
  containerfile: "containerfile",
  compute_config: "computeConfig",
  ...RUNTIME_ENV_YAML_FIELDS,
  cloud: "cloud",
  project: "project",
  registry_login_secret: "registryLoginSecret",
  ray_version: "rayVersion",
  connections: "connections",
  max_retries: "maxRetries",
  job_queue_config: "jobQueue",
  timeout_s: "timeoutS",
  tags: "tags",
  priority: "priority",
};

const JOB_QUEUE_CONFIG_FIELDS: Record<string, string> = {
  priority: "priority",
  target_job_queue_name: "targetJobQueueName",
  job_queue_spec: "jobQueueSpec",
};

const JOB_QUEUE_SPEC_FIELDS: Record<string, string> = {
  name: "name",
  execution_mode: "executionMode",
  compute_config: "computeConfig",
  max_concurrency: "maxConcurrency",
  idle_timeout_s: "idleTimeoutS",
  auto_termination_threshold_job_count: "autoTerminationThresholdJobCount",
};

const CONNECTION_FIELDS: Record<string, string> = { type: "type", name: "name" };

function renameKeys(file: string, where: string, value: unknown, fields: Record<string, string>): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new YamlConfigError(file, `'${where}' must be a mapping`);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[key];
    if (!field) throw new YamlConfigError(file, `unknown field '${where}.${key}' (expected one of: ${Object.keys(fields).join(", ")})`);
    if (inner !== null && inner !== undefined) out[field] = inner;
  }
  return out;
}

function stringValues(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  // YAML scalars (numbers, booleans) become strings, as the SDK's models coerce them.
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, String(inner)]));
}

/** Job args from an Anyscale JobConfig YAML file. */
export function jobArgsFromYaml(file: string): Record<string, unknown> {
  const yaml = readYamlMapping(file);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(yaml)) {
    const field = JOB_FIELDS[key];
    if (!field) throw new YamlConfigError(file, `unknown JobConfig field '${key}' (expected one of: ${Object.keys(JOB_FIELDS).join(", ")})`);
    if (value !== null && value !== undefined) args[field] = value;
  }
  if (args.jobQueue !== undefined) {
    const queue = renameKeys(file, "job_queue_config", args.jobQueue, JOB_QUEUE_CONFIG_FIELDS);
    if (queue.jobQueueSpec !== undefined) queue.jobQueueSpec = renameKeys(file, "job_queue_config.job_queue_spec", queue.jobQueueSpec, JOB_QUEUE_SPEC_FIELDS);
    args.jobQueue = queue;
  }
  if (Array.isArray(args.connections)) {
    args.connections = args.connections.map((connection, index) => renameKeys(file, `connections[${index}]`, connection, CONNECTION_FIELDS));
  }
  resolveYamlPaths(file, args);
  if (args.envVars !== undefined) args.envVars = stringValues(args.envVars);
  if (args.tags !== undefined) args.tags = stringValues(args.tags);
  return args;
}
