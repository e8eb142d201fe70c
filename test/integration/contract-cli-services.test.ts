import { parse } from "yaml";
import { api, waitUntil } from "../helpers/local-plane";
import { runAnyscaleCli, type CliResult } from "../helpers/anyscale-cli";
import { serviceConfig, uniqueName, writeConfig } from "../helpers/cli-fixtures";
import { useCliContract, type LoggedRequest } from "../helpers/cli-contract";

// Contract: the official `anyscale` CLI (pinned release) drives every service command of the
// seed reference against the local control plane, over real HTTP. Each scenario asserts the
// CLI's exit code and output, and what reached the wire (the plane's request log).

jest.setTimeout(180_000);

const contract = useCliContract();
const anyscale = contract.anyscale;

async function requestsSince(mark: number): Promise<LoggedRequest[]> {
  const log = await api(contract.plane).get<LoggedRequest[]>("/_local/requests");
  return log.body.slice(mark);
}

async function requestCount(): Promise<number> {
  return (await api(contract.plane).get<LoggedRequest[]>("/_local/requests")).body.length;
}

function applyBodies(requests: LoggedRequest[]): any[] {
  return requests.filter((r) => r.method === "PUT" && r.path === "/api/v2/services-v2/apply").map((r) => r.body);
}

async function statusJson(name: string): Promise<any> {
  const result = await anyscale(["service", "status", "-n", name, "-j"]);
  return JSON.parse(result.stdout);
}

async function deploy(name: string, extraArgs: string[] = [], overrides: Record<string, unknown> = {}): Promise<{ result: CliResult; apply: any; requests: LoggedRequest[] }> {
  const file = writeConfig(contract.workDir, `${name}-${Date.now()}.yaml`, serviceConfig(name, overrides));
  const mark = await requestCount();
  const result = await anyscale(["service", "deploy", "-f", file, ...extraArgs]);
  const requests = await requestsSince(mark);
  const applies = applyBodies(requests);
  expect(applies).toHaveLength(1);
  return { result, apply: applies[0], requests };
}

/**
 * `service wait` sleeps 5 s between polls (not configurable from the CLI), so the plane is polled
 * over its own API first; the CLI's first look then already sees the target state.
 */
async function waitFor(name: string, state: string): Promise<CliResult> {
  await waitUntil(
    async () => {
      const found = await api(contract.plane).get(`/api/v2/services-v2/?name=${encodeURIComponent(name)}&archive_status=ALL&count=50`);
      return found.body.results?.some((s: any) => s.name === name && s.current_state === state);
    },
    { timeoutMs: 30_000, intervalMs: 25, what: `${name} to be ${state}` },
  );
  return anyscale(["service", "wait", "-n", name, "--state", state, "--timeout-s", "60"]);
}

