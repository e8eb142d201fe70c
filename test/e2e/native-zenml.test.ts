// An Anyscale service registered in a REAL ZenML server from a Pulumi YAML program, through the
// native plugin: `anyscale:zenml:Service` with `anyscaleService` derives the record as
// zenml.Service.forAnyscale does. The ZenML credentials are secret config of the plugin
// (`anyscale:zenmlApiKey`); they never show in plaintext in state, outputs or the CLI's output.
import { resolveZenmlSettings } from "../../provider/zenml/config";
import { ZenmlClient } from "../../provider/zenml/client";
import { startTestPlane, type TestPlane } from "../helpers/local-plane";
import { stepsFor, type PulumiProject } from "../helpers/pulumi";
import { rewriteYamlProgram, yamlProject, type YamlProgram } from "../helpers/native-plugin";
import { acquireZenmlServer, ZENML_STARTUP_TIMEOUT_MS, type ZenmlTestServer } from "../helpers/zenml-server";
import { assertNoSecretsInState } from "./state-checks";
import { ENV, infoLines, requireYamlLanguageHost, TIMINGS, V2 } from "./native-support";
import { tearDownStacks } from "../helpers/e2e-teardown";

jest.setTimeout(20 * 60_000);

requireYamlLanguageHost();

const NAME = "native-zenml-api";

function program(rollout?: { image: string; canary: number }): YamlProgram {
  return {
    resources: {
      api: {
        type: "anyscale:Service",
        properties: {
          name: NAME,
          applications: [{ name: "default", import_path: "main:app", route_prefix: "/" }],
          imageUri: rollout?.image ?? "anyscale/ray:2.48.0-py311",
          ...(rollout ? { rollout: { canaryPercent: rollout.canary } } : {}),
        },
      },
      registration: {
        type: "anyscale:zenml:Service",
        properties: {
          anyscaleService: {
            id: "${api.id}",
            name: "${api.name}",
            state: "${api.state}",
            queryUrl: "${api.queryUrl}",
            primaryVersion: "${api.primaryVersion}",
            canaryVersion: "${api.canaryVersion}",
          },
          config: { model_name: "sentiment" },
          labels: { team: "ml" },
        },
      },
    },
    outputs: { serviceId: "${api.serviceId}", queryUrl: "${api.queryUrl}", zenmlServiceId: "${registration.id}", zenmlState: "${registration.state}", canaryVersion: "${api.canaryVersion}" },
  };
}

describe("a ZenML registration from a Pulumi YAML program through the native plugin", () => {
  let plane: TestPlane;
  let zenmlServer: ZenmlTestServer;
  let zenml: ZenmlClient;
  let project: PulumiProject;
  const secrets = () => ({ "Anyscale token": plane.token, "ZenML API key": zenmlServer.apiKey });
  const assertNoSecretsIn = (what: string, text: string) => {
    for (const [name, value] of Object.entries(secrets())) if (text.includes(value)) throw new Error(`the ${name} appears in plaintext in ${what}`);
  };

  beforeAll(async () => {
    zenmlServer = acquireZenmlServer();
    zenml = new ZenmlClient(resolveZenmlSettings(undefined, { ZENML_STORE_URL: zenmlServer.url, ZENML_STORE_API_KEY: zenmlServer.apiKey }));
    plane = await startTestPlane(TIMINGS);
    project = await yamlProject("native-zenml", program(), {
      config: { "anyscale:host": plane.url, "anyscale:zenmlUrl": zenmlServer.url },
      secrets: { "anyscale:token": plane.token, "anyscale:zenmlApiKey": zenmlServer.apiKey },
      // Only the stack config may reach the plugin: no env fallbacks.
      env: { ...ENV, ZENML_STORE_URL: undefined, ZENML_STORE_API_KEY: undefined },
    });
  }, ZENML_STARTUP_TIMEOUT_MS);

  afterAll(() => tearDownStacks(project, plane, zenmlServer));

  test("create: one up deploys the service and registers it; no credential in plaintext", async () => {
    const preview = await project.preview();
    expect(stepsFor(preview, "registration").map((step) => step.op)).toEqual(["create"]);
    expect(stepsFor(preview, "registration")[0].urn).toContain("::anyscale:zenml:Service::registration");
    const up = await project.up();
    assertNoSecretsIn("pulumi up output", up.stdout + up.stderr);
    const outputs = await project.outputs();
    expect(outputs.zenmlState).toBe("active");
    const record = await zenml.getService(outputs.zenmlServiceId);
    expect(record.name).toBe(NAME);
    expect(record.body.service_type).toMatchObject({ type: "model-serving", flavor: "anyscale" });
    expect(record.body.labels).toMatchObject({ team: "ml", "anyscale.service_id": outputs.serviceId, "managed-by": "pulumi" });
    expect(record.metadata?.prediction_url).toBe(outputs.queryUrl);
    expect(record.metadata?.config).toMatchObject({ model_name: "sentiment", anyscale_service_id: outputs.serviceId });
    expect(record.metadata?.status).toMatchObject({ state: "active", anyscale_state: "RUNNING" });
    assertNoSecretsInState((await project.exportStack()).text, secrets());
    assertNoSecretsIn("pulumi stack output", JSON.stringify(await project.outputs({ showSecrets: true })));
  });

  test("a canary rollout previews as an update of the same record, and up updates it in place", async () => {
    const before = await project.outputs();
    await rewriteYamlProgram(project, "native-zenml", program({ image: V2, canary: 25 }));
    const preview = await project.preview();
    expect(stepsFor(preview, "registration").map((step) => step.op)).toEqual(["update"]);
    expect(infoLines(preview).filter((line) => /^in place: .*status/.test(line))).toHaveLength(1);
    const up = await project.up();
    assertNoSecretsIn("pulumi up output", up.stdout + up.stderr);
    const after = await project.outputs();
    expect(after.zenmlServiceId).toBe(before.zenmlServiceId);
    const record = await zenml.getService(after.zenmlServiceId);
    expect(record.metadata?.status).toMatchObject({ state: "active", canary_version: after.canaryVersion.id, canary_version_weight: 25, primary_version_weight: 75 });
    expect(record.body.labels).toMatchObject({ "anyscale.canary_version": after.canaryVersion.id });
    assertNoSecretsInState((await project.exportStack()).text, secrets());
  });

  test("destroy removes the record", async () => {
    const { zenmlServiceId } = await project.outputs();
    const destroyed = await project.destroy();
    assertNoSecretsIn("pulumi destroy output", destroyed.stdout + destroyed.stderr);
    await expect(zenml.getService(zenmlServiceId)).rejects.toMatchObject({ status: 404 });
  });
});
