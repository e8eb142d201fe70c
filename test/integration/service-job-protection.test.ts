// Protection tests against the local plane for seed fields that work today and must keep working:
// registryLoginSecret and rayVersion (Service and Job), Job requirements / pyModules / pyExecutable /
// excludes, Service connections (name → id), loggingConfig, and max_surge_percent on an automatic
// rollback. Each reads back what reached the plane (request bodies, builds, the job's own run).
import * as fs from "node:fs";
import * as path from "node:path";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { requestsDuring, type LoggedRequest } from "../helpers/wire-compare";
import { SERVICE_APP_DIR, scratchDir, uniqueName } from "../helpers/cli-fixtures";

jest.setTimeout(120_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const serviceProvider = require("../../provider/service/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider = require("../../provider/job/dynamic");

type Props = Record<string, any>;

let plane: TestPlane;

beforeAll(async () => {
  plane = await startTestPlane();
  for (const provider of [serviceProvider, jobProvider]) await configureFor(provider, plane, { pollIntervalMs: 20 });
});

afterAll(async () => {
  await plane?.stop();
});

const app = [{ name: "default", import_path: "main:app", route_prefix: "/" }];
const IMAGE = "docker.io/example/serve-app:1.2.3";

function body(requests: LoggedRequest[], method: string, pathPattern: RegExp): any {
  const found = requests.filter((r) => r.method === method && pathPattern.test(r.path) && r.status < 300);
  expect(found).toHaveLength(1);
  return found[0].body;
}

const applyOf = (requests: LoggedRequest[]) => body(requests, "PUT", /^\/api\/v2\/services-v2\/apply$/);
const jobCreateOf = (requests: LoggedRequest[]) => body(requests, "POST", /^\/api\/v2\/decorated_ha_jobs\/create$/);

async function build(buildId: string): Promise<Props> {
  return (await api(plane).get(`/api/v2/builds/${buildId}`)).body.result;
}

async function failuresOf(provider: { check: Function }, news: Props): Promise<Array<{ property: string; reason: string }>> {
  return (await provider.check({}, news)).failures ?? [];
}

describe("registryLoginSecret and rayVersion", () => {
  test("Service: both reach the image's build, and a new secret rolls out a new version", async () => {
    const name = uniqueName("protect-registry");
    const inputs = await checkedBy(serviceProvider, { name, applications: app, imageUri: IMAGE, registryLoginSecret: "registry-v1", rayVersion: "2.48.0" });
    let created!: { id: string; outs: Props };
    const first = await requestsDuring(plane, async () => (created = await serviceProvider.create(inputs)));
    const firstBuild = await build(applyOf(first).build_id);
    expect(firstBuild).toMatchObject({ docker_image_name: IMAGE, registry_login_secret: "registry-v1", ray_version: "2.48.0" });

    const news = await checkedBy(serviceProvider, { ...inputs, registryLoginSecret: "registry-v2" }, inputs);
    expect(await serviceProvider.diff(created.id, created.outs, news)).toMatchObject({ changes: true, replaces: [] });
    let updated!: { outs: Props };
    const second = await requestsDuring(plane, async () => (updated = await serviceProvider.update(created.id, created.outs, news)));
    expect(applyOf(second).rollout_strategy).toBe("ROLLOUT");
    expect(await build(applyOf(second).build_id)).toMatchObject({ registry_login_secret: "registry-v2", ray_version: "2.48.0" });
    expect(updated.outs.primaryVersion.id).not.toBe(created.outs.primaryVersion.id);
  });

  test("Job: both reach the image's build", async () => {
    const inputs = await checkedBy(jobProvider, {
      name: uniqueName("protect-job-registry"),
      entrypoint: "python3 -c 'print(1)'",
      imageUri: IMAGE,
      registryLoginSecret: "registry-job",
      rayVersion: "2.47.1",
      waitFor: "submitted",
    });
    const requests = await requestsDuring(plane, () => jobProvider.create(inputs));
    expect(await build(jobCreateOf(requests).config.build_id)).toMatchObject({ docker_image_name: IMAGE, registry_login_secret: "registry-job", ray_version: "2.47.1" });
  });

  test("check refuses them without an image, naming the field and calling nothing", async () => {
    const requests = await requestsDuring(plane, async () => {
      expect(await failuresOf(serviceProvider, { name: "x", applications: app, registryLoginSecret: "s" })).toEqual([expect.objectContaining({ property: "registryLoginSecret" })]);
      expect(await failuresOf(serviceProvider, { name: "x", applications: app, rayVersion: "2.48.0" })).toEqual([expect.objectContaining({ property: "rayVersion" })]);
      expect(await failuresOf(jobProvider, { entrypoint: "true", registryLoginSecret: "s" })).toEqual([expect.objectContaining({ property: "registryLoginSecret" })]);
      expect(await failuresOf(jobProvider, { entrypoint: "true", rayVersion: "2.48.0" })).toEqual([expect.objectContaining({ property: "rayVersion" })]);
      expect(await failuresOf(jobProvider, { entrypoint: "true", imageUri: IMAGE, rayVersion: "2.48" })).toEqual([expect.objectContaining({ property: "rayVersion" })]);
    });
    expect(requests.filter((r) => r.path.startsWith("/api/") || r.path.startsWith("/ext/"))).toEqual([]);
  });
});

describe("Job requirements, pyModules, pyExecutable and excludes", () => {
  let workDir: string;
  let moduleDir: string;
  let requirementsFile: string;

  beforeAll(() => {
    const root = scratchDir("protect-job-");
    workDir = path.join(root, "app");
    fs.mkdirSync(workDir);
    // The run fails if the excluded file was uploaded, or if the module is not importable.
    fs.writeFileSync(
      path.join(workDir, "main.py"),
      ["import os, job_helpers", "assert not os.path.exists('notes.log'), 'an excluded file was uploaded'", "print('helper value', job_helpers.VALUE)", ""].join("\n"),
    );
    fs.writeFileSync(path.join(workDir, "notes.log"), "must not be uploaded\n");
    moduleDir = path.join(root, "job_helpers");
    fs.mkdirSync(moduleDir);
    fs.writeFileSync(path.join(moduleDir, "__init__.py"), "VALUE = 42\n");
    requirementsFile = path.join(root, "requirements.txt");
    fs.writeFileSync(requirementsFile, "# pinned\nemoji==2.14.1\n\nrequests==2.32.3\n");
  });

  test("a requirements file, py_modules, py_executable and excludes reach the job, and it runs with them", async () => {
    const inputs = await checkedBy(jobProvider, {
      name: uniqueName("protect-job-runtime"),
      entrypoint: "python3 main.py",
      workingDir: workDir,
      requirements: requirementsFile,
      pyModules: [moduleDir],
      pyExecutable: "python3",
      excludes: ["*.log"],
      waitFor: "succeeded",
    });
    let created!: { id: string; outs: Props };
    const requests = await requestsDuring(plane, async () => (created = await jobProvider.create(inputs)));
    const runtimeEnv = jobCreateOf(requests).config.runtime_env;
    expect(runtimeEnv).toMatchObject({
      pip: ["emoji==2.14.1", "requests==2.32.3"],
      py_executable: "python3",
      excludes: ["*.log"],
      user_provided_py_modules: [moduleDir],
    });
    expect(runtimeEnv.py_modules).toEqual([expect.stringMatching(/pkg_[0-9a-f]{32}\.zip$/)]);
    expect(created.outs.state).toBe("SUCCEEDED");
  });

  test("requirements as a list are sent as given", async () => {
    const inputs = await checkedBy(jobProvider, { name: uniqueName("protect-job-pip"), entrypoint: "true", requirements: ["emoji==2.14.1"], waitFor: "submitted" });
    const requests = await requestsDuring(plane, () => jobProvider.create(inputs));
    expect(jobCreateOf(requests).config.runtime_env).toEqual({ pip: ["emoji==2.14.1"] });
  });

  test("a missing requirements file or module directory is refused by check, naming the field", async () => {
    expect(await failuresOf(jobProvider, { entrypoint: "true", requirements: path.join(workDir, "nope.txt") })).toEqual([expect.objectContaining({ property: "requirements" })]);
    expect(await failuresOf(jobProvider, { entrypoint: "true", pyModules: [path.join(workDir, "nope")] })).toEqual([expect.objectContaining({ property: "pyModules[0]" })]);
  });
});

describe("Service connections: name → id", () => {
  test("a connected Databricks connection is sent by its user connection id", async () => {
    const inputs = await checkedBy(serviceProvider, { name: uniqueName("protect-conn"), applications: app, connections: [{ type: "databricks", name: "local-databricks" }] });
    const requests = await requestsDuring(plane, () => serviceProvider.create(inputs));
    expect(applyOf(requests).connection_ids).toEqual(["dbxconn_local_user"]);
  });

  test.each([
    ["not connected", "local-databricks-unconnected", /connections\[0\]\.name: you are not connected to 'local-databricks-unconnected'/],
    ["unknown", "no-such-connection", /connections\[0\]\.name: no databricks connection named 'no-such-connection' exists/],
  ])("a connection that is %s fails before anything is deployed", async (_label, connection, message) => {
    const name = uniqueName("protect-conn-bad");
    const inputs = await checkedBy(serviceProvider, { name, applications: app, connections: [{ type: "databricks", name: connection }] });
    let failure: Error | undefined;
    const requests = await requestsDuring(plane, async () => {
      failure = await serviceProvider.create(inputs).then(
        () => undefined,
        (error: Error) => error,
      );
    });
    expect(failure?.message).toMatch(message);
    expect(requests.filter((r) => r.path === "/api/v2/services-v2/apply")).toEqual([]);
  });
});

describe("loggingConfig", () => {
  test("is sent in ray_serve_config, and a change rolls out a version carrying the new one", async () => {
    const inputs = await checkedBy(serviceProvider, {
      name: uniqueName("protect-logging"),
      applications: app,
      workingDir: SERVICE_APP_DIR,
      loggingConfig: { encoding: "JSON", log_level: "INFO", enable_access_log: true },
    });
    let created!: { id: string; outs: Props };
    const first = await requestsDuring(plane, async () => (created = await serviceProvider.create(inputs)));
    expect(applyOf(first).ray_serve_config.logging_config).toEqual({ encoding: "JSON", log_level: "INFO", enable_access_log: true });

    const news = await checkedBy(serviceProvider, { ...inputs, loggingConfig: { encoding: "TEXT", log_level: "DEBUG" } }, inputs);
    expect(await serviceProvider.diff(created.id, created.outs, news)).toMatchObject({ changes: true, replaces: [] });
    const second = await requestsDuring(plane, () => serviceProvider.update(created.id, created.outs, news));
    expect(applyOf(second)).toMatchObject({ rollout_strategy: "ROLLOUT", ray_serve_config: { logging_config: { encoding: "TEXT", log_level: "DEBUG" } } });
    const live = (await api(plane).get(`/api/v2/services-v2/${created.id}`)).body.result;
    expect(live.primary_version.ray_serve_config.logging_config).toEqual({ encoding: "TEXT", log_level: "DEBUG" });
  });
});

describe("max_surge_percent on an automatic rollback", () => {
  let slowPlane: TestPlane;

  beforeAll(async () => {
    // New versions take seconds to start here, so a 1 ms update timeout always expires mid-rollout.
    slowPlane = await startTestPlane({ startupMs: 1500 });
    await configureFor(serviceProvider, slowPlane, { pollIntervalMs: 20 });
  });

  afterAll(async () => {
    await configureFor(serviceProvider, plane, { pollIntervalMs: 20 });
    await slowPlane?.stop();
  });

  test("the rollback carries the rollout's maxSurgePercent, as `service rollback --max-surge-percent` does", async () => {
    const inputs = await checkedBy(serviceProvider, { name: uniqueName("protect-surge"), applications: app });
    const created = await serviceProvider.create(inputs);
    const news = await checkedBy(
      serviceProvider,
      { ...inputs, applications: [{ ...app[0], import_path: "main:v2" }], rollout: { autoRollback: true, maxSurgePercent: 40 }, timeouts: { update: "1ms" } },
      inputs,
    );
    const requests = await requestsDuring(slowPlane, () => serviceProvider.update(created.id, created.outs, news).catch(() => undefined));
    expect(applyOf(requests).max_surge_percent).toBe(40);
    expect(body(requests, "POST", /\/rollback$/)).toEqual({ max_surge_percent: 40 });
    const live = (await api(slowPlane).get(`/api/v2/services-v2/${created.id}`)).body.result;
    expect(live.canary_version ?? null).toBeNull();
  });
});
