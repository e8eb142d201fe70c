// Every Job input round-trips against the local plane. The field list is read from the Job's zod
// schema (provider/job/schema.ts), so a field added there without a row in FIELD_CASES fails this test.
// For each field: changed alone on a live job, it reaches the platform (the plane's job, build,
// compute config or tags show the new value) or, for provider settings, it is recorded in state and
// takes effect; the diff says how (replace = a new submission, in place); and read reports it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SUBMISSION_KEY_TAG } from "../../provider/core/reserved-tags";
import { jobInputsSchema, jobQueueInputSchema, jobQueueSpecInputSchema } from "../../provider/job/schema";
import { api, withLocalPlane } from "../helpers/local-plane";
import { checked, configureFor, scope, type ProviderModule } from "./job-helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: ProviderModule = require("../../provider/job/dynamic");

jest.setTimeout(120_000);

const plane = withLocalPlane();
type Inputs = Record<string, any>;

/** What the plane shows for one job: the decorated job, its build, its compute config and its tags. */
interface Live {
  job: any;
  build: any;
  computeConfig: any;
  tags: Record<string, string>;
}

interface Observed {
  id: string;
  /** The job before the change (for "a new submission" and "the same job" checks). */
  before: { id: string; outs: Inputs };
  outs: Inputs;
  live: Live;
}

interface FieldCase {
  /** Inputs the field needs in both runs (e.g. registryLoginSecret needs imageUri). */
  base?: Inputs;
  /** The first run's value; absent means unset. */
  from?: unknown;
  to: unknown;
  /** replace: a new job is submitted; inPlace: the live job is updated; identity: see the row's reason. */
  change: "replace" | "inPlace" | "identity";
  /** The field's new value as the plane (or, for provider settings, the state and its effect) shows it. */
  reaches(observed: Observed): Promise<void> | void;
}

const dirs = fs.mkdtempSync(path.join(os.tmpdir(), "job-round-trip-"));
function dir(name: string, files: Record<string, string>): string {
  const target = path.join(dirs, name);
  fs.mkdirSync(target, { recursive: true });
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(target, file), content);
  return target;
}
function file(name: string, content: string): string {
  fs.writeFileSync(path.join(dirs, name), content);
  return path.join(dirs, name);
}

const appA = dir("app-a", { "marker-a.txt": "a" });
const appB = dir("app-b", { "marker-b.txt": "b" });
const appWithExtras = dir("app-extras", { "keep.txt": "k", "drop.txt": "d" });
const pyModule = dir("modules/rtmod", { "__init__.py": "VALUE = 1\n" });
const containerfileA = file("Containerfile.a", "FROM anyscale/ray:2.40.0-py311\nRUN echo a\n");
const containerfileB = file("Containerfile.b", "FROM anyscale/ray:2.40.0-py311\nRUN echo b\n");
let projectId = "";
let defaultCloudId = "";

const BASE: Inputs = { entrypoint: "echo one; echo two", maxRetries: 0 };

