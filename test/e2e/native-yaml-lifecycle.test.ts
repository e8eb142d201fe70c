import { stepsFor, type PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { rewriteYamlProgram, yamlProject } from "../helpers/native-plugin";
import { assertNoSecretsInState, resourcesOf } from "./state-checks";
import { ENV, expectServiceDown, infoLines, nonAdminRequests, requireYamlLanguageHost, serviceProgram, TIMINGS, V2, type ServiceDecl } from "./native-support";
import { tearDownStacks } from "../helpers/e2e-teardown";

// A Service's life from a Pulumi YAML program through the native plugin `pulumi-resource-anyscale`
// (from the installed, packed package), with the real CLI against the local control plane: plan
// lines in preview, live progress in up, bad input at preview with no request, refresh drift,
// no secret in state, destroy.

jest.setTimeout(20 * 60_000);

requireYamlLanguageHost();

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

  afterAll(() => tearDownStacks(project, plane));

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
    await expectServiceDown(plane, serviceId);
  });
});

