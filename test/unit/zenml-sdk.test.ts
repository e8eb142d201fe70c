// The zenml namespace's resource class under Pulumi's runtime mocks: what forAnyscale hands the engine.
import * as pulumi from "@pulumi/pulumi";

// Real programs install the package, so the provider is captured as a small require(); from the TS
// sources under test it would be serialized by value, which is not what this test is about.
jest.mock("@pulumi/pulumi/runtime/closure/serializeClosure", () => ({
  serializeFunction: async () => ({ text: "exports.handler = () => require('pulumi-anyscale/dist/provider/zenml/dynamic');", containsSecrets: false }),
}));

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, state: "active" } };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Service } = require("../../sdk/zenml") as typeof import("../../sdk/zenml");

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("zenml.Service (sdk)", () => {
  test("forAnyscale derives the record from the service's outputs only", async () => {
    const anyscaleService = {
      id: pulumi.output("service2_abc"),
      name: pulumi.output("sentiment"),
      state: pulumi.output("RUNNING"),
      queryUrl: pulumi.output("http://127.0.0.1:7000/sentiment"),
      primaryVersion: pulumi.output({ id: "v1", name: "v1", state: "RUNNING", weight: 100 }),
      queryAuthToken: pulumi.secret("must-never-be-read"),
    };
    const registration = Service.forAnyscale("sentiment-zenml", anyscaleService, { labels: { team: "ml" } });
    await valueOf(registration.id);
    const record = registered.find((entry) => entry.name === "sentiment-zenml")!;
    expect(record.type).toBe("pulumi-nodejs:dynamic/zenml:Service");
    expect(record.inputs).toMatchObject({
      name: "sentiment",
      serviceType: { type: "model-serving", flavor: "anyscale" },
      predictionUrl: "http://127.0.0.1:7000/sentiment",
      adminState: "active",
      status: { state: "active", anyscale_state: "RUNNING", primary_version: "v1", primary_version_weight: 100 },
      labels: { team: "ml", "anyscale.service_id": "service2_abc", "anyscale.primary_version": "v1" },
      config: { service_name: "sentiment", anyscale_service_id: "service2_abc" },
    });
    expect(JSON.stringify(record.inputs)).not.toContain("must-never-be-read");
  });

  test("the record name defaults to the resource name", async () => {
    const service = new Service("plain", { serviceType: { type: "model-serving", flavor: "custom" } });
    await valueOf(service.id);
    expect(registered.find((entry) => entry.name === "plain")!.inputs).toMatchObject({ name: "plain" });
  });

  test("Service.get exposes the record's outputs", async () => {
    const existing = Service.get("existing", "fcb4dff9-99bd-43ab-b0e0-19948e2459ab");
    expect(await valueOf(existing.state)).toBe("active");
    expect(await valueOf(existing.id)).toBe("fcb4dff9-99bd-43ab-b0e0-19948e2459ab");
  });
});