const FIELD_CASES: Record<string, FieldCase> = {
  name: { to: "rt-named-job", change: "replace", reaches: ({ live }) => expect(live.job.name).toBe("rt-named-job") },
  entrypoint: { to: "echo changed", change: "replace", reaches: ({ live, outs }) => {
    expect(live.job.config.entrypoint).toBe("echo changed");
    expect(outs.logTail).toBe("changed");
  } },
  imageUri: { to: "docker.io/library/python:3.11-slim", change: "replace", reaches: ({ live }) => expect(live.build.docker_image_name).toBe("docker.io/library/python:3.11-slim") },
  containerfile: { from: containerfileA, to: containerfileB, change: "replace", reaches: ({ live }) => expect(live.build.containerfile).toBe(fs.readFileSync(containerfileB, "utf8")) },
  computeConfig: { to: { head_node: { instance_type: "m5.xlarge" } }, change: "replace", reaches: ({ live }) => expect(live.computeConfig.config.head_node_type.instance_type).toBe("m5.xlarge") },
  workingDir: { base: { entrypoint: "ls" }, from: appA, to: appB, change: "replace", reaches: ({ live, outs }) => {
    expect(live.job.config.runtime_env.user_provided_working_dir).toBe(appB);
    expect(outs.logTail).toBe("marker-b.txt");
  } },
  excludes: { base: { entrypoint: "ls", workingDir: appWithExtras }, to: ["drop.txt"], change: "replace", reaches: ({ live, outs }) => {
    expect(live.job.config.runtime_env.excludes).toEqual(["drop.txt"]);
    expect(outs.logTail).toBe("keep.txt");
  } },
  requirements: { to: ["requests==2.32.3"], change: "replace", reaches: ({ live }) => expect(live.job.config.runtime_env.pip).toEqual(["requests==2.32.3"]) },
  envVars: { base: { entrypoint: 'echo "A=$A"' }, from: { A: "1" }, to: { A: "2" }, change: "replace", reaches: ({ live, outs }) => {
    expect(live.job.config.runtime_env.env_vars).toEqual({ A: "2" });
    expect(outs.logTail).toBe("A=2");
  } },
  pyModules: { base: { entrypoint: "python3 -c 'import importlib.util as u; print(u.find_spec(\"rtmod\") is not None)'" }, to: [pyModule], change: "replace", reaches: ({ live, outs }) => {
    expect(live.job.config.runtime_env.user_provided_py_modules).toEqual([pyModule]);
    expect(live.job.config.runtime_env.py_modules).toEqual([expect.stringMatching(/\.zip$/)]);
    expect(outs.logTail).toBe("True");
  } },
  pyExecutable: { to: "python3", change: "replace", reaches: ({ live }) => expect(live.job.config.runtime_env.py_executable).toBe("python3") },
  // The plane has one cloud: naming it explicitly still resolves and sends its id.
  cloud: { to: "anyscale_v2_default_cloud", change: "replace", reaches: ({ live }) => expect(live.job.cloud_id).toBe(defaultCloudId) },
  project: { to: "rt-project", change: "replace", reaches: ({ live }) => expect(live.job.project_id).toBe(projectId) },
  registryLoginSecret: { base: { imageUri: "docker.io/library/python:3.12-slim" }, to: "rt-login-secret", change: "replace", reaches: ({ live }) => {
    expect(live.build.docker_image_name).toBe("docker.io/library/python:3.12-slim");
    expect(live.build.registry_login_secret).toBe("rt-login-secret");
  } },
  // With a containerfile, a new Ray version is a new build, never the old build reused.
  rayVersion: { base: { containerfile: containerfileA }, from: "2.40.0", to: "2.41.0", change: "replace", reaches: ({ live, before }) => {
    expect(live.build.ray_version).toBe("2.41.0");
    expect(live.job.config.build_id).not.toBe(before.outs.__buildId);
  } },
  connections: { to: [{ type: "DATABRICKS", name: "local-databricks" }], change: "replace", reaches: async ({ live }) => {
    expect(live.job.config.connection_ids).toEqual([expect.any(String)]);
    const connection = (await api(plane()).get(`/api/v2/integrations/connections/databricks/${live.job.config.connection_ids[0]}`)).body.result;
    expect(connection.name).toBe("local-databricks");
  } },
  maxRetries: { from: 0, to: 2, change: "replace", reaches: ({ live }) => expect(live.job.config.max_retries).toBe(2) },
  timeoutS: { to: 300, change: "replace", reaches: ({ live }) => expect(live.job.config.timeout_s).toBe(300) },
  priority: { to: 7, change: "replace", reaches: ({ live }) => expect(live.job.config.priority).toBe(7) },
  tags: { from: { team: "a" }, to: { team: "b" }, change: "inPlace", reaches: ({ live }) => expect(live.tags).toMatchObject({ team: "b" }) },
  // Set by the resource class from which envVars are secret: the log tail is read again, masked.
  secretEnvVarNames: { base: { entrypoint: 'echo "v=$API_VALUE"', envVars: { API_VALUE: "visible-value-123" } }, to: ["API_VALUE"], change: "inPlace", reaches: ({ outs }) => {
    expect(outs.logTail).toBe("v=[REDACTED]");
  } },
  jobQueue: { to: { jobQueueSpec: { name: "rt-queue", idleTimeoutS: 60 } }, change: "replace", reaches: async ({ live }) => {
    expect(live.job.job_queue_id).toEqual(expect.any(String));
    const queue = (await api(plane()).get(`/api/v2/job_queues/${live.job.job_queue_id}`)).body.result;
    expect(queue).toMatchObject({ name: "rt-queue", idle_timeout_sec: 60 });
  } },
  // Provider settings: recorded in state, with no new submission, and in effect.
  waitFor: { from: "succeeded", to: "submitted", change: "inPlace", reaches: ({ outs }) => expect(outs.waitFor).toBe("submitted") },
  triggers: { from: ["v1"], to: ["v2"], change: "replace", reaches: ({ live, before }) => {
    expect(live.job.id).not.toBe(before.id);
    expect(live.job.state.current_state).toBe("SUCCESS");
  } },
  deletionPolicy: { from: "archive", to: "keep", change: "inPlace", reaches: async ({ id, outs }) => {
    expect(outs.deletionPolicy).toBe("keep");
    await jobProvider.delete(id, outs);
    const after = (await api(plane()).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result;
    expect(after.archived_at ?? null).toBeNull();
  } },
  logLines: { from: 20, to: 1, change: "inPlace", reaches: ({ outs }) => expect(outs.logTail).toBe("two") },
  timeouts: { from: { delete: "10m" }, to: { delete: "45m" }, change: "inPlace", reaches: ({ outs }) => expect(outs.timeouts).toEqual({ delete: "45m" }) },
  // The resource's identity (set by the resource class from the URN, never by the user): it keys the
  // submission at create, and a scope change alone (an alias, the job named explicitly) keeps the job,
  // which its submission tag still finds. Without a name, the default name derives from it: a replace.
  submissionScope: { base: { name: "rt-scoped" }, to: "it-project/it-stack/renamed", change: "identity", reaches: ({ live, outs }) => {
    expect(live.tags[SUBMISSION_KEY_TAG]).toBe(outs.submissionKey);
  } },
};

/**
 * The fields inside `jobQueue` and its `jobQueueSpec`, each changed alone (dotted paths; the rows are
 * read from those zod objects too). A spec without a name makes a new queue per job, so the job's
 * queue shows the spec it was submitted with.
 */
const SPEC = "jobQueue.jobQueueSpec";
let queueComputeConfigId = "";
const targetQueues: Record<string, string> = {};
const queueOf = async (live: Live) => (await api(plane()).get(`/api/v2/job_queues/${live.job.job_queue_id}`)).body.result;
const specBase = { jobQueue: { jobQueueSpec: { idleTimeoutS: 60 } } };
const NESTED_CASES: Record<string, FieldCase> = {
  [`${SPEC}.name`]: { base: specBase, to: "rt-spec-name", change: "replace", reaches: async ({ live }) => expect((await queueOf(live)).name).toBe("rt-spec-name") },
  [`${SPEC}.executionMode`]: { base: specBase, to: "LIFO", change: "replace", reaches: async ({ live }) => expect((await queueOf(live)).execution_mode).toBe("LIFO") },
  [`${SPEC}.computeConfig`]: { base: specBase, to: "rt-queue-cc:1", change: "replace", reaches: async ({ live }) => expect((await queueOf(live)).compute_config_id).toBe(queueComputeConfigId) },
  [`${SPEC}.maxConcurrency`]: { base: specBase, from: 1, to: 3, change: "replace", reaches: async ({ live }) => expect((await queueOf(live)).max_concurrency).toBe(3) },
  [`${SPEC}.idleTimeoutS`]: { base: specBase, from: 60, to: 120, change: "replace", reaches: async ({ live }) => expect((await queueOf(live)).idle_timeout_sec).toBe(120) },
  [`${SPEC}.autoTerminationThresholdJobCount`]: { base: specBase, to: 5, change: "replace", reaches: async ({ live }) => expect((await queueOf(live)).auto_termination_threshold_job_count).toBe(5) },
  "jobQueue.jobQueueSpec": { base: specBase, to: { idleTimeoutS: 60, name: "rt-whole-spec" }, change: "replace", reaches: async ({ live }) => expect((await queueOf(live)).name).toBe("rt-whole-spec") },
  "jobQueue.priority": { base: { jobQueue: { jobQueueSpec: { idleTimeoutS: 60, executionMode: "PRIORITY" } } }, from: 1, to: 5, change: "replace", reaches: async ({ id }) => {
    expect((await api(plane()).get(`/ext/v0/production_jobs/${id}`)).body.result.job_queue_config.priority).toBe(5);
  } },
  "jobQueue.targetJobQueueName": { base: { jobQueue: {} }, from: "rt-target-a", to: "rt-target-b", change: "replace", reaches: ({ live }) => expect(live.job.job_queue_id).toBe(targetQueues["rt-target-b"]) },
  "jobQueue.targetJobQueueId": { base: { jobQueue: {} }, from: "@rt-target-a", to: "@rt-target-b", change: "replace", reaches: ({ live }) => expect(live.job.job_queue_id).toBe(targetQueues["rt-target-b"]) },
  // Copied from a JobQueue object by the resource class, only so check can judge a priority: a queue
  // given by id is that id alone (it may be unknown in preview), so a change of the copy is no diff.
  "jobQueue.targetJobQueueExecutionMode": { base: { jobQueue: { targetJobQueueId: "@rt-target-a" } }, from: "FIFO", to: "LIFO", change: "identity", reaches: ({ live }) => {
    expect(live.job.job_queue_id).toBe(targetQueues["rt-target-a"]);
  } },
};

/** `@name` stands for the id of a queue made in beforeAll (known only then). */
function resolved(value: unknown): unknown {
  return typeof value === "string" && value.startsWith("@") ? targetQueues[value.slice(1)] : value;
}

function resolvedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolvedDeep);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolvedDeep(inner)]));
  return resolved(value);
}

