// The sdk class and YAML loader, with Pulumi's mocks (no engine): what the program registers.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { serviceArgsFromYaml, YamlConfigError } from "../../sdk/yaml";
import { timeoutsFromOptions } from "../../sdk/common";

// Closure serialization needs V8 inspector hooks jest does not provide; the real serialization
// (a require reference) is covered by the e2e tests with the pulumi CLI.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure");
jest.spyOn(closure, "serializeFunction").mockResolvedValue({ text: "exports.handler = () => require('pulumi-anyscale/dist/provider/service/dynamic');", exportName: "handler", containsSecrets: false });

const registered: Array<{ type: string; name: string; inputs: any }> = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, state: "RUNNING", queryAuthToken: "tok" } };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Service } = require("../../sdk/service") as typeof import("../../sdk/service");

function writeYaml(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-yaml-"));
  const file = path.join(dir, "service.yaml");
  fs.writeFileSync(file, text);
  return file;
}

const outputValue = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("anyscale.Service (sdk)", () => {
  beforeEach(() => (registered.length = 0));

  it("registers a dynamic resource with auto-naming, carried customTimeouts and a require'd provider", async () => {
    const service = new Service("api", { applications: [{ import_path: "main:app" }] }, { customTimeouts: { create: "45m" } });
    await outputValue(service.state);
    const [resource] = registered;
    expect(resource.type).toBe("pulumi-nodejs:dynamic/anyscale:Service");
    expect(resource.inputs).toMatchObject({ autoNamePrefix: "api", timeouts: { create: "45m" }, applications: [{ import_path: "main:app" }] });
    expect(resource.inputs.name).toBeUndefined();
    expect(typeof resource.inputs.__provider).toBe("string");
  });

  it("explicit timeouts win over customTimeouts", async () => {
    const merged = timeoutsFromOptions({ update: "5m" }, { customTimeouts: { update: "1h", delete: "2m" } });
    expect(await outputValue(pulumi.output(merged!))).toEqual({ update: "5m", delete: "2m" });
    expect(timeoutsFromOptions(undefined, undefined)).toBeUndefined();
  });

  it("loads the official service YAML unchanged", () => {
    const file = writeYaml(`
name: my-service
applications:
  - import_path: main:app
    runtime_env:
      env_vars: {A: "1"}
image_uri: anyscale/image/my-image:1
compute_config: my-compute-config:1
working_dir: ./src
excludes: [.git]
requirements:
  - emoji==1.2.0
env_vars:
  MY_ENV_VAR: 3
py_modules: [./mod, s3://bucket/m.zip]
cloud: anyscale-prod
project: my-project
query_auth_token_enabled: True
http_options: {request_timeout_s: 60}
grpc_options: {port: 50051, grpc_servicer_functions: [m:f]}
logging_config: {encoding: JSON}
ray_gcs_external_storage_config: {enabled: true, address: "http://redis:8888", certificate_path: /etc/ssl/c.crt}
tracing_config: {enabled: true, exporter_import_path: "m:e", sampling_ratio: 1.0}
tags: {team: serving}
connections:
  - type: databricks
    name: my-conn
`);
    const args = serviceArgsFromYaml(file);
    expect(args).toMatchObject({
      name: "my-service",
      imageUri: "anyscale/image/my-image:1",
      computeConfig: "my-compute-config:1",
      requirements: ["emoji==1.2.0"],
      envVars: { MY_ENV_VAR: "3" },
      queryAuthTokenEnabled: true,
      rayGcsExternalStorageConfig: { enabled: true, address: "http://redis:8888", certificatePath: "/etc/ssl/c.crt" },
      tracingConfig: { enabled: true, exporterImportPath: "m:e", samplingRatio: 1 },
      connections: [{ type: "databricks", name: "my-conn" }],
    });
    expect(path.resolve(args.workingDir as string)).toBe(path.join(path.dirname(file), "src"));
    expect((args.pyModules as string[])[1]).toBe("s3://bucket/m.zip");
  });

  it("rejects unknown YAML keys by name", () => {
    expect(() => serviceArgsFromYaml(writeYaml("name: x\napplications: []\nimage: y\n"))).toThrow(YamlConfigError);
    expect(() => serviceArgsFromYaml(writeYaml("name: x\napplications: []\nimage: y\n"))).toThrow(/unknown ServiceConfig field 'image'/);
    expect(() => serviceArgsFromYaml(writeYaml("tracing_config: {enabled: true, ratio: 1}\n"))).toThrow(/tracing_config.ratio/);
  });

  it("fromYaml applies overrides over the file", async () => {
    const file = writeYaml("name: from-yaml\napplications:\n  - import_path: main:app\n");
    const service = Service.fromYaml("svc", file, { rollout: { canaryPercent: 10 } });
    await outputValue(service.state);
    expect(registered[0].inputs).toMatchObject({ name: "from-yaml", rollout: { canaryPercent: 10 } });
    expect(registered[0].inputs.autoNamePrefix).toBeUndefined();
  });
});
