// Guard: the package schema types every output-only property of every resource. An `Any` is allowed only
// as the value type of a declared open map (free-form user JSON), listed below with its reason. Function
// results are left to their own declarations (provider/hosts/native/invokes.ts).
import { buildPackageSchema } from "../../provider/hosts/native/schema";
import { observedJobOutputs } from "../../provider/job/outputs";
import { jobOutputsSchema } from "../../provider/job/output-schema";
import { observedQueueOutputs } from "../../provider/jobqueue/outputs";
import { jobQueueOutputsSchema } from "../../provider/jobqueue/output-schema";
import type { JobModel } from "../../provider/anyscale/job-models";
import type { JobQueueModel } from "../../provider/anyscale/job-queue-models";

const ANY_REF = "pulumi.json#/Any";

/** Open maps whose values are free-form: path (resource or type token, then property path) → why. */
const ALLOWED_OPEN_MAPS: Record<string, string> = {};

type Spec = { $ref?: string; type?: string; items?: Spec; additionalProperties?: Spec; oneOf?: Spec[]; properties?: Record<string, Spec> };

/** Paths under `spec` that are Any, following named types (each visited once). */
function anyPaths(spec: Spec, path: string, types: Record<string, Spec>, seen: Set<string>): string[] {
  if (spec.$ref === ANY_REF) return [path];
  if (spec.$ref?.startsWith("#/types/")) {
    const token = spec.$ref.slice("#/types/".length);
    if (seen.has(token)) return [];
    seen.add(token);
    return Object.entries(types[token]?.properties ?? {}).flatMap(([field, inner]) => anyPaths(inner, `${token}.${field}`, types, seen));
  }
  const nested = [
    ...(spec.items ? anyPaths(spec.items, `${path}[]`, types, seen) : []),
    ...(spec.additionalProperties ? anyPaths(spec.additionalProperties, `${path}{}`, types, seen).filter((found) => !(found === `${path}{}` && path in ALLOWED_OPEN_MAPS)) : []),
    ...(spec.oneOf ?? []).flatMap((alt, index) => anyPaths(alt, `${path}|${index}`, types, seen)),
  ];
  return nested;
}

describe("package schema: output-only properties are typed", () => {
  const schema = buildPackageSchema("0.1.0") as { resources: Record<string, { inputProperties: Record<string, Spec>; properties: Record<string, Spec> }>; types: Record<string, Spec> };

  test.each(Object.keys(schema.resources))("%s has no Any outside a declared open map", (token) => {
    const resource = schema.resources[token];
    const outputOnly = Object.entries(resource.properties).filter(([field]) => !(field in resource.inputProperties));
    expect(outputOnly.length).toBeGreaterThan(0);
    const found = outputOnly.flatMap(([field, spec]) => anyPaths(spec, `${token}.${field}`, schema.types, new Set()));
    expect(found).toEqual([]);
  });

  test("the guard sees an Any nested in a named type, and spares an allowed open map", () => {
    const types = { "x:index:T": { properties: { open: { type: "object", additionalProperties: { $ref: ANY_REF } }, loose: { $ref: ANY_REF } } } };
    ALLOWED_OPEN_MAPS["x:index:T.open"] = "test";
    try {
      expect(anyPaths({ $ref: "#/types/x:index:T" }, "R.p", types, new Set())).toEqual(["x:index:T.loose"]);
    } finally {
      delete ALLOWED_OPEN_MAPS["x:index:T.open"];
    }
    expect(anyPaths({ type: "array", items: { $ref: ANY_REF } }, "R.p", {}, new Set())).toEqual(["R.p[]"]);
  });
});

describe("the output builders produce exactly the declared keys", () => {
  test("Job: a fully populated model", () => {
    const job = {
      id: "prodjob_1",
      name: "train",
      state: { current_state: "OUT_OF_RETRIES", error: "boom" },
      last_job_run_id: "run_2",
      creator: { email: "a@b.c" },
      creator_id: "usr_1",
      created_at: "2026-01-01T00:00:00Z",
      project_id: "prj_1",
      cloud_id: "cld_1",
      job_queue_id: "jq_1",
      archived_at: "2026-01-02T00:00:00Z",
    } as unknown as JobModel;
    const outputs = { ...observedJobOutputs(job, [{ id: "run_2", name: "r", status: "FAILED" }] as never, "tail", "no log"), jobId: "prodjob_1", submissionKey: "k" };
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(jobOutputsSchema.shape).sort());
    expect(jobOutputsSchema.safeParse(outputs).success).toBe(true);
  });

  test("JobQueue: a fully populated model", () => {
    const queue = {
      id: "jq_1",
      current_job_queue_state: "ACTIVE",
      execution_mode: "FIFO",
      max_concurrency: 1,
      idle_timeout_sec: 60,
      total_jobs: 3,
      active_jobs: 1,
      successful_jobs: 1,
      failed_jobs: 1,
      created_at: "2026-01-01T00:00:00Z",
      creator_id: "usr_1",
      project_id: "prj_1",
      cloud_id: "cld_1",
      compute_config_id: "cpt_1",
      current_cluster_state: "Running",
    } as JobQueueModel;
    const outputs = observedQueueOutputs(queue);
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(jobQueueOutputsSchema.shape).sort());
    expect(jobQueueOutputsSchema.safeParse(outputs).success).toBe(true);
  });
});