function withPath(inputs: Inputs, dotted: string, value: unknown): Inputs {
  const copy = structuredClone(inputs);
  const parts = dotted.split(".");
  let at: Inputs = copy;
  for (const part of parts.slice(0, -1)) at = at[part] ??= {};
  at[parts.at(-1)!] = resolvedDeep(value);
  return copy;
}

function valueAt(inputs: Inputs | undefined, dotted: string): unknown {
  return dotted.split(".").reduce<any>((at, part) => at?.[part], inputs);
}

async function liveOf(id: string): Promise<Live> {
  const job = (await api(plane()).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result;
  const build = (await api(plane()).get(`/ext/v0/cluster_environment_builds/${job.config.build_id}`)).body.result;
  const computeConfig = (await api(plane()).get(`/api/v2/compute_templates/${job.config.compute_config_id}`)).body.result;
  const tagList = (await api(plane()).get(`/api/v2/tags/resource?resource_type=job&resource_id=${id}`)).body.result.tags;
  return { job, build, computeConfig, tags: Object.fromEntries(tagList.map((t: { key: string; value: string }) => [t.key, t.value])) };
}

beforeAll(async () => {
  await configureFor(jobProvider, plane(), { pollIntervalMs: 20 });
  defaultCloudId = (await api(plane()).get("/ext/v0/clouds/default")).body.result.id;
  projectId = (await api(plane()).post("/ext/v0/projects", { name: "rt-project", parent_cloud_id: defaultCloudId })).body.result.id;
  queueComputeConfigId = (await api(plane()).post("/api/v2/compute_templates", { name: "rt-queue-cc", config: { cloud_id: defaultCloudId, head_node_type: { name: "head", instance_type: "m5.large" } } })).body.result.id;
  for (const name of ["rt-target-a", "rt-target-b"]) {
    const inputs = await checked(jobProvider, { ...BASE, submissionScope: scope(name), jobQueue: { jobQueueSpec: { name, idleTimeoutS: 600 } } });
    const { id } = await jobProvider.create(inputs);
    targetQueues[name] = (await api(plane()).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result.job_queue_id;
  }
});

async function roundTrip(field: string, row: FieldCase): Promise<void> {
  const base: Inputs = { ...BASE, ...(resolvedDeep(row.base ?? {}) as Inputs), submissionScope: scope(`rt-${field}`) };
  const first = row.from === undefined ? base : withPath(base, field, row.from);
  const firstInputs = await checked(jobProvider, first);
  const created = await jobProvider.create(firstInputs);
  const before = { id: created.id, outs: { ...created.outs!, __buildId: (await liveOf(created.id)).job.config.build_id } };

  const second = await checked(jobProvider, withPath(first, field, row.to), created.outs);
  const diff = await jobProvider.diff(created.id, created.outs!, second);
  const topField = field.split(".")[0];
  let id = created.id;
  let outs: Inputs;
  if (row.change === "replace") {
    expect(diff).toMatchObject({ changes: true, replaces: expect.arrayContaining([topField]) });
    const replacement = await jobProvider.create(second);
    expect(replacement.id).not.toBe(created.id);
    id = replacement.id;
    outs = replacement.outs!;
  } else if (row.change === "inPlace") {
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    outs = (await jobProvider.update(created.id, created.outs!, second)).outs!;
  } else {
    expect(diff.changes).toBe(false);
    outs = created.outs!;
  }
  await row.reaches({ id, before, outs, live: await liveOf(id) });

  if (row.change !== "identity") {
    expect(valueAt(outs, field)).toEqual(valueAt(second, field));
    const read = await jobProvider.read(id, outs);
    expect(valueAt(read.props, field)).toEqual(valueAt(second, field));
  }
}

/** Every key of the Job's schema and of the zod objects inside jobQueue, as dotted paths. */
const NESTED_KEYS = [
  ...Object.keys(jobQueueInputSchema.shape).map((key) => `jobQueue.${key}`),
  ...Object.keys(jobQueueSpecInputSchema.shape).map((key) => `${SPEC}.${key}`),
];

describe("every Job input round-trips", () => {
  it("has a row for every key of the Job's schema, and none for a key it does not have", () => {
    expect(Object.keys(FIELD_CASES).sort()).toEqual(Object.keys(jobInputsSchema.shape).sort());
    expect(Object.keys(NESTED_CASES).sort()).toEqual([...NESTED_KEYS].sort());
  });

  it.each(NESTED_KEYS)("%s: changed alone, it reaches the platform and read reports it", async (field) => {
    const row = NESTED_CASES[field];
    if (!row) throw new Error(`no round-trip row for the Job input '${field}': add one to NESTED_CASES`);
    await roundTrip(field, row);
  });

  it.each(Object.keys(jobInputsSchema.shape))("%s: changed alone, it reaches the platform (or takes effect) and read reports it", async (field) => {
    const row = FIELD_CASES[field];
    if (!row) throw new Error(`no round-trip row for the Job input '${field}': add one to FIELD_CASES`);
    await roundTrip(field, row);
  });
});
