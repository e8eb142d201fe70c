// Contract: the official `anyscale` CLI and SDK (pinned release) deploy services and submit jobs that
// name an image (--image-uri, image_uri in YAML or ServiceConfig) or a containerfile, build and read
// images, register and read compute configs, against the local control plane. Also: what the
// provider made, the CLI reads.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { api, waitUntil } from "../helpers/local-plane";
import { runAnyscalePython, type CliResult } from "../helpers/anyscale-cli";
import { JOB_APP_DIR, SERVICE_APP_DIR, jobConfig, serviceConfig, uniqueName, writeConfig } from "../helpers/cli-fixtures";
import { checked, type ProviderModule } from "../helpers/provider-driver";
import { useCliContract } from "../helpers/cli-contract";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const computeConfigProvider: ProviderModule = require("../../provider/computeconfig/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const imageProvider: ProviderModule = require("../../provider/containerimage/dynamic");

jest.setTimeout(180_000);

// The SDK polls a build every 3 s: a short build keeps each containerfile scenario to one poll.
const contract = useCliContract({ configure: [computeConfigProvider, imageProvider], plane: { buildMs: 500 } });
const anyscale = contract.anyscale;
const requestLog = contract.requests;
let containerfile: string;

beforeAll(() => {
  containerfile = path.join(contract.workDir, "Containerfile");
  fs.writeFileSync(containerfile, "FROM anyscale/ray:2.49.0-py311\nRUN pip install emoji\n");
});

async function serviceStatus(name: string): Promise<any> {
  return parse((await anyscale(["service", "status", "-n", name, "-v"])).stdout);
}

async function untilJobState(id: string, state: string): Promise<void> {
  await waitUntil(async () => (await api(contract.plane).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result?.state?.current_state === state, {
    timeoutMs: 60_000,
    intervalMs: 50,
    what: `job ${id} ${state}`,
  });
}

function jobIdOf(result: CliResult): string {
  const id = /ID: '([^']+)'/.exec(result.stderr)?.[1];
  if (!id) throw new Error(`no job id in submit output\n${result.stderr}`);
  return id;
}

