// Loaders for the official Anyscale YAML formats, unchanged (snake_case keys). Paths inside the file
// are relative to the file, as for `anyscale service deploy -f`; they are rewritten relative to the
// program's directory so they resolve the same way in the provider.
import * as fs from "node:fs";
import * as path from "node:path";
import type { parse as parseYaml } from "yaml";
import { isRemoteUri } from "../provider/anyscale/upload";

export class YamlConfigError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "YamlConfigError";
  }
}

/** Reads a YAML file whose top level must be a mapping. */
export function readYamlMapping(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new YamlConfigError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let parsed: unknown;
  try {
    // The yaml library (~70 modules) is loaded only by programs that read a YAML file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    parsed = (require("yaml") as { parse: typeof parseYaml }).parse(text);
  } catch (error) {
    throw new YamlConfigError(file, `invalid YAML: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new YamlConfigError(file, "the top level must be a mapping of ServiceConfig fields");
  return parsed as Record<string, unknown>;
}

/** A path from the YAML file, made relative to the program's working directory (remote URIs untouched). */
export function pathFromYaml(file: string, value: unknown): unknown {
  if (typeof value !== "string" || isRemoteUri(value) || path.isAbsolute(value)) return value;
  const absolute = path.resolve(path.dirname(file), value);
  return path.relative(process.cwd(), absolute) || ".";
}

/** Makes the local paths among mapped args (working dir, containerfile, requirements file, py_modules) relative to the program. */
export function resolveYamlPaths(file: string, args: Record<string, unknown>): void {
  if (typeof args.workingDir === "string") args.workingDir = pathFromYaml(file, args.workingDir);
  if (typeof args.containerfile === "string") args.containerfile = pathFromYaml(file, args.containerfile);
  if (typeof args.requirements === "string") args.requirements = pathFromYaml(file, args.requirements);
  if (Array.isArray(args.pyModules)) args.pyModules = args.pyModules.map((module) => pathFromYaml(file, module));
}

/** The runtime environment keys ServiceConfig and JobConfig share, and their args. */
export const RUNTIME_ENV_YAML_FIELDS: Record<string, string> = {
  working_dir: "workingDir",
  excludes: "excludes",
  requirements: "requirements",
  env_vars: "envVars",
  py_modules: "pyModules",
  py_executable: "pyExecutable",
};

const SERVICE_FIELDS: Record<string, string> = {
  name: "name",
  applications: "applications",
  image_uri: "imageUri",
  containerfile: "containerfile",
  registry_login_secret: "registryLoginSecret",
  ray_version: "rayVersion",
  compute_config: "computeConfig",
  ...RUNTIME_ENV_YAML_FIELDS,
  cloud: "cloud",
  project: "project",
  connections: "connections",
  version_name: "versionName",
  query_auth_token_enabled: "queryAuthTokenEnabled",
  http_options: "httpOptions",
  grpc_options: "grpcOptions",
  logging_config: "loggingConfig",
  ray_gcs_external_storage_config: "rayGcsExternalStorageConfig",
  tracing_config: "tracingConfig",
  tags: "tags",
};

const NESTED_FIELDS: Record<string, Record<string, string>> = {
  ray_gcs_external_storage_config: { enabled: "enabled", address: "address", certificate_path: "certificatePath" },
  tracing_config: { enabled: "enabled", exporter_import_path: "exporterImportPath", sampling_ratio: "samplingRatio" },
};

/**
 * Maps an Anyscale ServiceConfig YAML (the seed's format) onto Service args. Unknown keys are an
 * error naming the key, so a typo never silently drops a setting.
 */
export function serviceArgsFromYaml(file: string): Record<string, unknown> {
  const yaml = readYamlMapping(file);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(yaml)) {
    const field = SERVICE_FIELDS[key];
    if (!field) throw new YamlConfigError(file, `unknown ServiceConfig field '${key}' (expected one of: ${Object.keys(SERVICE_FIELDS).join(", ")})`);
    if (value === null || value === undefined) continue;
    const nested = NESTED_FIELDS[key];
    if (nested && value && typeof value === "object" && !Array.isArray(value)) {
      const mapped: Record<string, unknown> = {};
      for (const [innerKey, innerValue] of Object.entries(value as Record<string, unknown>)) {
        const innerField = nested[innerKey];
        if (!innerField) throw new YamlConfigError(file, `unknown field '${key}.${innerKey}'`);
        mapped[innerField] = innerValue;
      }
      args[field] = mapped;
    } else {
      args[field] = value;
    }
  }
  resolveYamlPaths(file, args);
  if (args.envVars && typeof args.envVars === "object") {
    // YAML scalars (numbers, booleans) become strings, as the SDK's model coerces them.
    args.envVars = Object.fromEntries(Object.entries(args.envVars as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  if (args.tags && typeof args.tags === "object") {
    args.tags = Object.fromEntries(Object.entries(args.tags as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  return args;
}
