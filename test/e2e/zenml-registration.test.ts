// examples/zenml-registration with the real `pulumi` CLI: an Anyscale service on the local control
// plane registered in a REAL ZenML server in one `pulumi up`; a canary rollout then updates the same
// ZenML record in place; a record deleted out of band comes back with the next `pulumi up`.
import { resolveZenmlSettings } from "../../provider/zenml/config";
import { ZenmlClient } from "../../provider/zenml/client";
import { startTestPlane, type TestPlane } from "../helpers/local-plane";
import { PulumiProject, stepsFor } from "../helpers/pulumi";
import { acquireZenmlServer, ZENML_STARTUP_TIMEOUT_MS, type ZenmlTestServer } from "../helpers/zenml-server";
import { assertNoSecretsInState, providerReferenceOf, resourcesOf } from "./state-checks";
import { tearDownStacks } from "../helpers/e2e-teardown";

jest.setTimeout(20 * 60_000);

let plane: TestPlane;
let zenmlServer: ZenmlTestServer;
let zenml: ZenmlClient;
let project: PulumiProject;

beforeAll(async () => {
  zenmlServer = acquireZenmlServer();
  zenml = new ZenmlClient(resolveZenmlSettings(undefined, { ZENML_STORE_URL: zenmlServer.url, ZENML_STORE_API_KEY: zenmlServer.apiKey }));
  plane = await startTestPlane();
  project = await PulumiProject.fromExample("zenml-registration", {
    config: { "anyscale:host": plane.url, "zenml:url": zenmlServer.url, serviceName: "e2e-zenml-registration" },
    secrets: { "anyscale:token": plane.token, "zenml:apiKey": zenmlServer.apiKey },
    // Only the stack config may reach the provider: no env fallbacks.
    env: { ZENML_STORE_URL: undefined, ZENML_STORE_API_KEY: undefined },
  });
}, ZENML_STARTUP_TIMEOUT_MS);

afterAll(() => tearDownStacks(project, plane, zenmlServer));

describe("examples/zenml-registration", () => {
  test("one pulumi up deploys the service and registers it in ZenML", async () => {
    const preview = await project.preview();
    expect(stepsFor(preview, "sentiment-registration").map((step) => step.op)).toEqual(["create"]);
    await project.up();

    const outputs = await project.outputs();
    expect(outputs.serviceState).toBe("RUNNING");
    expect(outputs.zenmlState).toBe("active");
    expect(outputs.zenmlRecordFlavor).toBe("anyscale"); // zenml.getServiceOutput in the program
    const record = await zenml.getService(outputs.zenmlServiceId);
    expect(record.body.service_type).toMatchObject({ type: "model-serving", flavor: "anyscale" });
    expect(record.metadata?.prediction_url).toBe(outputs.queryUrl);
    expect(record.metadata?.status).toMatchObject({ state: "active", anyscale_state: "RUNNING", primary_version: outputs.primaryVersion.id });
    expect(record.metadata?.config).toMatchObject({ model_name: "sentiment", anyscale_service_id: outputs.serviceId });

    const { text, deployment } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "ZenML API key": zenmlServer.apiKey });
    const registration = resourcesOf(deployment).find((resource) => resource.urn.endsWith("::sentiment-registration"))!;
    expect(providerReferenceOf(registration)).toContain('require("pulumi-anyscale/dist/provider/zenml/dynamic');
    process.stdout.write(`[e2e] zenml-registration: zenml:Service ${Buffer.byteLength(JSON.stringify(registration))} state bytes\n`);
  });

  test("a canary rollout updates the same ZenML record, and the preview says update, not replace", async () => {
    const before = await project.outputs();
    await project.setConfig("imageUri", "anyscale/ray:2.49.0-py311");
    await project.setConfig("canaryPercent", "25");
    const preview = await project.preview();
    expect(stepsFor(preview, "sentiment-registration").map((step) => step.op)).toEqual(["update"]);
    await project.up();

    const after = await project.outputs();
    expect(after.zenmlServiceId).toBe(before.zenmlServiceId);
    expect(after.canaryVersion?.weight).toBe(25);
    const record = await zenml.getService(after.zenmlServiceId);
    expect(record.metadata?.status).toMatchObject({
      state: "active",
      canary_version: after.canaryVersion.id,
      canary_version_weight: 25,
      primary_version_weight: 75,
    });
    expect(record.body.labels).toMatchObject({ "anyscale.canary_version": after.canaryVersion.id });
  });

  test("refresh shows no drift; a record deleted out of band is registered again by the next up", async () => {
    const refresh = await project.refresh();
    expect(refresh.stdout).not.toMatch(/sentiment-registration.*(update|delete)/);
    const { zenmlServiceId } = await project.outputs();
    await zenml.deleteService(zenmlServiceId);
    await project.up();
    const after = await project.outputs();
    expect(after.zenmlServiceId).not.toBe(zenmlServiceId);
    expect((await zenml.getService(after.zenmlServiceId)).metadata?.prediction_url).toBe(after.queryUrl);
  });

  test("destroy removes the ZenML record", async () => {
    const { zenmlServiceId } = await project.outputs();
    await project.destroy();
    await expect(zenml.getService(zenmlServiceId)).rejects.toMatchObject({ status: 404 });
  });
});
