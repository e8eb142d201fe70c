import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { stepsFor, type PreviewResult, type PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { rewriteYamlProgram, yamlLanguageHostAvailable, yamlProject, type YamlProgram } from "../helpers/native-plugin";
import { runAnyscaleCli, describeRun } from "../helpers/anyscale-cli";
import { serviceConfig } from "../helpers/cli-fixtures";
import { assertNoSecretsInState, resourcesOf } from "./state-checks";

// The native plugin `pulumi-resource-anyscale` (from the installed, packed package) driven by Pulumi
// YAML programs with the real CLI against the local control plane: plan lines in preview, live
// progress, bad input at preview with no request, refresh drift, import of a CLI-deployed service,
// the engine's create timeout, and no secret in state.

jest.setTimeout(20 * 60_000);

const V1 = "anyscale/ray:2.48.0-py311";
const V2 = "anyscale/ray:2.49.0-py311";
const ENV = { ANYSCALE_POLL_INTERVAL_MS: "50" };
// Versions take a second to start, so every wait polls a few times and reports progress.
const TIMINGS = { startupMs: 1200, rolloutStepMs: 150 };

interface ServiceDecl {
  name: string;
  image?: string;
  canary?: number;
  tags?: Record<string, string>;
  strategy?: "inPlace";
  route?: string;
}

function serviceProgram(service: ServiceDecl): YamlProgram {
  const rollout = { ...(service.canary !== undefined ? { canaryPercent: service.canary } : {}), ...(service.strategy ? { strategy: service.strategy } : {}) };
  return {
    resources: {
      api: {
        type: "anyscale:Service",
        properties: {
          name: service.name,
          applications: [{ name: "default", import_path: "main:app", route_prefix: service.route ?? "/" }],
          imageUri: service.image ?? V1,
          ...(service.tags ? { tags: service.tags } : {}),
          ...(Object.keys(rollout).length > 0 ? { rollout } : {}),
        },
      },
    },
    outputs: { serviceId: "${api.serviceId}", state: "${api.state}", queryAuthToken: "${api.queryAuthToken}", primaryVersion: "${api.primaryVersion}", canaryVersion: "${api.canaryVersion}" },
  };
}

function infoLines(preview: PreviewResult): string[] {
  return preview.diagnostics.filter((d) => d.severity === "info").map((d) => d.message.trim());
}

async function nonAdminRequests(plane: TestPlane): Promise<{ method: string; path: string }[]> {
  const log = (await api(plane).get("/_local/requests")).body as { method: string; path: string }[];
  return log.filter((r) => !r.path.startsWith("/_local"));
}

let yamlHost = false;
beforeAll(async () => {
  yamlHost = await yamlLanguageHostAvailable();
  if (!yamlHost) throw new Error("pulumi-language-yaml is not next to pulumi: run scripts/setup-pulumi.sh (it builds the YAML language host)");
});

describe("a Service from a Pulumi YAML program through the native plugin", () => {
  const NAME = "native-yaml-api";
  let plane: TestPlane;
  let project: PulumiProject;
  let current: ServiceDecl = { name: NAME, tags: { team: "ml" } };

  const deploy = async (decl: ServiceDecl) => {
    current = decl;
    await rewriteYamlProgram(project, "native-yaml", serviceProgram(decl));
  };
  const liveService = async () => (await api(plane).get(`/api/v2/services-v2/${(await project.outputs()).serviceId}`)).body.result;

  beforeAll(async () => {
    plane = await startTestPlane(TIMINGS);
    project = await yamlProject("native-yaml", serviceProgram(current), {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: ENV,
    });
  });

  afterAll(async () => {
    if (project) {
      await project.destroy({ allowFailure: true });
      project.remove();
    }
    await plane?.stop();
  });

  test("create: the preview plans anyscale:index:Service, up prints live progress and runs it", async () => {
    const preview = await project.preview();
    const steps = stepsFor(preview, "api");
    expect(steps.map((s) => s.op)).toEqual(["create"]);
    expect(steps[0].urn).toContain("::anyscale:index:Service::api");
    const up = await project.up();
    // Ephemeral status from the plugin: the platform's state of the version, with the time spent.
    expect(up.stdout).toMatch(/api creating \(\d+s\) .*STARTING.* \d+(ms|s)/);
    const outputs = await project.outputs();
    expect(outputs.state).toBe("RUNNING");
    expect(outputs.queryAuthToken).toBe("[secret]");
  });

  test("a new image held at 25%: the preview names the rollout and hides internal inputs; up shows progress", async () => {
    const primary = (await project.outputs()).primaryVersion.name;
    await deploy({ ...current, image: V2, canary: 25 });
    const preview = await project.preview();
    expect(infoLines(preview)).toEqual([`rollout: new version (imageUri changed), held at 25% of traffic; ${primary} keeps 75%`]);
    const step = stepsFor(preview, "api")[0];
    expect(step.op).toBe("update");
    expect(step.detailedDiff).toEqual({ imageUri: { kind: "update", inputDiff: true }, "rollout.canaryPercent": { kind: "add", inputDiff: true } });
    // What a user reads: the plan line, and only the inputs they wrote.
    const shown = await project.pulumi(["preview", "--diff", "--stack", project.stack]);
    const text = shown.stdout + shown.stderr;
    expect(text).toContain("held at 25% of traffic");
    expect(text).toMatch(/imageUri/);
    expect(text).not.toMatch(/ownershipScope|sourceHash|autoNamePrefix/);
    const up = await project.up();
    expect(up.stdout).toMatch(/rollout: new version \(imageUri changed\), held at 25% of traffic/);
    expect(up.stdout).toMatch(/api updating \(\d+s\) .*(STARTING|ROLLING_OUT|canary).* \d+(ms|s)/);
    const outputs = await project.outputs();
    expect(outputs.canaryVersion.weight).toBe(25);
    expect(outputs.primaryVersion.weight).toBe(75);
  });

  test("moving the held canary, then completing it, makes no new version", async () => {
    await deploy({ ...current, canary: 50 });
    expect(infoLines(await project.preview())).toEqual(["canary 25% → 50%, no new version"]);
    const { canary: _held, ...complete } = current;
    await deploy(complete);
    const preview = await project.preview();
    expect(infoLines(preview)).toEqual(["canary 25% → 100%, no new version (completes the rollout)"]);
    expect(stepsFor(preview, "api")[0].detailedDiff).toEqual({ "rollout.canaryPercent": { kind: "delete", inputDiff: true } });
    await project.up();
    const outputs = await project.outputs();
    expect(outputs.primaryVersion.weight).toBe(100);
    expect(outputs.canaryVersion).toBeNull();
  });

  test("tags only: named as such, and no new version", async () => {
    const before = await liveService();
    await deploy({ ...current, tags: { team: "ml", tier: "gold" } });
    const preview = await project.preview();
    expect(infoLines(preview)).toEqual(["tags only"]);
    expect(stepsFor(preview, "api")[0].detailedDiff).toEqual({ tags: { kind: "update", inputDiff: true } });
    await project.up();
    expect((await liveService()).primary_version.id).toBe(before.primary_version.id);
  });

  test("in place and replace are named in the preview", async () => {
    await deploy({ ...current, strategy: "inPlace", route: "/v2" });
    expect(infoLines(await project.preview())).toEqual(["in place: applications changed"]);
    await deploy({ ...current, strategy: undefined, route: "/", name: `${NAME}-renamed` });
    const preview = await project.preview();
    expect(infoLines(preview)[0]).toMatch(/^replace: name changed/);
    expect(stepsFor(preview, "api").map((s) => s.op)).toEqual(["replace"]);
    await deploy({ ...current, name: NAME });
  });

  test("a bad input fails at preview naming the field, with no request to the plane", async () => {
    await api(plane).del("/_local/requests");
    await deploy({ ...current, canary: 150 });
    const preview = await project.preview({ allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/rollout\.canaryPercent/);
    expect(await nonAdminRequests(plane)).toEqual([]);
    const { canary: _bad, ...good } = current;
    await deploy(good);
  });

  test("refresh picks up an out-of-band tag; stack export holds no secret in plaintext", async () => {
    const { serviceId } = await project.outputs();
    const put = await api(plane).put("/api/v2/tags/resource", { resource_type: "service", resource_id: serviceId, tags: { owner: "someone-else" } });
    expect(put.status).toBe(200);
    const refreshPreview = await project.refresh({ previewOnly: true });
    expect(refreshPreview.stdout).toMatch(/someone-else/);
    await project.refresh();
    const { text, deployment } = await project.exportStack();
    const resource = resourcesOf(deployment).find((r) => r.urn.endsWith("::api"))!;
    expect(resource.outputs?.tags).toMatchObject({ owner: "someone-else" });
    const token = (await project.outputs({ showSecrets: true })).queryAuthToken;
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": token });
  });

  test("destroy terminates the service", async () => {
    const { serviceId } = await project.outputs();
    await project.destroy();
    const live = (await api(plane).get(`/api/v2/services-v2/${serviceId}`)).body.result;
    expect(["TERMINATING", "TERMINATED"]).toContain(live.current_state);
  });
});

describe("Job, import and timeouts through the native plugin", () => {
  let plane: TestPlane;
  const projects: PulumiProject[] = [];
  const track = (project: PulumiProject) => (projects.push(project), project);
  const options = () => ({ config: { "anyscale:host": plane.url }, secrets: { "anyscale:token": plane.token }, env: ENV });

  beforeAll(async () => {
    plane = await startTestPlane(TIMINGS);
  });

  afterAll(async () => {
    for (const project of projects) {
      await project.destroy({ allowFailure: true });
      project.remove();
    }
    await plane?.stop();
  });

  let jobId = "";
  let queueId = "";

  test("a Job whose entrypoint changes previews as a re-run", async () => {
    const jobProgram = (entrypoint: string): YamlProgram => ({
      resources: {
        queue: { type: "anyscale:JobQueue", properties: { name: "native-queue", idleTimeoutS: 60, deletionPolicy: "delete" } },
        etl: { type: "anyscale:Job", properties: { name: "native-etl", entrypoint, waitFor: "submitted", deletionPolicy: "delete" } },
      },
      outputs: { jobId: "${etl.jobId}", queueId: "${queue.queueId}" },
    });
    const project = track(await yamlProject("native-job", jobProgram("python -c 'print(1)'"), options()));
    await project.up();
    ({ jobId, queueId } = await project.outputs());
    await rewriteYamlProgram(project, "native-job", jobProgram("python -c 'print(2)'"));
    const preview = await project.preview();
    expect(infoLines(preview)).toEqual(["re-run: entrypoint changed; a new job is submitted"]);
    expect(stepsFor(preview, "etl").map((s) => s.op)).toEqual(["replace"]);
    expect(stepsFor(preview, "etl").find((s) => s.detailedDiff)?.detailedDiff).toEqual({ entrypoint: { kind: "update-replace", inputDiff: true } });
  });

  test("a service deployed by the official CLI imports with inputs that preview clean", async () => {
    const name = "native-imported";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "native-import-"));
    const file = path.join(dir, "service.yaml");
    fs.writeFileSync(file, stringify(serviceConfig(name)));
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
