// Refresh folding live state into inputs (pure apart from build/compute-config lookups, faked here).
import type { AnyscaleClient } from "../../provider/anyscale/client";
import type { ServiceModel } from "../../provider/anyscale/service-models";
import { inputsFromLive, refreshedInputs } from "../../provider/service/drift";
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

describe("import and refresh read every declared field back", () => {
  const builds: Record<string, unknown> = {
    bld_cf: { id: "bld_cf", containerfile: "FROM anyscale/ray:2.58.0-py311\n", ray_version: "2.58.0", revision: 4, cluster_environment_id: "apt_1", application_template: { name: "image-for-service-svc" } },
    bld_byod: { id: "bld_byod", image_uri: "ghcr.io/me/img:7", docker_image_name: "ghcr.io/me/img:7", registry_login_secret: "my-secret", ray_version: "2.57.0", is_byod: true, cluster_environment_id: "apt_2" },
    bld_default: { id: "bld_default", image_uri: "anyscale/ray:2.59.0-py311", ray_version: "2.59.0", is_byod: true, cluster_environment_id: "DEFAULT_APP_CONFIG_ID_ray-2.59.0-py311" },
  };
  const client = {
    result: async (_schema: unknown, _method: string, path: string) => {
      if (path.startsWith("/api/v2/builds/")) return builds[path.split("/").pop()!];
      if (path.startsWith("/api/v2/integrations/connections/databricks/")) return { name: "local-databricks" };
      return { name: "big-cpu", version: 3 };
    },
  } as unknown as AnyscaleClient;
  const everything = (buildId: string) =>
    service({
      primary_version: version("a8x2k", 100, {
        build_id: buildId,
        ray_serve_config: { ...serve, http_options: { request_timeout_s: 30 } },
        tracing_config: { enabled: true, exporter_import_path: "my.exporter:make", sampling_ratio: 0.5 },
        ray_gcs_external_storage_config: { enable: true, address: "redis:6379", redis_certificate_path: "/etc/ssl/certs/ca-certificates.crt" },
        connection_ids: ["dbxconn_local_user"],
      }) as never,
    });

  it("import keeps the containerfile's image (by its Anyscale name), tracing, GCS storage, connections and Ray version, and no version name", async () => {
    const imported = await inputsFromLive(client, everything("bld_cf"), { team: "a" });
    expect(imported).toEqual({
      name: "svc",
      applications: serve.applications,
      imageUri: "anyscale/image/image-for-service-svc:4",
      rayVersion: "2.58.0",
      computeConfig: "big-cpu:3",
      connections: [{ type: "databricks", name: "local-databricks" }],
      queryAuthTokenEnabled: true,
      httpOptions: { request_timeout_s: 30 },
      rayGcsExternalStorageConfig: { enabled: true, address: "redis:6379" },
      tracingConfig: { enabled: true, exporterImportPath: "my.exporter:make", samplingRatio: 0.5 },
      tags: { team: "a" },
    });
  });

  it("import keeps a registered image's registry secret and Ray version; a default image names its own", async () => {
    expect(await inputsFromLive(client, everything("bld_byod"), {})).toMatchObject({ imageUri: "ghcr.io/me/img:7", registryLoginSecret: "my-secret", rayVersion: "2.57.0" });
    const onDefault = await inputsFromLive(client, everything("bld_default"), {});
    expect(onDefault.imageUri).toBe("anyscale/ray:2.59.0-py311");
    expect(onDefault.rayVersion).toBeUndefined();
  });

  it("refresh reports tracing, GCS storage and connections changed on the platform, and a user-set version name", async () => {
    const old: ServiceInputs = { ...inputs, versionName: "mine" };
    const live = everything("bld_1");
    live.primary_version!.compute_config_id = "cpt_1";
    live.primary_version!.ray_serve_config = serve;
    const refreshed = await refreshedInputs(client, old, live, {}, { ...deployment, versionId: "other" });
    expect(refreshed).toMatchObject({
      tracingConfig: { enabled: true, exporterImportPath: "my.exporter:make", samplingRatio: 0.5 },
      rayGcsExternalStorageConfig: { enabled: true, address: "redis:6379" },
      connections: [{ type: "databricks", name: "local-databricks" }],
      versionName: "a8x2k",
    });
    // Unchanged settings written with their defaults are not drift.
    const same = { ...inputs, tracingConfig: { enabled: true, exporterImportPath: "my.exporter:make", samplingRatio: 0.5 }, rayGcsExternalStorageConfig: { enabled: true, address: "redis:6379", certificatePath: "/etc/ssl/certs/ca-certificates.crt" }, connections: [{ type: "Databricks", name: "local-databricks" }] };
    expect(await refreshedInputs(client, same, live, {}, deployment)).toEqual(same);
  });
});
