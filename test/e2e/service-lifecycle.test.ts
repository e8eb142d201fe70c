import { request } from "undici";
import { PulumiProject, stepsFor } from "../helpers/pulumi";
import { api, startTestPlane, waitUntil, type TestPlane } from "../helpers/local-plane";
import { assertNoSecretsInState, providerReferenceOf, resourcesOf } from "./state-checks";
import { tearDownStacks } from "../helpers/e2e-teardown";

// One Service's life with the real `pulumi` CLI against the local control plane, in one stack
// (examples/canary) so every step builds on the last: create, query, replace and invalid-input
// previews, a tags-only update, a held canary and its completion, out-of-band drift picked up by
// refresh, a version that turns unhealthy, and destroy.

jest.setTimeout(20 * 60_000);

const V1_IMAGE = "anyscale/ray:2.48.0-py311";
const V2_IMAGE = "anyscale/ray:2.49.0-py311";
const V3_IMAGE = "anyscale/ray:2.50.0-py311";
const SERVICE_NAME = "e2e-canary";

describe("Service with the real pulumi CLI (examples/canary)", () => {
  let plane: TestPlane;
  let project: PulumiProject;
  let queryAuthToken = "";

  const serviceApi = () => api(plane);
  const liveService = async () => {
    const outputs = await project.outputs();
    const response = await serviceApi().get(`/api/v2/services-v2/${outputs.serviceId}`);
    expect(response.status).toBe(200);
    return response.body.result;
  };

  beforeAll(async () => {
    plane = await startTestPlane();
    project = await PulumiProject.fromExample("canary", {
      config: { "anyscale:host": plane.url, serviceName: SERVICE_NAME, imageUri: V1_IMAGE },
      secrets: { "anyscale:token": plane.token },
    });
  });

  afterAll(() => tearDownStacks(project, plane));

  test("preview of a new stack plans a create, then up creates a running service", async () => {
    const preview = await project.preview();
    expect(stepsFor(preview, "canary").map((s) => s.op)).toEqual(["create"]);

    await project.up();
    const outputs = await project.outputs();
    expect(outputs.serviceName).toBe(SERVICE_NAME);
    expect(outputs.state).toBe("RUNNING");
    expect(outputs.queryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(outputs.queryAuthToken).toBe("[secret]");
    expect(outputs.primaryVersion?.weight).toBe(100);
  });

  test("the query URL answers with the token and refuses without", async () => {
    const outputs = await project.outputs({ showSecrets: true });
    queryAuthToken = outputs.queryAuthToken;
    expect(queryAuthToken).toEqual(expect.any(String));
    const withToken = await request(outputs.queryUrl, { headers: { authorization: `Bearer ${queryAuthToken}` } });
    expect(withToken.statusCode).toBe(200);
    expect(await withToken.body.json()).toMatchObject({ service: SERVICE_NAME });
    const withoutToken = await request(outputs.queryUrl);
    await withoutToken.body.dump();
    expect(withoutToken.statusCode).toBe(401);
  });

  test("stack export holds neither token in plaintext, and the provider is a small require", async () => {
    const { text, deployment } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": queryAuthToken });
    const service = resourcesOf(deployment).find((r) => r.urn.endsWith("::canary"))!;
    const provider = providerReferenceOf(service);
    expect(provider).toContain('require("pulumi-anyscale/');
    const bytes = Buffer.byteLength(JSON.stringify(service));
    process.stdout.write(`[e2e] state bytes for one Service: ${bytes} (serialized provider: ${Buffer.byteLength(provider)} bytes)\n`);
  });

  test("preview of a name change shows a replacement", async () => {
    await project.setConfig("serviceName", `${SERVICE_NAME}-renamed`);
    try {
      const preview = await project.preview();
      expect(stepsFor(preview, "canary").map((s) => s.op)).toContain("replace");
    } finally {
      await project.setConfig("serviceName", SERVICE_NAME);
    }
  });

  test("preview of an invalid input fails naming the field, with no API call", async () => {
    await serviceApi().del("/_local/requests");
    await project.setConfig("canaryPercent", "150");
    try {
      const preview = await project.preview({ allowFailure: true });
      expect(preview.code).not.toBe(0);
      expect(preview.stdout + preview.stderr).toMatch(/canaryPercent/);
    } finally {
      await project.pulumi(["config", "rm", "canaryPercent", "--stack", project.stack]);
    }
    const requests = (await serviceApi().get("/_local/requests")).body as { method: string; path: string }[];
    expect(requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/_local"))).toEqual([]);
  });

  test("a tags-only change is an update that creates no new version", async () => {
    const before = await liveService();
    await project.setConfig("tags.team", "e2e", { path: true });
    const preview = await project.preview();
    expect(stepsFor(preview, "canary").map((s) => s.op)).toEqual(["update"]);
    await project.up();
    const after = await liveService();
    expect(after.primary_version.id).toBe(before.primary_version.id);
    expect((await project.outputs()).tags).toEqual({ team: "e2e" });
  });

  test("an image change with canaryPercent rolls out and holds the canary at the declared share", async () => {
    await project.setConfig("imageUri", V2_IMAGE);
    await project.setConfig("canaryPercent", "10");
    const preview = await project.preview();
    expect(stepsFor(preview, "canary").map((s) => s.op)).toEqual(["update"]);
    await project.up();
    const outputs = await project.outputs();
    expect(outputs.canaryVersion).toMatchObject({ weight: 10 });
    expect(outputs.primaryVersion).toMatchObject({ weight: 90 });
    const live = await liveService();
    expect(live.canary_version.weight).toBe(10);
  });

  test("removing canaryPercent completes the rollout", async () => {
    const held = await liveService();
    await project.pulumi(["config", "rm", "canaryPercent", "--stack", project.stack]);
    await project.up();
    const outputs = await project.outputs();
    expect(outputs.canaryVersion ?? null).toBeNull();
    expect(outputs.primaryVersion).toMatchObject({ id: held.canary_version.id, weight: 100 });
  });

  test("an out-of-band change through the REST API shows as drift in pulumi refresh", async () => {
    const { serviceId } = await project.outputs();
    const put = await serviceApi().put("/api/v2/tags/resource", { resource_type: "service", resource_id: serviceId, tags: { owner: "someone-else" } });
    expect(put.status).toBe(200);
    const refreshPreview = await project.refresh({ previewOnly: true });
    expect(refreshPreview.stdout).toMatch(/owner/);
    expect(refreshPreview.stdout).toMatch(/someone-else/);
    await project.refresh();
    // Stack outputs only change on the next up; the resource's state changes with the refresh.
    const { deployment } = await project.exportStack();
    const refreshed = resourcesOf(deployment).find((r) => r.urn.endsWith("::canary"))!;
    expect(refreshed.outputs?.tags).toMatchObject({ owner: "someone-else" });
    // The next up puts the declared tags back.
    await project.up();
    const tags = (await serviceApi().get(`/api/v2/tags/resource?resource_type=service&resource_id=${serviceId}`)).body.result.tags;
    expect(tags.map((t: { key: string }) => t.key)).not.toContain("owner");
  });

  test("a version that turns unhealthy fails pulumi up with the platform's reason; state stays consistent", async () => {
    const before = await liveService();
    const fault = await serviceApi().post(`/_local/services/${SERVICE_NAME}/next-version-fails`, { mode: "unhealthy" });
    expect(fault.status).toBe(200);
    await project.setConfig("imageUri", V3_IMAGE);
    const failed = await project.up({ allowFailure: true });
    expect(failed.code).not.toBe(0);
    const output = failed.stdout + failed.stderr;
    expect(output).toMatch(/unhealthy/i);
    expect(output).not.toContain(plane.token);

    // The service is still in state, still answering on its previous version.
    const { deployment } = await project.exportStack();
    expect(resourcesOf(deployment).filter((r) => r.urn.endsWith("::canary"))).toHaveLength(1);
    const live = await waitUntil(async () => {
      const current = await liveService();
      return current.current_state === "RUNNING" && !current.canary_version ? current : undefined;
    }, { timeoutMs: 30_000, what: "the service to settle on its previous version" });
    expect(live.primary_version.id).toBe(before.primary_version.id);

    // With the fault gone, the same desired state converges.
    await project.up();
    expect((await project.outputs()).state).toBe("RUNNING");
    expect((await liveService()).primary_version.id).not.toBe(before.primary_version.id);
  });

  test("destroy terminates the service", async () => {
    const { serviceId } = await project.outputs();
    await project.destroy();
    const live = (await serviceApi().get(`/api/v2/services-v2/${serviceId}`)).body.result;
    expect(live.current_state).toBe("TERMINATED");
    const { deployment } = await project.exportStack();
    expect(resourcesOf(deployment).filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
