// Every engine function's inputs and outputs are typed in the package schema: no `pulumi.json#/Any`
// except as the values of an open map listed here (free-form user JSON), each with its reason.
import { buildPackageSchema } from "../../provider/hosts/native/schema";
import { serviceStatusSchema, toServiceStatus } from "../../provider/functions/service-results";
import { jobStatusSchema, toJobStatus } from "../../provider/functions/job-results";
import { jobQueueStatusSchema, toJobQueueStatus } from "../../provider/functions/job-queue-results";
import { jobConfig, serviceVersionConfig } from "../../provider/functions/workload-config";
import { listServicesResultSchema } from "../../provider/functions/services";
import { listJobsResultSchema } from "../../provider/functions/jobs";
import { listJobQueuesResultSchema } from "../../provider/functions/job-queues";

const ANY_REF = "pulumi.json#/Any";

/** Where an Any may stay: the values of these open maps (the end of the path of the map), and why. */
const OPEN_MAPS: Record<string, string> = {
  "Config.properties.applications.items": "a Ray Serve application is the user's own Serve config (any Serve field, any user_config)",
  "Config.properties.httpOptions": "Ray Serve HTTP options, passed through as the user wrote them",
  "Config.properties.grpcOptions": "Ray Serve gRPC options, passed through as the user wrote them",
  "Config.properties.loggingConfig": "Ray Serve logging config, passed through as the user wrote it",
  "Config.properties.computeConfig.oneOf.1":
    "an anonymous compute config's definition (the SDK's ComputeConfig, snake_case: nested node types, free-form flags and advanced instance config); a registered one is its `name:version` string",
};

type Spec = Record<string, unknown>;
type Schema = { functions: Record<string, { inputs: Spec; outputs: Spec }>; types: Record<string, Spec> };

/** Paths (with the type or function they are in) of every Any reachable from a spec. */
function anyPaths(spec: unknown, path: string, schema: Schema, seen: Set<string>): string[] {
  if (!spec || typeof spec !== "object") return [];
  const node = spec as Spec;
  if (node.$ref === ANY_REF) return [path];
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/types/")) {
    const token = node.$ref.slice("#/types/".length);
    if (seen.has(token)) return [];
    seen.add(token);
    return anyPaths(schema.types[token], token.split(":")[2], schema, seen);
  }
  return Object.entries(node).flatMap(([key, inner]) => (typeof inner === "object" ? anyPaths(inner, `${path}.${key}`, schema, seen) : []));
}

/** Only the values of a listed open map may be Any. */
function allowed(path: string): boolean {
  return Object.keys(OPEN_MAPS).some((map) => path.endsWith(`${map}.additionalProperties`));
}

describe("the package schema's function types", () => {
  const schema = buildPackageSchema("0.0.0") as unknown as Schema;
  const functions = Object.entries(schema.functions);

  it("covers every engine function, each with declared outputs", () => {
    expect(functions.length).toBeGreaterThanOrEqual(8);
    for (const [token, fn] of functions) expect([token, Object.keys((fn.outputs.properties ?? {}) as object).length > 0]).toEqual([token, true]);
  });

  it.each(functions.map(([token]) => [token]))("%s has no Any outside a listed open map", (token) => {
    const fn = schema.functions[token];
    const name = token.split(":")[2];
    const paths = [...anyPaths(fn.inputs, `${name}.inputs`, schema, new Set()), ...anyPaths(fn.outputs, `${name}.outputs`, schema, new Set())];
    expect(paths.filter((path) => !allowed(path))).toEqual([]);
  });

  it("describes every output property", () => {
    const undescribed: string[] = [];
    const visit = (spec: Spec, where: string) => {
      for (const [field, property] of Object.entries((spec.properties ?? {}) as Record<string, Spec>)) if (!property.description) undescribed.push(`${where}.${field}`);
    };
    for (const [token, fn] of functions) visit(fn.outputs, token);
    for (const [token, type] of Object.entries(schema.types)) if (/Result/.test(token)) visit(type, token);
    expect(undescribed).toEqual([]);
  });
});

describe("the mappers build exactly the declared results", () => {
  const version = { id: "ver_1", version: "v1", current_state: "RUNNING", weight: 100, created_at: "2026-01-01T00:00:00Z", build_id: "bld_1", compute_config_id: "cpt_1" };
  const facts = { imageUri: "anyscale/image/x:1", computeConfig: { head_node: { instance_type: "m5.xlarge" } }, cloud: "c", project: "p", connections: [{ type: "databricks", name: "db" }] };

  it("a verbose service status parses strictly (no undeclared key)", () => {
    const config = serviceVersionConfig("api", "v1", { ray_serve_config: { applications: [{ import_path: "a:b" }], http_options: { port: 8000 } }, tracing_config: { enabled: true, sampling_ratio: 0.5 }, ray_gcs_external_storage_config: { enable: true, address: "r:6379" } }, true, facts);
    const status = toServiceStatus(
      { id: "svc_1", name: "api", description: "d", project_id: "prj", cloud_id: "cld", current_state: "RUNNING", goal_state: "RUNNING", base_url: "https://x", hostname: "x", creator_id: "u", creator: { email: "e" }, created_at: "t", ended_at: "t", error_message: "m", auth_token: "", primary_version: version, canary_version: version, versions: [version] } as never,
      { project: "p", configs: new Map([["ver_1", config]]) },
    );
    expect(() => serviceStatusSchema.parse(status)).not.toThrow();
    expect(() => listServicesResultSchema.parse({ services: [status] })).not.toThrow();
  });

  it("a verbose job status parses strictly", () => {
    const config = jobConfig("nightly", { entrypoint: "python x.py", runtime_env: { pip: ["a"], working_dir: "s3://w", env_vars: { A: "1" }, py_modules: ["m"], py_executable: "py", excludes: ["e"] }, max_retries: 2, timeout_s: 60, priority: 1 }, facts);
    const job = toJobStatus(
      { id: "prodjob_1", name: "nightly", state: { current_state: "RUNNING", goal_state: "SUCCESS", error: "x" }, project_id: "prj", project: { name: "p" }, cloud_id: "c", creator_id: "u", creator: { email: "e" }, created_at: "t", updated_at: "t", status_updated_at: "t", archived_at: "t", job_queue_id: "jq", last_job_run_id: "run_1", config: { entrypoint: "python x.py", max_retries: 2, timeout_s: 60, build_id: "b", compute_config_id: "c" } } as never,
      [{ id: "run_1", name: "raysubmit_1", status: "SUCCEEDED", created_at: "t", finished_at: "t" }] as never,
      config,
    );
    expect(() => jobStatusSchema.parse(job)).not.toThrow();
    expect(() => listJobsResultSchema.parse({ jobs: [job] })).not.toThrow();
  });

  it("a job queue status parses strictly", () => {
    const queue = toJobQueueStatus({ id: "jq_1", name: "q", current_job_queue_state: "ACTIVE", execution_mode: "FIFO", max_concurrency: 2, idle_timeout_sec: 60, project_id: "p", cloud_id: "c", creator_id: "u", creator_email: "e", created_at: "t", sealed_at: "t", compute_config_id: "cc", cluster_id: "cl", current_cluster_state: "Running", total_jobs: 3, active_jobs: 1, successful_jobs: 1, failed_jobs: 1 } as never);
    expect(() => listJobQueuesResultSchema.parse({ jobQueues: [jobQueueStatusSchema.parse(queue)] })).not.toThrow();
  });
});
