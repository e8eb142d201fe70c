import { parse } from "yaml";
import { api, waitUntil } from "../helpers/local-plane";
import { JOB_APP_DIR, jobConfig, serviceConfig, uniqueName, writeConfig } from "../helpers/cli-fixtures";
import { useCliContract, type LoggedRequest } from "../helpers/cli-contract";

// Contract: the official `anyscale` CLI (0.26.112) cases that once failed against the local plane:
// `compute-config list` (the external search), `service terminate -f` (the legacy config model's
// default-image and default-compute lookups), a job with an inline multi-resource compute config
// and a local working dir (`runtime_env.relative_working_dir`), and `anyscale/ray:*` images shown as
// the platform's own images rather than `anyscale/image/<name>:<revision>`.

jest.setTimeout(180_000);

const contract = useCliContract();
const anyscale = contract.anyscale;

async function requestsSince(mark: number): Promise<LoggedRequest[]> {
  return (await contract.requests()).slice(mark);
}

async function untilJobState(id: string, states: string[]): Promise<void> {
  await waitUntil(
    async () => states.includes((await api(contract.plane).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result?.state?.current_state),
    { timeoutMs: 60_000, intervalMs: 50, what: `job ${id} in ${states.join("|")}` },
  );
}

async function submitJob(name: string, overrides: Record<string, unknown>): Promise<{ id: string; create: any }> {
  const file = writeConfig(contract.workDir, `${name}.yaml`, jobConfig("job.yaml", name, overrides));
  const mark = (await contract.requests()).length;
  const result = await anyscale(["job", "submit", "-f", file]);
  const create = (await requestsSince(mark)).find((r) => r.method === "POST" && r.path === "/api/v2/decorated_ha_jobs/create");
  const id = /ID: '([^']+)'/.exec(result.stderr)?.[1];
  if (!id || !create) throw new Error(`job submit sent no create\n${result.stderr}`);
  return { id, create: create.body };
}

describe("official CLI: compute-config list", () => {
  const prefix = uniqueName("cc-list");

  beforeAll(async () => {
    for (const suffix of ["b", "a", "c"]) {
      const file = writeConfig(contract.workDir, `${prefix}-${suffix}.yaml`, { cloud: "anyscale_v2_default_cloud", head_node: { instance_type: "m5.large" } });
      await anyscale(["compute-config", "create", "-n", `${prefix}-${suffix}`, "-f", file]);
    }
  });

  test("lists the caller's configs through POST /ext/v0/cluster_computes/search (text and json)", async () => {
    const mark = (await contract.requests()).length;
    const text = await anyscale(["compute-config", "list", "--sort-by", "name"]);
    expect(text.stdout).toContain("Compute configs:");
    for (const suffix of ["a", "b", "c"]) expect(text.stdout).toMatch(new RegExp(`cpt_\\w+\\s+${prefix}-${suffix}\\s+anyscale_v2_default_cloud`));
    const search = (await requestsSince(mark)).find((r) => r.method === "POST" && r.path === "/ext/v0/cluster_computes/search");
    expect(search).toMatchObject({ status: 200, body: { creator_id: expect.any(String), sort_by_clauses: [{ sort_field: "NAME", sort_order: "ASC" }] } });

    const json = JSON.parse((await anyscale(["compute-config", "list", "-n", `${prefix}-a`, "-o", "json"])).stdout);
    expect(json.results).toEqual([expect.objectContaining({ name: `${prefix}-a`, version: 1, cloud_id: expect.stringMatching(/^cld_/) })]);
    expect(json.metadata).toEqual({ count: 1, next_token: null });
  });

  test("sorts descending and pages with --max-items / --next-token", async () => {
    const all = JSON.parse((await anyscale(["compute-config", "list", "--include-shared", "--sort-by", "name", "--sort-order", "desc", "-o", "json"])).stdout);
    const ours = all.results.map((r: any) => r.name).filter((n: string) => n.startsWith(prefix));
    expect(ours).toEqual([`${prefix}-c`, `${prefix}-b`, `${prefix}-a`]);

    const first = JSON.parse((await anyscale(["compute-config", "list", "--sort-by", "name", "--max-items", "1", "-o", "json"])).stdout);
    expect(first.results).toHaveLength(1);
    expect(first.metadata.next_token).toEqual(expect.any(String));
    const second = JSON.parse((await anyscale(["compute-config", "list", "--sort-by", "name", "--max-items", "1", "--next-token", first.metadata.next_token, "-o", "json"])).stdout);
    expect(second.results).toHaveLength(1);
    expect(second.results[0].name > first.results[0].name).toBe(true);
  });
});

