import { stepsFor, type PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { pluginExample } from "../helpers/example-projects";
import { assertNoSecretsInState, resourcesOf } from "./state-checks";
import { ENV, expectServiceDown, infoLines, nonAdminRequests, V1, V2 } from "./native-support";
import { tearDownStacks } from "../helpers/e2e-teardown";

// examples/python-service with the real CLI against the local control plane: a Python program
// (our Python language host, the generated pulumi_anyscale SDK) driving the native plugin through
// a Service's life, with a Job Queue and a Job beside it: create; a canary held at 25% then
// completed; tags only; a bad input named at preview with no request; refresh drift; destroy.

jest.setTimeout(20 * 60_000);

const SERVICE_NAME = "e2e-python-service";

describe("examples/python-service: a Python program through the native plugin", () => {
  let plane: TestPlane;
  let project: PulumiProject;

  const liveService = async () => (await api(plane).get(`/api/v2/services-v2/${(await project.outputs()).serviceId}`)).body.result;

  beforeAll(async () => {
    plane = await startTestPlane();
    project = await pluginExample("python-service", {
      config: { "anyscale:host": plane.url, serviceName: SERVICE_NAME, queueName: "e2e-python-batch", imageUri: V1 },
      secrets: { "anyscale:token": plane.token },
      env: ENV,
    });
  });

  afterAll(() => tearDownStacks(project, plane));

  test("create: the preview plans the three anyscale:index resources; up runs the service and the job", async () => {
    const preview = await project.preview();
    expect(stepsFor(preview, "service")[0]).toMatchObject({ op: "create" });
    expect(stepsFor(preview, "service")[0].urn).toContain("::anyscale:index:Service::service");
    expect(stepsFor(preview, "queue")[0].urn).toContain("::anyscale:index:JobQueue::queue");
    expect(stepsFor(preview, "report")[0].urn).toContain("::anyscale:index:Job::report");

    await project.up();
    const outputs = await project.outputs();
    expect(outputs.serviceName).toBe(SERVICE_NAME);
    expect(outputs.state).toBe("RUNNING");
    expect(outputs.queryAuthToken).toBe("[secret]");
    expect(outputs.primaryVersion).toMatchObject({ weight: 100 });
    expect(outputs.jobState).toBe("SUCCEEDED");
    expect(outputs.queueId).toEqual(expect.any(String));
    expect(outputs.jobQueueId).toBe(outputs.queueId);
  });

  test("a new image held at 25%, then completed", async () => {
    const primary = (await project.outputs()).primaryVersion.name;
    await project.setConfig("imageUri", V2);
    await project.setConfig("canaryPercent", "25");
    const preview = await project.preview();
    expect(infoLines(preview)).toContain(`rollout: new version (imageUri changed), held at 25% of traffic; ${primary} keeps 75%`);
    expect(stepsFor(preview, "service")[0].op).toBe("update");
    await project.up();
    let outputs = await project.outputs();
    expect(outputs.canaryVersion).toMatchObject({ weight: 25 });
    expect(outputs.primaryVersion).toMatchObject({ name: primary, weight: 75 });
    const canary = outputs.canaryVersion.name;

    await project.pulumi(["config", "rm", "canaryPercent", "--stack", project.stack]);
    expect(infoLines(await project.preview())).toContain("canary 25% → 100%, no new version (completes the rollout)");
    await project.up();
    outputs = await project.outputs();
    expect(outputs.canaryVersion ?? null).toBeNull();
    expect(outputs.primaryVersion).toMatchObject({ name: canary, weight: 100 });
  });

  test("a tags-only change is named as such and makes no new version", async () => {
    const before = await liveService();
    await project.setConfig("tags.team", "e2e", { path: true });
    const preview = await project.preview();
    expect(infoLines(preview)).toContain("tags only");
    expect(stepsFor(preview, "service")[0].op).toBe("update");
    await project.up();
    expect((await liveService()).primary_version.id).toBe(before.primary_version.id);
    expect((await project.outputs()).tags).toEqual({ team: "e2e" });
  });

  test("a bad input fails at preview naming the field, with no request to the plane", async () => {
    await api(plane).del("/_local/requests");
    await project.setConfig("canaryPercent", "150");
    try {
      const preview = await project.preview({ allowFailure: true });
      expect(preview.code).not.toBe(0);
      expect(preview.stdout + preview.stderr).toMatch(/rollout\.canaryPercent/);
      expect(await nonAdminRequests(plane)).toEqual([]);
    } finally {
      await project.pulumi(["config", "rm", "canaryPercent", "--stack", project.stack]);
    }
  });

  test("refresh picks up an out-of-band tag, and the next up puts the declared tags back", async () => {
    const { serviceId } = await project.outputs();
    const put = await api(plane).put("/api/v2/tags/resource", { resource_type: "service", resource_id: serviceId, tags: { owner: "someone-else" } });
    expect(put.status).toBe(200);
    const refreshPreview = await project.refresh({ previewOnly: true });
    expect(refreshPreview.stdout).toMatch(/someone-else/);
    await project.refresh();
    const { deployment } = await project.exportStack();
    expect(resourcesOf(deployment).find((r) => r.urn.endsWith("::service"))?.outputs?.tags).toMatchObject({ owner: "someone-else" });
    await project.up();
    const tags = (await api(plane).get(`/api/v2/tags/resource?resource_type=service&resource_id=${serviceId}`)).body.result.tags;
    expect(tags.map((t: { key: string }) => t.key)).not.toContain("owner");
  });

  test("stack export holds neither the Anyscale token nor the query token in plaintext", async () => {
    const { text } = await project.exportStack();
    const { queryAuthToken } = await project.outputs({ showSecrets: true });
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": queryAuthToken });
  });

  test("destroy terminates the service and removes everything from state", async () => {
    const { serviceId } = await project.outputs();
    await project.destroy();
    await expectServiceDown(plane, serviceId);
    const { deployment } = await project.exportStack();
    expect(resourcesOf(deployment).filter((r) => r.type.startsWith("anyscale:index:"))).toEqual([]);
  });
});