describe("official CLI: images", () => {
  test("service deploy --image-uri registers the image and deploys on its build", async () => {
    const name = uniqueName("img-uri-svc");
    await anyscale(["service", "deploy", "--image-uri", "docker.io/acme/serve:1.0", "--name", name, "--working-dir", SERVICE_APP_DIR, "main:app"]);
    const status = await serviceStatus(name);
    expect(status.primary_version.config.image_uri).toBe("docker.io/acme/serve:1.0");
    const probes = (await requestLog()).filter((r) => r.path === "/api/v2/workos/deployment_infra");
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((r) => r.status === 200)).toBe(true);
  });

  test("service deploy -f with a containerfile builds the image, then deploys on it", async () => {
    const name = uniqueName("img-cf-svc");
    const file = writeConfig(contract.workDir, `${name}.yaml`, serviceConfig(name, { containerfile }));
    const deployed = await anyscale(["service", "deploy", "-f", file]);
    expect(deployed.stderr).toContain("Image build succeeded.");
    const status = await serviceStatus(name);
    expect(status.primary_version.config.image_uri).toBe(`anyscale/image/image-for-service-${name}:1`);
    // Redeploying the same containerfile reuses the succeeded build.
    const builds = (await requestLog()).filter((r) => r.method === "POST" && r.path === "/ext/v0/cluster_environment_builds").length;
    await anyscale(["service", "deploy", "-f", file]);
    expect((await requestLog()).filter((r) => r.method === "POST" && r.path === "/ext/v0/cluster_environment_builds").length).toBe(builds);
  });

  test("job submit --image-uri and a job with a containerfile run; job status -v shows each image", async () => {
    const byUri = jobIdOf(await anyscale(["job", "submit", "--name", uniqueName("img-uri-job"), "--image-uri", "docker.io/acme/batch:2", "--working-dir", JOB_APP_DIR, "--", "python3", "main.py"]));
    const name = uniqueName("img-cf-job");
    const file = writeConfig(contract.workDir, `${name}.yaml`, jobConfig("job.yaml", name, { containerfile }));
    const byContainerfile = jobIdOf(await anyscale(["job", "submit", "-f", file]));
    await untilJobState(byUri, "SUCCESS");
    await untilJobState(byContainerfile, "SUCCESS");
    expect(parse((await anyscale(["job", "status", "--id", byUri, "-v"])).stdout).config.image_uri).toMatch(/^anyscale\/image\/docker-io-acme-batch-2:1$/);
    expect(parse((await anyscale(["job", "status", "--id", byContainerfile, "-v"])).stdout).config.image_uri).toBe(`anyscale/image/image-for-job-${name}:1`);
  });

  test("the default build shows its real image URI in job status -v", async () => {
    const id = jobIdOf(await anyscale(["job", "submit", "--name", uniqueName("default-img"), "--working-dir", JOB_APP_DIR, "--", "python3", "main.py"]));
    await untilJobState(id, "SUCCESS");
    expect(parse((await anyscale(["job", "status", "--id", id, "-v"])).stdout).config.image_uri).toMatch(/^anyscale\/ray:\d+\.\d+\.\d+-py\d+$/);
  });

  test("image build | get | register, and a failed build's reason", async () => {
    const built = await anyscale(["image", "build", "-n", "cli-built", "-f", containerfile]);
    expect(built.stdout).toContain("anyscale/image/cli-built:1");
    expect((await anyscale(["image", "get", "-n", "cli-built"])).stdout).toContain("cli-built");
    const registered = await anyscale(["image", "register", "--image-uri", "docker.io/acme/reg:3", "--name", "cli-registered"]);
    expect(registered.stdout).toContain("anyscale/image/cli-registered:1");
    await api(contract.plane).post("/_local/images/cli-broken/next-build-fails", { reason: "RUN pip install emoji: exit code 1" });
    const failed = await anyscale(["image", "build", "-n", "cli-broken", "-f", containerfile], 1);
    expect(failed.stderr + failed.stdout).toContain("RUN pip install emoji: exit code 1");
  });

  test("the SDK deploys ServiceConfig(image_uri=…) and submits JobConfig(containerfile=…)", async () => {
    const service = uniqueName("sdk-img-svc");
    const job = uniqueName("sdk-cf-job");
    const script = [
      "import anyscale",
      "from anyscale.service.models import ServiceConfig",
      "from anyscale.job.models import JobConfig",
      `anyscale.service.deploy(ServiceConfig(name=${JSON.stringify(service)}, image_uri="docker.io/acme/sdk:1", working_dir=${JSON.stringify(SERVICE_APP_DIR)}, applications=[{"import_path": "main:app"}]))`,
      `print("JOB", anyscale.job.submit(JobConfig(name=${JSON.stringify(job)}, containerfile=${JSON.stringify(containerfile)}, entrypoint="python3 main.py", working_dir=${JSON.stringify(JOB_APP_DIR)}, max_retries=0)))`,
    ].join("\n");
    const result = await runAnyscalePython(contract.plane, script, { cwd: contract.workDir, timeoutMs: 120_000 });
    expect(result.code).toBe(0);
    const jobId = /JOB (\S+)/.exec(result.stdout)![1];
    await untilJobState(jobId, "SUCCESS");
    expect((await serviceStatus(service)).primary_version.config.image_uri).toBe("docker.io/acme/sdk:1");
  });
});

