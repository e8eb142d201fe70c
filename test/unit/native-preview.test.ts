import { NativeProvider } from "../../provider/hosts/native/server";
import { fromStruct, secretOf, toStruct } from "../../provider/hosts/native/values";
import { UNKNOWN_VALUE } from "../../provider/core/dynamic-support";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require("@pulumi/pulumi/proto/provider_pb");

// supportsPreview: Create and Update called with preview=true answer without any API call (the provider
// is never configured here, so a call would fail), with the outputs that can be known.

const URN = "urn:pulumi:dev::my-infra::anyscale:index:Service::api";
const engine = { log: async () => undefined };
const inputs = { name: "api", applications: [{ import_path: "main:app" }], imageUri: "anyscale/ray:2.48.0-py311", ownershipScope: "my-infra/dev/api" };
const state = {
  ...inputs,
  serviceId: "svc_1",
  state: "RUNNING",
  queryUrl: "http://127.0.0.1:9/serve/api",
  queryAuthToken: secretOf("tok_secret"),
  primaryVersion: { name: "v1", weight: 100 },
  deployment: { status: "succeeded" },
};

async function previewUpdate(news: Record<string, unknown>) {
  const request = new proto.UpdateRequest().setId("svc_1").setUrn(URN).setType("anyscale:index:Service").setOlds(toStruct(state)).setNews(toStruct(news)).setPreview(true);
  const properties = ((await new NativeProvider(engine, "0.1.0").update(request)) as any).getProperties();
  // The state held the token secret and it is a declared secret output: one envelope, not two.
  expect(properties.toJavaScript().queryAuthToken).toEqual(secretOf("tok_secret"));
  return fromStruct(properties);
}

describe("native host preview", () => {
  test("configure says supportsPreview", async () => {
    const request = new proto.ConfigureRequest();
    const response = (await new NativeProvider(engine, "0.1.0").configure(request as never)) as any;
    expect(response.getSupportspreview()).toBe(true);
  });

  test("a tags-only update keeps every output it does not touch known, the token still secret", async () => {
    const outs = await previewUpdate({ ...inputs, tags: { team: "ml" } });
    expect(outs.props.queryUrl).toBe(state.queryUrl);
    expect(outs.props.primaryVersion).toEqual(state.primaryVersion);
    expect(outs.props.tags).toEqual({ team: "ml" });
    expect(outs.props.queryAuthToken).toBe("tok_secret");
    expect([...outs.secretKeys]).toEqual(["queryAuthToken"]);
  });

  test("a rollout keeps the service's address known and leaves what the rollout changes unknown", async () => {
    const outs = await previewUpdate({ ...inputs, imageUri: "anyscale/ray:2.49.0-py311" });
    expect(outs.props.queryUrl).toBe(state.queryUrl);
    expect(outs.props.serviceId).toBe("svc_1");
    expect(outs.props.primaryVersion).toBe(UNKNOWN_VALUE);
    expect(outs.props.state).toBe(UNKNOWN_VALUE);
  });

  test("a create echoes the inputs and leaves every computed output unknown", async () => {
    const request = new proto.CreateRequest().setUrn(URN).setType("anyscale:index:Service").setProperties(toStruct(inputs)).setPreview(true);
    const response = (await new NativeProvider(engine, "0.1.0").create(request)) as any;
    const outs = fromStruct(response.getProperties());
    expect(response.getId()).toBe("");
    expect(outs.props.imageUri).toBe(inputs.imageUri);
    expect(outs.props.queryUrl).toBe(UNKNOWN_VALUE);
    expect([...outs.secretKeys]).toEqual(["queryAuthToken"]);
  });
});
