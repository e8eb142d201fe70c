// Import keeps everything: a service made outside Pulumi (the requests the official CLI sends) with its
// own image built from a containerfile, tracing, external GCS storage, a Databricks connection, Serve
// options and bearer auth off is imported through read; the program made from it has no diff, and the
// next one-field change rolls out a version that keeps every other setting.
import * as provider from "../../provider/service/dynamic";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, planeDefaults, waitUntil, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(120_000);
const plane = withLocalPlane();
type Props = Record<string, any>;

const CONTAINERFILE = "FROM anyscale/ray:2.58.0-py311\nRUN pip install emoji\n";

async function serviceMadeOutsidePulumi(name: string): Promise<Props> {
  const client = api(plane());
  const defaults = await planeDefaults(client);
  const env = (await client.post("/ext/v0/cluster_environments", { name: `image-for-service-${name}`, anonymous: false })).body.result;
  const operation = (await client.post("/ext/v0/cluster_environment_builds", { cluster_environment_id: env.id, containerfile: CONTAINERFILE, ray_version: "2.58.0" })).body.result;
  const buildId = operation.cluster_environment_build_id;
  await waitUntil(async () => (await client.get(`/ext/v0/cluster_environment_builds/${buildId}`)).body.result.status === "succeeded", { what: "the image build" });
  const applied = await client.put("/api/v2/services-v2/apply", {
    name,
    project_id: defaults.projectId,
    build_id: buildId,
    compute_config_id: defaults.computeConfigId,
    ray_serve_config: { applications: [{ name: "default", import_path: "main:app" }], http_options: { request_timeout_s: 30 } },
    config: { access: { use_bearer_token: false } },
    tracing_config: { enabled: true, exporter_import_path: "tracing.exporter:make", sampling_ratio: 0.25 },
    ray_gcs_external_storage_config: { enable: true, address: "redis.example:6379", redis_certificate_path: "/etc/ssl/certs/ca-certificates.crt" },
    connection_ids: ["dbxconn_local_user"],
    rollout_strategy: "ROLLOUT",
  });
  expect(applied.status).toBe(202);
  const id = applied.body.result.id;
  await waitUntil(async () => (await client.get(`/api/v2/services-v2/${id}`)).body.result.current_state === "RUNNING", { what: "the service to run" });
  return (await client.get(`/api/v2/services-v2/${id}`)).body.result;
}

/** What must survive: everything about the primary version except its Serve config and name. */
const kept = (service: Props) => ({
  build_id: service.primary_version.build_id,
  compute_config_id: service.primary_version.compute_config_id,
  tracing_config: service.primary_version.tracing_config,
  ray_gcs_external_storage_config: service.primary_version.ray_gcs_external_storage_config,
  connection_ids: service.primary_version.connection_ids,
  http_options: service.primary_version.ray_serve_config.http_options,
  auth: service.auth_token ?? null,
});

describe("import of a service made outside Pulumi", () => {
  beforeAll(() => configureFor(provider, plane(), { pollIntervalMs: 20 }));

  it("keeps every setting, has no diff, and the next one-field change keeps the rest live", async () => {
    const original = await serviceMadeOutsidePulumi("svc-imported");
    const imported = await provider.read(original.id, {});
    const program = imported.inputs as Props;
    expect(program).toMatchObject({
      name: "svc-imported",
      imageUri: expect.stringMatching(/^anyscale\/image\/image-for-service-svc-imported:1$/),
      rayVersion: "2.58.0",
      queryAuthTokenEnabled: false,
      httpOptions: { request_timeout_s: 30 },
      tracingConfig: { enabled: true, exporterImportPath: "tracing.exporter:make", samplingRatio: 0.25 },
      rayGcsExternalStorageConfig: { enabled: true, address: "redis.example:6379" },
      connections: [{ type: "databricks", name: "local-databricks" }],
    });
    // The live version's name is the platform's: writing it into the program would be refused by the next deploy.
    expect(program.versionName).toBeUndefined();

    // `preview --expect-no-changes` over the program the import wrote.
    const inputs = await checkedBy(provider, program, program);
    expect((await provider.diff(original.id, imported.props as Props, inputs)).changes).toBe(false);

    // One field changed: a new version, every other setting as it was.
    const changed = await checkedBy(provider, { ...program, applications: [{ name: "default", import_path: "main:v2" }] }, inputs);
    const updated = await provider.update(original.id, imported.props as Props, changed);
    expect(updated.outs).toMatchObject({ state: "RUNNING" });
    const after = (await api(plane()).get(`/api/v2/services-v2/${original.id}`)).body.result;
    expect(after.primary_version.id).not.toBe(original.primary_version.id);
    expect(after.primary_version.ray_serve_config.applications[0].import_path).toBe("main:v2");
    expect(kept(after)).toEqual(kept(original));
  });
});
