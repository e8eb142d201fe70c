// Import of services the official `anyscale` CLI made with every field it takes, against the local plane:
// the provider's read (what `pulumi import` calls) gives a program with no diff and no version name,
// and the next one-field change rolls out a version that keeps every other setting live.
import * as fs from "node:fs";
import * as path from "node:path";
import { api, waitUntil } from "../helpers/local-plane";
import { SERVICE_APP_DIR, serviceConfig, uniqueName, writeConfig } from "../helpers/cli-fixtures";
import { useCliContract } from "../helpers/cli-contract";
import { checked } from "../helpers/provider-driver";

jest.setTimeout(300_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const serviceProvider = require("../../provider/service/dynamic");
const contract = useCliContract({ configure: [serviceProvider] });
type Props = Record<string, any>;

const EVERY_FIELD = {
  query_auth_token_enabled: false,
  env_vars: { STAGE: "import" },
  http_options: { request_timeout_s: 60 },
  logging_config: { encoding: "JSON", log_level: "INFO" },
  tracing_config: { enabled: true, exporter_import_path: "main:exporter", sampling_ratio: 0.5 },
  ray_gcs_external_storage_config: { enabled: true, address: "redis.example:6379" },
  connections: [{ type: "databricks", name: "local-databricks" }],
  tags: { team: "import" },
};

async function cliDeploy(name: string, fields: Props): Promise<Props> {
  const file = writeConfig(contract.workDir, `${name}.yaml`, serviceConfig(name, { ...EVERY_FIELD, ...fields }));
  await contract.anyscale(["service", "deploy", "-f", file]);
  await waitUntil(async () => (await api(contract.plane).get(`/api/v2/services-v2/?name=${name}`)).body.results?.[0]?.current_state === "RUNNING", { timeoutMs: 60_000, intervalMs: 25, what: `${name} to run` });
  return (await api(contract.plane).get(`/api/v2/services-v2/?name=${name}`)).body.results[0];
}

/** Everything about the live service but its Serve applications and version name. */
const kept = (service: Props) => ({
  build_id: service.primary_version.build_id,
  compute_config_id: service.primary_version.compute_config_id,
  tracing_config: service.primary_version.tracing_config,
  ray_gcs_external_storage_config: service.primary_version.ray_gcs_external_storage_config,
  connection_ids: service.primary_version.connection_ids,
  serve_options: { ...service.primary_version.ray_serve_config, applications: undefined },
  auth: service.auth_token ?? null,
});

async function importThenChangeOneField(cliMade: Props): Promise<Props> {
  const imported = await serviceProvider.read(cliMade.id, {});
  const program = imported.inputs as Props;
  expect(program.versionName).toBeUndefined();
  const inputs = await checked(serviceProvider, program, program);
  expect((await serviceProvider.diff(cliMade.id, imported.props, inputs)).changes).toBe(false);
  const changed = await checked(serviceProvider, { ...program, applications: program.applications.map((a: Props) => ({ ...a, route_prefix: "/v2" })) }, inputs);
  const updated = await serviceProvider.update(cliMade.id, imported.props, changed);
  expect(updated.outs).toMatchObject({ state: "RUNNING" });
  const after = (await api(contract.plane).get(`/api/v2/services-v2/${cliMade.id}`)).body.result;
  expect(after.primary_version.id).not.toBe(cliMade.primary_version.id);
  expect(kept(after)).toEqual(kept(cliMade));
  return program;
}

describe("official CLI → pulumi import", () => {
  test("a service with its own containerfile image and Ray version keeps them", async () => {
    const containerfile = path.join(contract.workDir, "Containerfile");
    fs.writeFileSync(containerfile, "FROM anyscale/ray:2.58.0-py311\nRUN pip install emoji\n");
    const name = uniqueName("import-cf");
    const cliMade = await cliDeploy(name, { containerfile, ray_version: "2.58.0" });
    const program = await importThenChangeOneField(cliMade);
    expect(program).toMatchObject({
      imageUri: expect.stringMatching(/^anyscale\/image\//),
      rayVersion: "2.58.0",
      queryAuthTokenEnabled: false,
      tracingConfig: { enabled: true, exporterImportPath: "main:exporter", samplingRatio: 0.5 },
      rayGcsExternalStorageConfig: { enabled: true, address: "redis.example:6379" },
      connections: [{ type: "databricks", name: "local-databricks" }],
      httpOptions: { request_timeout_s: 60 },
    });
  });

  test("a service on a registered image keeps its registry login secret and Ray version", async () => {
    const name = uniqueName("import-byod");
    const cliMade = await cliDeploy(name, { image_uri: "ghcr.io/import/img:3", registry_login_secret: "import-secret", ray_version: "2.57.0", working_dir: SERVICE_APP_DIR });
    const program = await importThenChangeOneField(cliMade);
    expect(program).toMatchObject({ imageUri: "ghcr.io/import/img:3", registryLoginSecret: "import-secret", rayVersion: "2.57.0" });
  });
});
