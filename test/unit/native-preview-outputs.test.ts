import { service } from "../../provider/hosts/native/adapters/service";
import { previewUpdateOutputs } from "../../provider/hosts/native/preview-outputs";
import { UNKNOWN_VALUE } from "../../provider/core/dynamic-support";
import { SERVICE_LEVEL_OUTPUTS } from "../../provider/service/output-schema";

// What a preview of a Service update shows as known: the service's own outputs (declared
// `service: true`) through a rollout, everything through a tags-only change, and never a token that a
// rollout turning query auth on or off replaces.
const inputs = {
  name: "api",
  imageUri: "anyscale/ray:2.48.0-py311",
  applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }],
  ownershipScope: "p/s/api",
};
const state = {
  ...inputs,
  serviceId: "service_1",
  state: "RUNNING",
  queryUrl: "https://api.example/serve",
  queryAuthToken: "token",
  hostname: "api.example",
  creator: "me@example.com",
  creatorId: "usr_1",
  projectId: "prj_1",
  cloudId: "cld_1",
  errorMessage: null,
  primaryVersion: { id: "v1", name: "v1", state: "RUNNING", weight: 100 },
  canaryVersion: null,
  versions: [{ id: "v1", name: "v1", state: "RUNNING", weight: 100 }],
  deployment: { status: "succeeded", versionId: "v1" },
  rolloutStatus: null,
};

describe("a Service update's preview outputs", () => {
  it("keeps the service-level outputs known through a rollout and leaves the version's unknown", () => {
    const outs = previewUpdateOutputs(service, state, { ...inputs, imageUri: "anyscale/ray:2.49.0-py311" });
    for (const output of SERVICE_LEVEL_OUTPUTS) expect(outs[output]).toEqual(state[output as keyof typeof state]);
    expect(outs.primaryVersion).toBe(UNKNOWN_VALUE);
    expect(outs.state).toBe(UNKNOWN_VALUE);
  });

  it("leaves the token unknown when the rollout turns query auth off", () => {
    const outs = previewUpdateOutputs(service, state, { ...inputs, queryAuthTokenEnabled: false });
    expect(outs.queryAuthToken).toBe(UNKNOWN_VALUE);
    expect(outs.queryUrl).toBe(state.queryUrl);
  });

  it("keeps every computed output but the rollout status known through a tags-only change", () => {
    const outs = previewUpdateOutputs(service, state, { ...inputs, tags: { team: "ml" } });
    expect(outs.primaryVersion).toEqual(state.primaryVersion);
    expect(outs.queryAuthToken).toBe("token");
  });
});
