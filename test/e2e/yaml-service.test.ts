import type { PulumiProject } from "../helpers/pulumi";
import { startTestPlane, type TestPlane } from "../helpers/local-plane";
import { pluginExample } from "../helpers/example-projects";
import { assertNoSecretsInState } from "./state-checks";
import { tearDownStacks } from "../helpers/e2e-teardown";
import { expectServiceDown } from "./native-support";

// examples/yaml-service as written (the YAML language host, the plugin found through its
// Pulumi.yaml): the Service, the Job Queue and the Job come up, a canary is held at 25% and
// completed by config alone, and destroy takes it all down. The whole lifecycle from YAML, plan
// lines and bad input included, is in native-plugin.test.ts.

jest.setTimeout(15 * 60_000);

describe("examples/yaml-service", () => {
  let plane: TestPlane;
  let project: PulumiProject;

  beforeAll(async () => {
    plane = await startTestPlane();
    project = await pluginExample("yaml-service", {
      config: { "anyscale:host": plane.url, serviceName: "e2e-yaml-service", queueName: "e2e-yaml-batch" },
      secrets: { "anyscale:token": plane.token },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50" },
    });
  });

  afterAll(() => tearDownStacks(project, plane));

  test("up creates a running service, a queue and a job that succeeds on it", async () => {
    await project.up();
    const outputs = await project.outputs();
    expect(outputs).toMatchObject({ serviceName: "e2e-yaml-service", state: "RUNNING", queryAuthToken: "[secret]", jobState: "SUCCEEDED" });
    expect(outputs.primaryVersion).toMatchObject({ weight: 100 });
    expect(outputs.jobQueueId).toBe(outputs.queueId);
  });

  test("a new image held at 25% by config, then completed with 100", async () => {
    await project.setConfig("imageUri", "anyscale/ray:2.49.0-py311");
    await project.setConfig("canaryPercent", "25");
    await project.up();
    let outputs = await project.outputs();
    expect(outputs.canaryVersion).toMatchObject({ weight: 25 });
    expect(outputs.primaryVersion).toMatchObject({ weight: 75 });
    const canary = outputs.canaryVersion.name;
    await project.setConfig("canaryPercent", "100");
    await project.up();
    outputs = await project.outputs();
    expect(outputs.canaryVersion ?? null).toBeNull();
    expect(outputs.primaryVersion).toMatchObject({ name: canary, weight: 100 });
  });

  test("no secret in plaintext in stack export; destroy terminates the service", async () => {
    const { text } = await project.exportStack();
    const { queryAuthToken, serviceId } = await project.outputs({ showSecrets: true });
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": queryAuthToken });
    await project.destroy();
    await expectServiceDown(plane, serviceId);
  });
});
