import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { stepsFor, type PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { rewriteYamlProgram, yamlProject, type YamlProgram } from "../helpers/native-plugin";
import { runAnyscaleCli, describeRun } from "../helpers/anyscale-cli";
import { serviceConfig } from "../helpers/cli-fixtures";
import { assertNoSecretsInState, resourcesOf } from "./state-checks";
import { ENV, infoLines, nonAdminRequests, requireYamlLanguageHost, TIMINGS, V1 } from "./native-support";
import { tearDownStacks } from "../helpers/e2e-teardown";

// The native plugin beyond one Service's life: a Job's progress and re-run, a queue's plan line, read
// functions as invokes (a verbose one as a secret), `pulumi import` of a CLI-deployed Service and of
// a Job and a JobQueue, and the engine's create timeout on a slow-starting service.

jest.setTimeout(20 * 60_000);

requireYamlLanguageHost();

describe("Job, import and timeouts through the native plugin", () => {
  let plane: TestPlane;
  const projects: PulumiProject[] = [];
  const track = (project: PulumiProject) => (projects.push(project), project);
  const options = () => ({ config: { "anyscale:host": plane.url }, secrets: { "anyscale:token": plane.token }, env: ENV });

  beforeAll(async () => {
    // Jobs take a moment to start, so a Job's create polls and reports progress (TIMINGS covers services).
    plane = await startTestPlane({ ...TIMINGS, jobStartupMs: 1500 });
  });

  afterAll(() => tearDownStacks(projects, plane));

  const ENV_VALUE = "native-env-value-5e1f";
  let jobId = "";
  let queueId = "";

  test("a Job create shows progress; a changed entrypoint previews as a re-run, a queue's idle timeout as in place", async () => {
    const jobProgram = (entrypoint: string, idleTimeoutS = 60): YamlProgram => ({
      resources: {
        queue: { type: "anyscale:JobQueue", properties: { name: "native-queue", idleTimeoutS, deletionPolicy: "delete" } },
        etl: { type: "anyscale:Job", properties: { name: "native-etl", entrypoint, waitFor: "running", deletionPolicy: "delete" } },
      },
      outputs: { jobId: "${etl.jobId}", queueId: "${queue.queueId}" },
    });
    const project = track(await yamlProject("native-job", jobProgram("python -c 'print(1)'"), options()));
    const up = await project.up();
    // Ephemeral status from the plugin while the job starts: its state, with the time spent.
    expect(up.stdout).toMatch(/etl creating \(\d+s\) .*job is .*\d+(ms|s)/);
    ({ jobId, queueId } = await project.outputs());
    await rewriteYamlProgram(project, "native-job", jobProgram("python -c 'print(2)'", 120));
    const preview = await project.preview();
    expect(infoLines(preview).sort()).toEqual(["in place: idleTimeoutS changed", "re-run: entrypoint changed; a new job is submitted"]);
    expect(stepsFor(preview, "queue").map((s) => s.op)).toEqual(["update"]);
    expect(stepsFor(preview, "etl").map((s) => s.op)).toEqual(["replace"]);
    expect(stepsFor(preview, "etl").find((s) => s.detailedDiff)?.detailedDiff).toEqual({ entrypoint: { kind: "update-replace", inputDiff: true } });
  });

  test("a service deployed by the official CLI imports with inputs that preview clean", async () => {
    const name = "native-imported";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "native-import-"));
    const file = path.join(dir, "service.yaml");
    // A distinctive env var value: the verbose read below must never show it in plaintext.
    fs.writeFileSync(file, stringify(serviceConfig(name, { env_vars: { STAGE: "contract", API_KEY: ENV_VALUE } })));
    const deployed = await runAnyscaleCli(plane, ["service", "deploy", "-f", file], { cwd: dir, timeoutMs: 120_000 });
    if (deployed.code !== 0) throw new Error(describeRun(["service", "deploy"], deployed));
    const found = (await api(plane).get(`/api/v2/services-v2/?name=${name}&count=10`)).body.results.find((s: { name: string }) => s.name === name);
    const project = track(await yamlProject("native-import", { resources: {} }, options()));
    await project.pulumi(["import", "anyscale:index:Service", "imported", found.id, "--yes", "--protect=false", "--generate-code=false", "--stack", project.stack]);
    const { deployment } = await project.exportStack();
    const imported = resourcesOf(deployment).find((r) => r.urn.endsWith("::imported"))!;
    expect(imported.id).toBe(found.id);
    expect(imported.inputs).toMatchObject({ name, applications: expect.any(Array) });
    // The program a user writes from the imported inputs: nothing to change right after.
    await rewriteYamlProgram(project, "native-import", {
      resources: { imported: { type: "anyscale:Service", properties: imported.inputs } },
    });
    await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    // Destroy leaves the CLI's service alone only if asked; here the stack owns it now.
  });

  test("read functions are engine invokes; a bad argument is named with no request", async () => {
    const invokeProgram = (args: Record<string, unknown>, list = true): YamlProgram => ({
      resources: {},
      variables: {
        found: { "fn::invoke": { function: "anyscale:index:getService", arguments: args } },
        ...(list ? { listed: { "fn::invoke": { function: "anyscale:index:listServices", arguments: { name: "native-imported" }, return: "services" } } } : {}),
      },
      outputs: { state: "${found.state}", name: "${found.name}", ...(list ? { count: "${listed}" } : {}) },
    });
    const project = track(await yamlProject("native-invoke", invokeProgram({ name: "native-imported" }), options()));
    await project.up();
    const outputs = await project.outputs({ showSecrets: true });
    expect(outputs).toMatchObject({ state: "RUNNING", name: "native-imported" });
    expect(outputs.count).toHaveLength(1);
    expect(JSON.stringify(outputs)).not.toMatch(/"(queryAuthToken|authToken|auth_token)"/);
    await rewriteYamlProgram(project, "native-invoke", invokeProgram({ name: "native-imported", id: "service2_x" }, false));
    await api(plane).del("/_local/requests");
    const preview = await project.preview({ allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/anyscale\.getService: invalid argument 'name': give either 'id' or 'name', not both/);
    expect(await nonAdminRequests(plane)).toEqual([]);
  });

  test("a verbose read through an invoke is a secret: no env var value in stack export, stack output or up", async () => {
    const project = track(
      await yamlProject(
        "native-verbose",
        {
          resources: {},
          variables: { found: { "fn::invoke": { function: "anyscale:index:getService", arguments: { name: "native-imported", verbose: true } } } },
          outputs: { service: "${found}", state: "${found.state}" },
        },
        options(),
      ),
    );
    const up = await project.up();
    expect(up.stdout + up.stderr).not.toContain(ENV_VALUE);
    // The value is there (the check below proves something), only as a secret.
    expect(JSON.stringify(await project.outputs({ showSecrets: true }))).toContain(ENV_VALUE);
    const shown = await project.pulumi(["stack", "output", "--json", "--stack", project.stack]);
    expect(shown.stdout).not.toContain(ENV_VALUE);
    expect(JSON.parse(shown.stdout)).toEqual({ service: "[secret]", state: "[secret]" });
    const text = await project.pulumi(["stack", "output", "service", "--stack", project.stack]);
    expect(text.stdout).not.toContain(ENV_VALUE);
    assertNoSecretsInState((await project.exportStack()).text, { "verbose env var value": ENV_VALUE, "Anyscale token": plane.token });
  });

  test("a Job and a JobQueue import with inputs that preview clean", async () => {
    expect(jobId).toMatch(/\S/);
    const project = track(await yamlProject("native-import-jobs", { resources: {} }, options()));
    await project.pulumi(["import", "anyscale:index:Job", "job", jobId, "--yes", "--protect=false", "--generate-code=false", "--stack", project.stack]);
    await project.pulumi(["import", "anyscale:index:JobQueue", "queue", queueId, "--yes", "--protect=false", "--generate-code=false", "--stack", project.stack]);
    const resources = resourcesOf((await project.exportStack()).deployment);
    const job = resources.find((r) => r.urn.endsWith("::job"))!;
    const queue = resources.find((r) => r.urn.endsWith("::queue"))!;
    expect([job.id, queue.id]).toEqual([jobId, queueId]);
    expect(job.inputs).toMatchObject({ name: "native-etl", entrypoint: "python -c 'print(1)'" });
    await rewriteYamlProgram(project, "native-import-jobs", {
      resources: {
        job: { type: "anyscale:Job", properties: job.inputs },
        queue: { type: "anyscale:JobQueue", properties: queue.inputs },
      },
    });
    await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack]);
    // Both stacks now manage them; only the first one removes them.
    await project.pulumi(["state", "delete", job.urn, "--yes", "--stack", project.stack]);
    await project.pulumi(["state", "delete", queue.urn, "--yes", "--stack", project.stack]);
  });

  test("a create timeout of a few seconds fails saying where the service was left, and records it", async () => {
    const slow = await startTestPlane({ startupMs: 20_000 });
    try {
      const name = "native-slow";
      const project = await yamlProject(
        "native-timeout",
        {
          resources: {
            slow: {
              type: "anyscale:Service",
              properties: { name, applications: [{ import_path: "main:app" }], imageUri: V1 },
              options: { customTimeouts: { create: "3s" } },
            },
          },
        },
        { config: { "anyscale:host": slow.url }, secrets: { "anyscale:token": slow.token }, env: ENV },
      );
      const up = await project.up({ allowFailure: true });
      expect(up.code).not.toBe(0);
      const text = up.stdout + up.stderr;
      expect(text).toMatch(/Timed out after 3s/);
      expect(text).toMatch(/STARTING/);
      // Recorded, not orphaned: the stack holds the one service the plane has under that name.
      const { deployment } = await project.exportStack();
      const recorded = resourcesOf(deployment).find((r) => r.urn.endsWith("::slow"));
      const live = (await api(slow).get(`/api/v2/services-v2/?name=${name}&count=10`)).body.results.filter((s: { name: string }) => s.name === name);
      expect(live).toHaveLength(1);
      expect(recorded?.id).toBe(live[0].id);
      await project.destroy();
      project.remove();
    } finally {
      await slow.stop();
    }
  });
});
