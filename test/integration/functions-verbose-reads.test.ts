// Verbose reads (the `-v` of `service status` / `job status`), the service's project name and the
// UNKNOWN state filter, against the local control plane; each version's config and JobStatus.config
// are compared with what the official SDK's status shows for the same objects.
import * as fs from "node:fs";
import * as path from "node:path";
import { AnyscaleClient } from "../../provider/anyscale/client";
import type { FunctionContext } from "../../provider/functions/scope";
import { getService, listServices } from "../../provider/functions/services";
import { getJob, listJobs } from "../../provider/functions/jobs";
import { configureFor } from "../helpers/provider-driver";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { runAnyscalePython } from "../helpers/anyscale-cli";
import { JOB_APP_DIR, SERVICE_APP_DIR, scratchDir, uniqueName } from "../helpers/cli-fixtures";

jest.setTimeout(180_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const serviceProvider = require("../../provider/service/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider = require("../../provider/job/dynamic");

let plane: TestPlane;
let context: FunctionContext;
let workDir: string;

const IMAGE = "docker.io/example/serve-app:1.2.3";
const INLINE_COMPUTE_CONFIG = {
  cloud: "anyscale_v2_default_cloud",
  head_node: { instance_type: "m5.xlarge" },
  worker_nodes: [{ instance_type: "m5.2xlarge", min_nodes: 0, max_nodes: 2, market_type: "PREFER_SPOT" }],
};

beforeAll(async () => {
  plane = await startTestPlane();
  workDir = scratchDir("verbose-reads-");
  context = { client: new AnyscaleClient({ host: plane.url, token: plane.token }) };
  for (const provider of [serviceProvider, jobProvider]) await configureFor(provider, plane, { pollIntervalMs: 20 });
});

afterAll(async () => {
  await plane?.stop();
});

/** snake_case keys → camelCase, at the top level only (nested configs stay as the SDK writes them). */
function camelTop(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}

function camelNested(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return camelTop(value as Record<string, unknown>);
}

async function officialStatus(script: string): Promise<any> {
  const run = await runAnyscalePython(plane, `import anyscale, json\n${script}`, { timeoutMs: 120_000 });
  if (run.code !== 0) throw new Error(`official SDK failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

describe("getService({ verbose: true })", () => {
  const name = uniqueName("verbose-svc");
  let status: Awaited<ReturnType<typeof getService>>;

  beforeAll(async () => {
    const checked = await serviceProvider.check(
      {},
      {
        name,
        versionName: "v1",
        imageUri: IMAGE,
        registryLoginSecret: "registry-credentials",
        computeConfig: INLINE_COMPUTE_CONFIG,
        workingDir: SERVICE_APP_DIR,
        connections: [{ type: "databricks", name: "local-databricks" }],
        httpOptions: { request_timeout_s: 30 },
        grpcOptions: { grpc_servicer_functions: ["protos.greeter_pb2_grpc.add_GreeterServicer_to_server"] },
        loggingConfig: { encoding: "JSON", log_level: "DEBUG" },
        tracingConfig: { enabled: true, exporterImportPath: "tracing:exporter", samplingRatio: 0.25 },
        rayGcsExternalStorageConfig: { enabled: true, address: "redis.internal:6379", certificatePath: "/etc/ssl/redis.pem" },
        applications: [{ name: "greeter", import_path: "main:app", route_prefix: "/" }],
      },
    );
    expect(checked.failures ?? []).toEqual([]);
    await serviceProvider.create(checked.inputs);
    status = await getService(context, { name, verbose: true });
  });

  test("each version carries its config, with ids read back as names", () => {
    const config = status.primaryVersion!.config!;
    expect(config).toMatchObject({
      name,
      versionName: "v1",
      imageUri: IMAGE,
      registryLoginSecret: "registry-credentials",
      cloud: "anyscale_v2_default_cloud",
      project: "default",
      connections: [{ type: "databricks", name: "local-databricks" }],
      queryAuthTokenEnabled: true,
      httpOptions: { request_timeout_s: 30 },
      loggingConfig: { encoding: "JSON", log_level: "DEBUG" },
      tracingConfig: { enabled: true, exporterImportPath: "tracing:exporter", samplingRatio: 0.25 },
      rayGcsExternalStorageConfig: { enabled: true, address: "redis.internal:6379", certificatePath: "/etc/ssl/redis.pem" },
    });
    expect(config.computeConfig).toMatchObject({
      cloud: "anyscale_v2_default_cloud",
      head_node: { instance_type: "m5.xlarge" },
      worker_nodes: [{ instance_type: "m5.2xlarge", min_nodes: 0, max_nodes: 2, market_type: "PREFER_SPOT" }],
    });
    expect(status.versions.map((version) => version.config?.versionName)).toEqual(["v1"]);
    expect(status.primaryVersion).toMatchObject({ name: "v1", state: "RUNNING", weight: 100, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  test("the service's project name is reported, verbose or not", async () => {
    expect(status.project).toBe("default");
    const plain = await getService(context, { name });
    expect(plain.project).toBe("default");
    expect(plain.primaryVersion!.config).toBeUndefined();
  });

  test("the config matches what the official SDK's status shows, field by field", async () => {
    const official = await officialStatus(`print(json.dumps(anyscale.service.status(name=${JSON.stringify(name)}).primary_version.config.to_dict(), default=str))`);
    const ours = { ...status.primaryVersion!.config! } as Record<string, unknown>;
    // The SDK leaves the project out when it is "default"; we always name it.
    expect(ours.project).toBe("default");
    delete ours.project;
    const expected = camelTop(official);
    expected.tracingConfig = camelNested(expected.tracingConfig);
    expected.rayGcsExternalStorageConfig = camelNested(expected.rayGcsExternalStorageConfig);
    expected.connections = (expected.connections as Array<{ type: string; name: string }>).map((c) => ({ type: c.type.toLowerCase(), name: c.name }));
    expect(ours).toEqual(expected);
  });

  test("listServices carries the same configs", async () => {
    const { services } = await listServices(context, { name, verbose: true });
    expect(services).toHaveLength(1);
    expect(services[0].primaryVersion!.config).toEqual(status.primaryVersion!.config);
    expect(services[0].project).toBe("default");
  });
});

describe("listServices({ states: ['UNKNOWN'] })", () => {
  const prefix = uniqueName("unknown-state");
  const odd = `${prefix}-odd`;
  const plain = `${prefix}-plain`;

  beforeAll(async () => {
    for (const name of [odd, plain]) {
      const checked = await serviceProvider.check({}, { name, applications: [{ import_path: "main:app" }], workingDir: SERVICE_APP_DIR });
      await serviceProvider.create(checked.inputs);
    }
    // The plane reports one of them in a state newer than this provider (and the official SDK) knows.
    await api(plane).post(`/_local/services/${odd}/reported-state`, { state: "AWAITING_CAPACITY" });
  });

  test("finds the services in a state this provider does not know, reported as UNKNOWN", async () => {
    await api(plane).del("/_local/requests");
    const { services } = await listServices(context, { name: prefix, states: ["UNKNOWN"] });
    expect(services.map((service) => [service.name, service.state])).toEqual([[odd, "UNKNOWN"]]);
    // UNKNOWN is no backend state (the plane, like the platform, would refuse it): nothing was sent.
    const lists = (await api(plane).get("/_local/requests")).body.filter((r: any) => r.path === "/api/v2/services-v2/");
    expect(lists.length).toBeGreaterThan(0);
    for (const request of lists) expect(request.query.state_filter).toBeUndefined();
    expect((await api(plane).get(`/api/v2/services-v2/?state_filter=UNKNOWN`)).status).toBe(422);
  });

  test("combines with known states, and maxItems counts matches only", async () => {
    const both = await listServices(context, { name: prefix, states: ["running", "UNKNOWN"] });
    expect(both.services.map((service) => service.name).sort()).toEqual([odd, plain].sort());
    const one = await listServices(context, { name: prefix, states: ["UNKNOWN"], maxItems: 1 });
    expect(one.services.map((service) => service.name)).toEqual([odd]);
  });

  test("the official SDK shows the same service as UNKNOWN", async () => {
    const official = await officialStatus(`print(json.dumps(str(anyscale.service.status(name=${JSON.stringify(odd)}).state)))`);
    expect(official).toBe("UNKNOWN");
  });
});

describe("getJob({ verbose: true }): JobStatus.config", () => {
  const name = uniqueName("verbose-job");
  let jobId: string;

  beforeAll(async () => {
    const moduleDir = path.join(workDir, "job_helpers");
    fs.mkdirSync(moduleDir);
    fs.writeFileSync(path.join(moduleDir, "__init__.py"), "");
    const checked = await jobProvider.check(
      {},
      {
        name,
        entrypoint: "python3 main.py",
        imageUri: IMAGE,
        registryLoginSecret: "registry-credentials",
        computeConfig: INLINE_COMPUTE_CONFIG,
        workingDir: JOB_APP_DIR,
        excludes: ["*.log"],
        requirements: ["emoji==2.14.1"],
        pyModules: [moduleDir],
        pyExecutable: "python3",
        envVars: { GREETING: "verbose" },
        maxRetries: 2,
        timeoutS: 600,
        waitFor: "submitted",
      },
    );
    expect(checked.failures ?? []).toEqual([]);
    jobId = (await jobProvider.create(checked.inputs)).id;
  });

  test("the config is complete, with ids read back as names", async () => {
    const status = await getJob(context, { id: jobId, verbose: true });
    expect(status.config).toMatchObject({
      name,
      entrypoint: "python3 main.py",
      requirements: ["emoji==2.14.1"],
      envVars: { GREETING: "verbose" },
      pyExecutable: "python3",
      excludes: ["*.log"],
      cloud: "anyscale_v2_default_cloud",
      project: "default",
      maxRetries: 2,
      timeoutS: 600,
    });
    expect(status.config!.workingDir).toMatch(/^s3:\/\/.*pkg_[0-9a-f]{32}\.zip$/);
    expect(status.config!.pyModules).toHaveLength(1);
    expect(status.config!.computeConfig).toMatchObject({ head_node: { instance_type: "m5.xlarge" } });
    expect((await getJob(context, { id: jobId })).config).toBeUndefined();
    const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    expect(status).toMatchObject({ id: jobId, name, creatorId: expect.stringMatching(/^usr_/), createdAt: iso, updatedAt: iso, statusUpdatedAt: iso });
  });

  test("it matches the official SDK's JobStatus.config, field by field", async () => {
    const ours = { ...(await getJob(context, { id: jobId, verbose: true })).config! } as Record<string, unknown>;
    const official = camelTop(await officialStatus(`print(json.dumps(anyscale.job.status(id=${JSON.stringify(jobId)}).config.to_dict(), default=str))`));
    // Ours also report what the SDK's JobConfig view leaves out: excludes and py_modules were sent, and are stored.
    expect(ours.excludes).toEqual(["*.log"]);
    delete ours.excludes;
    delete ours.pyModules;
    // The SDK leaves the project out when it is "default"; we always name it.
    delete ours.project;
    expect(ours).toEqual(official);
  });

  test("listJobs carries the same config", async () => {
    const { jobs } = await listJobs(context, { id: jobId, verbose: true });
    expect(jobs[0].config).toEqual((await getJob(context, { id: jobId, verbose: true })).config);
  });
});