describe("official CLI: service terminate -f", () => {
  test("resolves the service from a config file naming no image or compute config", async () => {
    const name = uniqueName("terminate-by-file");
    await anyscale(["service", "deploy", "-f", writeConfig(contract.workDir, `${name}.yaml`, serviceConfig(name))]);
    // The command parses the file with the CLI's legacy service model, which fills in the default
    // image (GET /api/v2/builds/default/{python}/{ray}) and compute config before finding the service.
    const legacy = writeConfig(contract.workDir, `${name}-legacy.yaml`, { name, ray_serve_config: { applications: [{ name: "greeter", import_path: "main:app" }] } });
    const mark = (await contract.requests()).length;
    const result = await anyscale(["service", "terminate", "-f", legacy]);
    expect(result.stderr).toMatch(/Service service2_\w+ terminate initiated\./);
    const requests = await requestsSince(mark);
    expect(requests.find((r) => /^\/api\/v2\/builds\/default\/py\d+\/[\w.]+$/.test(r.path))?.status).toBe(200);
    expect(requests.find((r) => r.path.startsWith("/ext/v0/compute_templates/default/"))?.status).toBe(200);
    expect(requests.filter((r) => r.status >= 400)).toEqual([]);
    expect(requests.some((r) => r.method === "POST" && /^\/api\/v2\/services-v2\/[^/]+\/terminate$/.test(r.path))).toBe(true);
  });
});

describe("official CLI: jobs on the plane's edges", () => {
  test("a job with an inline multi-resource compute config runs its uploaded working dir (relative_working_dir)", async () => {
    const name = uniqueName("multi-resource-job");
    const { id, create } = await submitJob(name, {
      compute_config: {
        cloud: "anyscale_v2_default_cloud",
        configs: [
          { cloud_resource: "vm-aws-us-west-2", head_node: { instance_type: "m5.large" } },
          { cloud_resource: "vm-aws-us-east-1", head_node: { instance_type: "m5.xlarge" } },
        ],
      },
    });
    expect(create.config.runtime_env.relative_working_dir).toMatch(/runtime_env_packages\/pkg_[0-9a-f]{32}\.zip$/);
    expect(create.config.runtime_env).not.toHaveProperty("working_dir");
    expect(create.config.runtime_env.user_provided_working_dir).toBe(JOB_APP_DIR);
    await untilJobState(id, ["SUCCESS", "OUT_OF_RETRIES", "BROKEN"]);
    const logs = await anyscale(["job", "logs", "--id", id]);
    expect(logs.stdout).toContain("greeting=hello");
    expect(logs.stdout).toContain("contract job done");
    expect((await api(contract.plane).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result.state.current_state).toBe("SUCCESS");
  });

  test("every anyscale/ray:* image is a platform default: status shows its URI, the seeded one keeps the seeded build", async () => {
    const seededBuild = (await api(contract.plane).get("/ext/v0/cluster_environment_builds/default")).body.result;
    const seededUri = String(seededBuild.docker_image_name);
    for (const imageUri of ["anyscale/ray:2.44.1-py311", seededUri]) {
      const name = uniqueName("default-image-job");
      const { id, create } = await submitJob(name, { image_uri: imageUri });
      if (imageUri === seededUri) expect(create.config.build_id).toBe(seededBuild.id);
      const build = (await api(contract.plane).get(`/ext/v0/cluster_environment_builds/${create.config.build_id}`)).body.result;
      expect(build.cluster_environment_id).toMatch(/^DEFAULT_APP_CONFIG_ID/);
      const verbose = parse((await anyscale(["job", "status", "--id", id, "-v"])).stdout);
      expect(verbose.config.image_uri).toBe(imageUri);
    }
  });

  test("an image that is not the platform's own still shows as anyscale/image/<name>:<revision>", async () => {
    const { id } = await submitJob(uniqueName("byod-image-job"), { image_uri: "docker.io/library/python:3.11-slim" });
    const verbose = parse((await anyscale(["job", "status", "--id", id, "-v"])).stdout);
    expect(verbose.config.image_uri).toMatch(/^anyscale\/image\/docker-io-library-python-3-11-slim:\d+$/);
  });
});