describe("official CLI: compute configs", () => {
  test("an unchanged inline compute config moves the held canary from 25 to 75 without a new version", async () => {
    const name = uniqueName("inline-canary");
    const compute = { head_node: { instance_type: "m5.large" }, worker_nodes: [{ instance_type: "m5.xlarge", min_nodes: 0, max_nodes: 2 }] };
    await anyscale(["service", "deploy", "-f", writeConfig(contract.workDir, `${name}-1.yaml`, serviceConfig(name, { compute_config: compute, version_name: "v1" }))]);
    await waitUntil(async () => (await api(contract.plane).get(`/api/v2/services-v2/?name=${name}`)).body.results?.[0]?.current_state === "RUNNING", { timeoutMs: 30_000, intervalMs: 25, what: "running" });
    const v2 = writeConfig(contract.workDir, `${name}-2.yaml`, serviceConfig(name, { compute_config: compute, version_name: "v2" }));
    await anyscale(["service", "deploy", "-f", v2, "--canary-percent", "25"]);
    const held = JSON.parse((await anyscale(["service", "status", "-n", name, "-j"])).stdout);
    const moved = await anyscale(["service", "deploy", "-f", v2, "--canary-percent", "75"]);
    expect(moved.code).toBe(0);
    const after = JSON.parse((await anyscale(["service", "status", "-n", name, "-j"])).stdout);
    expect(after.canary_version.id).toBe(held.canary_version.id);
    const id = (await api(contract.plane).get(`/api/v2/services-v2/?name=${name}`)).body.results[0].id;
    expect((await api(contract.plane).get(`/api/v2/services-v2/${id}/versions?count=50`)).body.results).toHaveLength(2);
  });

  test("compute-config get and image get read what the provider made", async () => {
    const inputs = await checked(computeConfigProvider, { name: "provider-made", headNode: { instanceType: "m5.large" }, workerNodes: [{ instanceType: "g5.xlarge", minNodes: 1, maxNodes: 3, marketType: "SPOT" }] });
    await computeConfigProvider.create(inputs);
    const config = parse((await anyscale(["compute-config", "get", "-n", "provider-made"])).stdout);
    expect(config).toMatchObject({
      name: "provider-made:1",
      config: { head_node: { instance_type: "m5.large" }, worker_nodes: [{ instance_type: "g5.xlarge", min_nodes: 1, max_nodes: 3, market_type: "SPOT" }] },
    });
    const image = await checked(imageProvider, { name: "provider-image", containerfile });
    const created = await imageProvider.create(image);
    const shown = await anyscale(["image", "get", "-n", "provider-image"]);
    expect(shown.stdout).toContain("provider-image");
    expect(created.outs!.imageUri).toBe("anyscale/image/provider-image:1");
  });

  test("a multi-resource compute config from the CLI and from the provider reach the plane alike", async () => {
    const multi = {
      flags: { shared: 1 },
      configs: [
        { cloud_resource: "vm-aws-us-west-2", head_node: { instance_type: "m5.large" }, worker_nodes: [{ instance_type: "g5.xlarge", min_nodes: 0, max_nodes: 2, market_type: "SPOT" }] },
        { cloud_resource: "vm-aws-us-east-1", head_node: { instance_type: "m5.xlarge" }, worker_nodes: [{ instance_type: "m5.xlarge", resources: { CPU: 4, custom: 1 } }], zones: ["us-east-1a"] },
      ],
    };
    await anyscale(["compute-config", "create", "-n", "cli-multi", "-f", writeConfig(contract.workDir, "multi.yaml", multi)]);
    const camel = {
      name: "provider-multi",
      flags: { shared: 1 },
      configs: [
        { cloudResource: "vm-aws-us-west-2", headNode: { instanceType: "m5.large" }, workerNodes: [{ instanceType: "g5.xlarge", minNodes: 0, maxNodes: 2, marketType: "SPOT" }] },
        { cloudResource: "vm-aws-us-east-1", headNode: { instanceType: "m5.xlarge" }, workerNodes: [{ instanceType: "m5.xlarge", resources: { CPU: 4, custom: 1 } }], zones: ["us-east-1a"] },
      ],
    };
    await computeConfigProvider.create(await checked(computeConfigProvider, camel));
    const bodies = (await requestLog()).filter((r) => r.method === "POST" && r.path.replace(/\/$/, "") === "/api/v2/compute_templates" && ["cli-multi", "provider-multi"].includes(r.body?.name));
    expect(bodies).toHaveLength(2);
    const [fromCli, fromProvider] = bodies.map((r) => normalized(r.body.config));
    expect(fromProvider).toEqual(fromCli);
    expect(fromCli.deployment_configs).toHaveLength(2);
  });

  test("the plane answered every call with a 2xx, except the deliberately failed build", async () => {
    const refused = (await requestLog()).filter((r) => r.status >= 400 && !(r.path.startsWith("/ext/v0/cluster_environment_builds") && r.status === 404));
    expect(refused.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([]);
  });
});

/** Nulls, empty objects and key order dropped: what both clients mean, compared field by field. */
function normalized(value: any): any {
  if (Array.isArray(value)) return value.map(normalized);
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .map(([key, inner]) => [key, normalized(inner)] as const)
      .filter(([, inner]) => inner !== null && inner !== undefined && !(typeof inner === "object" && !Array.isArray(inner) && Object.keys(inner).length === 0));
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  }
  return value;
}