describe("official CLI: anyscale service", () => {
  const name = uniqueName("contract-svc");

  test("deploy -f with a local working_dir runs the upload flow, then applies", async () => {
    const { result, apply, requests } = await deploy(name, [], { version_name: "v1" });

    expect(result.stderr).toContain(`Starting new service '${name}'.`);
    expect(result.stderr).toContain("Uploading local dir");
    expect(result.stderr).toMatch(new RegExp(`Service '${name}' deployed \\(version ID: [a-z0-9]{8}\\)\\.`));
    // The official CLI prints the query token in its curl hint; the local plane issued it.
    expect(result.stderr).toMatch(/curl -H "Authorization: Bearer [^"]+" http/);

    const presign = requests.find((r) => r.method === "POST" && r.path.endsWith("/generate_cloud_data_bucket_presigned_url"));
    expect(presign?.status).toBe(200);
    expect(presign?.body).toEqual({ file_type: "runtime_env_packages", file_name: expect.stringMatching(/^pkg_[0-9a-f]{32}\.zip$/), access_mode: "WRITE" });
    const upload = requests.find((r) => r.method === "PUT" && r.path !== "/api/v2/services-v2/apply");
    expect(upload?.status).toBeGreaterThanOrEqual(200);
    expect(upload?.status).toBeLessThan(300);

    expect(apply).toMatchObject({
      name,
      version: "v1",
      rollout_strategy: "ROLLOUT",
      config: { access: { use_bearer_token: true }, protocols: { grpc: { enabled: false, service_names: [] } }, env_vars: { STAGE: "contract" } },
      tags: { team: "contract" },
    });
    expect(apply).not.toHaveProperty("canary_percent");
    expect(apply).not.toHaveProperty("max_surge_percent");
    const runtimeEnv = apply.ray_serve_config.applications[0].runtime_env;
    expect(runtimeEnv.working_dir).toMatch(/pkg_[0-9a-f]{32}\.zip$/);
    expect(runtimeEnv.user_provided_working_dir).toContain("service-app");
    expect(runtimeEnv.env_vars).toEqual({ GREETING: "hello", STAGE: "contract" });
    expect(runtimeEnv.pip).toEqual(["requests==2.32.3"]);
    expect(typeof apply.build_id).toBe("string");
    expect(typeof apply.compute_config_id).toBe("string");
    expect(typeof apply.project_id).toBe("string");
  });

  test("service wait reaches RUNNING", async () => {
    const result = await anyscale(["service", "wait", "-n", name, "--timeout-s", "60"]);
    expect(result.stderr).toContain(`Waiting for service '${name}' to reach target state RUNNING`);
    expect(result.stderr).toContain(`Service '${name}' reached target state, exiting`);
  });

  test("service wait times out with exit 1 and the last seen state", async () => {
    const result = await anyscale(["service", "wait", "-n", name, "--state", "TERMINATED", "--timeout-s", "1"], 1);
    expect(result.stderr).toContain(`Service '${name}' did not reach target state TERMINATED within 1.0s. Last seen state: RUNNING.`);
  });

  test("service status -j and -v", async () => {
    const status = await statusJson(name);
    expect(status).toMatchObject({ name, state: "RUNNING", primary_version: { name: "v1", state: "RUNNING", weight: 100 } });
    expect(status.id).toEqual(expect.any(String));
    expect(status.query_url).toMatch(/^http/);
    expect(status.primary_version.id).toHaveLength(8);
    expect(status.primary_version).not.toHaveProperty("config");
    expect(status.canary_version ?? null).toBeNull();

    const verbose = await anyscale(["service", "status", "-n", name, "-v"]);
    const detailed = parse(verbose.stdout);
    expect(detailed.primary_version.config).toMatchObject({
      name,
      version_name: "v1",
      query_auth_token_enabled: true,
      applications: [expect.objectContaining({ name: "greeter", import_path: "main:app" })],
    });
    // Derived by the CLI from the build and its cluster environment (docker_image_name for BYOD builds).
    expect(detailed.primary_version.config.image_uri).toMatch(/^[\w.\-/:@]+$/);
    expect(detailed.primary_version.config.compute_config).toBeTruthy();
  });

  test("deploy --canary-percent holds the canary at that weight", async () => {
    const { result, apply } = await deploy(name, ["--canary-percent", "30"], { version_name: "v2" });
    expect(result.stderr).toContain(`Updating existing service '${name}'.`);
    expect(result.stderr).toContain("target canary percent: 30");
    expect(apply).toMatchObject({ version: "v2", canary_percent: 30, rollout_strategy: "ROLLOUT" });

    const status = await statusJson(name);
    expect(status.primary_version.name).toBe("v1");
    expect(status.canary_version).toMatchObject({ name: "v2" });
  });

  test("service rollback returns to the primary version", async () => {
    const mark = await requestCount();
    await anyscale(["service", "rollback", "-n", name, "--max-surge-percent", "50"]);
    const rollback = (await requestsSince(mark)).find((r) => r.method === "POST" && r.path.endsWith("/rollback"));
    expect(rollback?.body).toEqual({ max_surge_percent: 50 });

    await waitFor(name, "RUNNING");
    const status = await statusJson(name);
    expect(status.primary_version.name).toBe("v1");
    expect(status.canary_version ?? null).toBeNull();
  });

  test("deploy --max-surge-percent rolls out fully", async () => {
    const { apply } = await deploy(name, ["--max-surge-percent", "40"], { version_name: "v3" });
    expect(apply).toMatchObject({ version: "v3", max_surge_percent: 40, rollout_strategy: "ROLLOUT" });
    expect(apply).not.toHaveProperty("canary_percent");
    await waitFor(name, "RUNNING");
    const status = await statusJson(name);
    expect(status.primary_version).toMatchObject({ name: "v3", weight: 100 });
  });

  test("deploy --in-place keeps the build and compute config of the primary version", async () => {
    const before = (await api(contract.plane).get(`/api/v2/services-v2/${(await statusJson(name)).id}`)).body.result;
    const { apply } = await deploy(name, ["--in-place"], { version_name: "v3-hotfix" });
    expect(apply).toMatchObject({
      rollout_strategy: "IN_PLACE",
      build_id: before.primary_version.build_id,
      compute_config_id: before.primary_version.compute_config_id,
    });
    expect(apply).not.toHaveProperty("canary_percent");
    expect(apply).not.toHaveProperty("max_surge_percent");
    await waitFor(name, "RUNNING");
  });

  test("--in-place on a service that does not exist fails before calling apply", async () => {
    const missing = uniqueName("contract-missing");
    const file = writeConfig(contract.workDir, `${missing}.yaml`, serviceConfig(missing));
    const mark = await requestCount();
    const result = await anyscale(["service", "deploy", "-f", file, "--in-place"], 1);
    expect(result.stderr).toContain(`no service was found with name '${missing}'`);
    expect(applyBodies(await requestsSince(mark))).toHaveLength(0);
  });

  test("service tags add | list | remove", async () => {
    await anyscale(["service", "tags", "add", "-n", name, "--tag", "owner=contract-tests", "--tag", "tier:gold"]);
    const listed = await anyscale(["service", "tags", "list", "-n", name, "-o", "json"]);
    expect(JSON.parse(listed.stdout)).toMatchObject({ owner: "contract-tests", tier: "gold", team: "contract" });

    const mark = await requestCount();
    await anyscale(["service", "tags", "remove", "-n", name, "--key", "tier"]);
    const removal = (await requestsSince(mark)).find((r) => r.method === "DELETE" && r.path === "/api/v2/tags/resource");
    expect(removal?.body).toEqual({ resource_type: "service", resource_id: expect.any(String), keys: ["tier"] });
    const after = JSON.parse((await anyscale(["service", "tags", "list", "-n", name, "-o", "json"])).stdout);
    expect(after).not.toHaveProperty("tier");
    expect(after).toHaveProperty("owner", "contract-tests");
  });

  test("service list: filters, sort and paging", async () => {
    const prefix = uniqueName("contract-list");
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const [index, serviceName] of names.entries()) {
      await deploy(serviceName, [], { tags: { team: "contract", shard: String(index) }, version_name: "v1" });
    }
    for (const serviceName of names) await waitFor(serviceName, "RUNNING");

    const listJson = async (args: string[]): Promise<any[]> => JSON.parse((await anyscale(["service", "list", "--no-interactive", "-o", "json", ...args])).stdout);

    const byName = await listJson(["--name", prefix, "--sort", "-name"]);
    expect(byName.map((s) => s.name)).toEqual([...names].reverse());

    const ascending = await listJson(["--name", prefix, "--sort", "name"]);
    expect(ascending.map((s) => s.name)).toEqual(names);

    const byTag = await listJson(["--name", prefix, "--tag", "shard:1"]);
    expect(byTag.map((s) => s.name)).toEqual([names[1]]);

    const running = await listJson(["--name", prefix, "--state", "RUNNING"]);
    expect(running).toHaveLength(3);
    const terminated = await listJson(["--name", prefix, "--state", "TERMINATED"]);
    expect(terminated).toHaveLength(0);

    const mark = await requestCount();
    const paged = await listJson(["--name", prefix, "--sort", "name", "--page-size", "1", "--max-items", "2"]);
    expect(paged.map((s) => s.name)).toEqual(names.slice(0, 2));
    const listCalls = (await requestsSince(mark)).filter((r) => r.method === "GET" && r.path === "/api/v2/services-v2/");
    expect(listCalls.length).toBeGreaterThanOrEqual(2);
    expect(listCalls[0].query).toMatchObject({ count: "1", sort_field: "NAME", sort_order: "ASC", archive_status: "NOT_ARCHIVED" });
    expect(listCalls[1].query.paging_token).toEqual(expect.any(String));

    const table = await anyscale(["service", "list", "--no-interactive", "--name", prefix]);
    for (const serviceName of names) expect(table.stdout).toContain(serviceName);
    expect(table.stderr).toContain("Fetched 3 services.");
  });

  test("terminate, wait TERMINATED, archive, delete", async () => {
    const id = (await statusJson(name)).id;
    const terminate = await anyscale(["service", "terminate", "-n", name]);
    expect(terminate.stderr).toContain(`Service ${id} terminate initiated.`);
    await waitFor(name, "TERMINATED");

    // Redeploying a TERMINATED service restarts it; the SDK drops --canary-percent for it.
    const { result: restart, apply: restartApply } = await deploy(name, ["--canary-percent", "50"], { version_name: "v4" });
    expect(restart.stderr).toContain(`Restarting existing service '${name}'.`);
    expect(restart.stderr).toContain("canary_percent is ignored when creating or restarting a service");
    expect(restartApply).not.toHaveProperty("canary_percent");
    await waitFor(name, "RUNNING");
    await anyscale(["service", "terminate", "-n", name]);
    await waitFor(name, "TERMINATED");

    const deleteRunning = uniqueName("contract-not-terminated");
    await deploy(deleteRunning);
    const refused = await anyscale(["service", "delete", "-n", deleteRunning], 1);
    expect(refused.stderr.length).toBeGreaterThan(0);

    await anyscale(["service", "archive", "-n", name]);
    const visible = JSON.parse((await anyscale(["service", "list", "--no-interactive", "-o", "json", "--name", name])).stdout);
    expect(visible).toHaveLength(0);
    const archived = JSON.parse((await anyscale(["service", "list", "--no-interactive", "-o", "json", "--name", name, "--include-archived"])).stdout);
    expect(archived.map((s: any) => s.name)).toEqual([name]);

    const mark = await requestCount();
    await anyscale(["service", "delete", "-n", name]);
    const deletion = (await requestsSince(mark)).find((r) => r.method === "DELETE" && r.path.startsWith("/api/v2/services-v2/"));
    expect(deletion?.status).toBeGreaterThanOrEqual(200);
    expect(deletion?.status).toBeLessThan(300);
    const gone = await anyscale(["service", "status", "-n", name], 1);
    expect(gone.stderr).toContain(`Service with name '${name}' was not found.`);
  });

  test("a rejected token gives the CLI's credentials message, without echoing the token", async () => {
    const wrongToken = "sss_contract_wrong_token_0000";
    const result = await runAnyscaleCli({ url: contract.plane.url, token: wrongToken }, ["service", "status", "-n", name]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("are invalid or have expired");
    expect(result.stdout + result.stderr).not.toContain(wrongToken);
  });

  test("every request carried the official client's identity and no token in the log", async () => {
    const requests = await requestsSince(0);
    // The test's own look-ups through the plane's API identify themselves as "local-plane-tests".
    const cliRequests = requests.filter((r) => (r.path.startsWith("/api/") || r.path.startsWith("/ext/")) && r.client !== "local-plane-tests");
    expect(cliRequests.length).toBeGreaterThan(0);
    for (const r of cliRequests) expect(r.client).toBe("CLI");
    expect(JSON.stringify(requests)).not.toContain(contract.plane.token);
  });

  test("the plane answered every CLI call; the only refusals were the deliberate ones (deleting a running service, a wrong token)", async () => {
    const failed = (await requestsSince(0)).filter((r) => r.status >= 300);
    expect(failed.map((r) => `${r.status} ${r.method} ${r.path.replace(/service2_\w+/, "<id>")}`)).toEqual(["400 DELETE /api/v2/services-v2/<id>", "401 GET /api/v2/userinfo/"]);
  });
});
