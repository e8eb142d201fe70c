// Refresh folding live state into inputs (pure apart from build/compute-config lookups, faked here).
import type { AnyscaleClient } from "../../provider/anyscale/client";
import type { ServiceModel } from "../../provider/anyscale/service-models";
import { refreshedInputs } from "../../provider/service/drift";
import { rolloutUnderWay } from "../../provider/service/read";
import { digestRayServeConfig, type DeploymentRecord } from "../../provider/service/outputs";
import type { ServiceInputs } from "../../provider/service/schema";

const serve = { applications: [{ import_path: "main:app" }] };
const fakeClient = {
  result: async (_schema: unknown, _method: string, path: string) =>
    path.startsWith("/api/v2/builds/") ? { image_uri: "repo/other:2" } : { name: "big-cpu", version: 3 },
} as unknown as AnyscaleClient;

const version = (id: string, weight: number, extra: Record<string, unknown> = {}) => ({
  id,
  version: id,
  current_state: "RUNNING",
  weight,
  build_id: "bld_1",
  compute_config_id: "cpt_1",
  ray_serve_config: serve,
  ...extra,
});
const service = (extra: Partial<ServiceModel> = {}): ServiceModel => ({
  id: "service2_1",
  name: "svc",
  project_id: "prj",
  current_state: "RUNNING",
  auth_token: "tok_abcdef",
  primary_version: version("v1", 100),
  canary_version: null,
  ...extra,
});
const deployment: DeploymentRecord = { status: "succeeded", versionId: "v1", buildId: "bld_1", computeConfigId: "cpt_1", rayServeConfigDigest: digestRayServeConfig(serve) };
const inputs: ServiceInputs = { name: "svc", applications: serve.applications, imageUri: "repo/img:1", computeConfig: "small:1" };

describe("refresh drift", () => {
  it("leaves inputs alone when nothing changed outside Pulumi", async () => {
    expect(await refreshedInputs(fakeClient, inputs, service(), {}, deployment)).toEqual(inputs);
  });

  it("picks up tags, bearer auth, image and compute config changed outside Pulumi", async () => {
    const live = service({ auth_token: null, primary_version: version("v9", 100, { build_id: "bld_9", compute_config_id: "cpt_9" }) });
    const refreshed = await refreshedInputs(fakeClient, inputs, live, { owner: "x" }, deployment);
    expect(refreshed).toMatchObject({ tags: { owner: "x" }, queryAuthTokenEnabled: false, imageUri: "repo/other:2", computeConfig: "big-cpu:3" });
  });

  it("shows a foreign canary's Serve config as drift", async () => {
    const hotfix = { applications: [{ import_path: "main:hotfix" }] };
    const refreshed = await refreshedInputs(fakeClient, inputs, service({ canary_version: version("v2", 5, { ray_serve_config: hotfix }) }), {}, deployment);
    expect(refreshed.applications).toEqual(hotfix.applications);
  });

  it("reports a held canary's live weight", async () => {
    const held = { ...inputs, rollout: { canaryPercent: 10 } };
    const heldDeployment = { ...deployment, versionId: "v2" };
    const moved = service({ canary_version: version("v2", 40) });
    expect((await refreshedInputs(fakeClient, held, moved, {}, heldDeployment)).rollout).toEqual({ canaryPercent: 40 });
    const completed = service({ primary_version: version("v2", 100) });
    expect((await refreshedInputs(fakeClient, held, completed, {}, heldDeployment)).rollout).toEqual({});
  });
});

describe("a rollout still under way at refresh", () => {
  it("is a canary no finished up recorded, heading to 100%: the next up must wait for it", () => {
    const rolling = service({ current_state: "ROLLING_OUT", primary_version: version("v1", 70), canary_version: version("v2", 30, { target_weight: 100 }) as never });
    expect(rolloutUnderWay(rolling, deployment)).toBe(true);
  });

  it("is not our own held canary, a canary held below 100%, or a service at rest", () => {
    const held = service({ primary_version: version("v1", 75), canary_version: version("v2", 25, { target_weight: 25 }) as never });
    expect(rolloutUnderWay(held, deployment)).toBe(false);
    expect(rolloutUnderWay(held, { ...deployment, versionId: "v2" })).toBe(false);
    const ours = service({ current_state: "ROLLING_OUT", canary_version: version("v2", 30, { target_weight: 100 }) as never });
    expect(rolloutUnderWay(ours, { ...deployment, versionId: "v2" })).toBe(false);
    expect(rolloutUnderWay(service(), deployment)).toBe(false);
  });
});
