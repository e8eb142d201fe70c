import { parse } from "yaml";
import { api, waitUntil } from "../helpers/local-plane";
import { SERVICE_APP_DIR, serviceConfig, uniqueName, writeConfig } from "../helpers/cli-fixtures";
import { useCliContract } from "../helpers/cli-contract";

// Cross-client contract: a service deployed by our provider reads correctly through the official
// `anyscale service status`, and a service deployed by the official CLI is adopted and refreshed
// correctly by our provider. Both talk to the same local control plane over real HTTP.

jest.setTimeout(180_000);

// The dynamic provider module, used exactly as the Pulumi engine uses it (check → create → read).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const serviceProvider = require("../../provider/service/dynamic");

const contract = useCliContract({ configure: [serviceProvider] });
const anyscale = contract.anyscale;

async function providerCreate(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, any> }> {
  const checked = await serviceProvider.check({}, inputs);
  expect(checked.failures ?? []).toEqual([]);
  return serviceProvider.create(checked.inputs);
}

describe("provider → official CLI", () => {
  const name = uniqueName("cross-provider");
  let created: { id: string; outs: Record<string, any> };

  test("a service deployed by the provider reads correctly through `anyscale service status`", async () => {
    created = await providerCreate({
      name,
      versionName: "v1",
      workingDir: SERVICE_APP_DIR,
      envVars: { STAGE: "contract" },
      tags: { team: "contract" },
      queryAuthTokenEnabled: true,
      applications: [{ name: "greeter", import_path: "main:app", route_prefix: "/", runtime_env: { env_vars: { GREETING: "hello" } } }],
    });

    const status = JSON.parse((await anyscale(["service", "status", "-n", name, "-o", "json"])).stdout);
    expect(status).toMatchObject({ id: created.id, name, state: "RUNNING", primary_version: { name: "v1", state: "RUNNING", weight: 100 } });
    expect(status.canary_version ?? null).toBeNull();
    expect(status.query_url).toBe(created.outs.queryUrl);
    expect(status.primary_version.id).toBe(String(created.outs.primaryVersion.id).slice(-8));

    const verbose = parse((await anyscale(["service", "status", "-n", name, "-v"])).stdout);
    const config = verbose.primary_version.config;
    expect(config).toMatchObject({ name, version_name: "v1", query_auth_token_enabled: true });
    expect(config.applications).toEqual([
      expect.objectContaining({
        name: "greeter",
        import_path: "main:app",
        runtime_env: expect.objectContaining({ env_vars: { GREETING: "hello", STAGE: "contract" }, working_dir: expect.stringMatching(/pkg_[0-9a-f]{32}\.zip$/) }),
      }),
    ]);

    const tags = JSON.parse((await anyscale(["service", "tags", "list", "-n", name, "-o", "json"])).stdout);
    expect(tags).toMatchObject({ team: "contract" });
  });

  test("the official CLI can roll out a new version of the provider's service, and the provider refreshes it", async () => {
    const file = writeConfig(contract.workDir, `${name}-v2.yaml`, serviceConfig(name, { version_name: "v2" }));
    await anyscale(["service", "deploy", "-f", file]);
    await waitUntil(async () => (await serviceProvider.read(created.id, created.outs)).props.state === "RUNNING", { timeoutMs: 30_000, intervalMs: 25, what: "v2 rolled out" });
    const refreshed = await serviceProvider.read(created.id, created.outs);
    expect(refreshed.id).toBe(created.id);
    expect(refreshed.props).toMatchObject({ name, state: "RUNNING" });
  });
});

describe("official CLI → provider", () => {
  const name = uniqueName("cross-cli");
  let cliServiceId: string;

  test("a service deployed by the official CLI is adopted by the provider (same service, one live version)", async () => {
    const file = writeConfig(contract.workDir, `${name}.yaml`, serviceConfig(name, { version_name: "v1" }));
    await anyscale(["service", "deploy", "-f", file]);
    // `service wait` sleeps 5 s between looks; let the plane settle first so one look suffices.
    await waitUntil(async () => (await api(contract.plane).get(`/api/v2/services-v2/?name=${name}`)).body.results?.[0]?.current_state === "RUNNING", { timeoutMs: 30_000, intervalMs: 25 });
    await anyscale(["service", "wait", "-n", name, "--timeout-s", "60"]);
    const status = JSON.parse((await anyscale(["service", "status", "-n", name, "-o", "json"])).stdout);
    cliServiceId = status.id;

    const before = (await api(contract.plane).get<any[]>("/_local/requests")).body.length;
    // No versionName: the provider's package zip differs byte-wise from the CLI's, so re-using the
    // CLI's version name "v1" for what the plane sees as a different config is refused (400).
    const adopted = await providerCreate({
      name,
      adoptExisting: true,
      workingDir: SERVICE_APP_DIR,
      envVars: { STAGE: "contract" },
      tags: { team: "contract" },
      queryAuthTokenEnabled: true,
      applications: [{ name: "greeter", import_path: "main:app", route_prefix: "/", runtime_env: { env_vars: { GREETING: "hello" }, pip: ["requests==2.32.3"] } }],
    });
    expect(adopted.id).toBe(cliServiceId);
    expect(adopted.outs).toMatchObject({ name, state: "RUNNING" });

    const after = JSON.parse((await anyscale(["service", "status", "-n", name, "-o", "json"])).stdout);
    expect(after.id).toBe(cliServiceId);
    expect(after.state).toBe("RUNNING");
    // The provider's package zip differs byte-wise from the CLI's (and it sends no
    // user_provided_working_dir), so adoption may roll out one equivalent version; never more.
    const applies = (await api(contract.plane).get<any[]>("/_local/requests")).body.slice(before).filter((r) => r.path === "/api/v2/services-v2/apply");
    expect(applies.length).toBeLessThanOrEqual(1);
    if (applies.length === 0) expect(after.primary_version.id).toBe(status.primary_version.id);
    expect(after.canary_version ?? null).toBeNull();
    expect(adopted.outs.primaryVersion.id.slice(-8)).toBe(after.primary_version.id);
  });

  test("refresh (read without stored inputs, as in `pulumi import`) reconstructs the CLI's config", async () => {
    const read = await serviceProvider.read(cliServiceId, {});
    expect(read.id).toBe(cliServiceId);
    expect(read.props).toMatchObject({ name, state: "RUNNING" });
    expect(read.inputs).toMatchObject({
      name,
      applications: [expect.objectContaining({ name: "greeter", import_path: "main:app" })],
      tags: { team: "contract" },
    });
    expect(JSON.stringify(read.inputs)).not.toContain(contract.plane.token);
  });

  test("a change made through the CLI shows up on the provider's next refresh", async () => {
    await anyscale(["service", "tags", "add", "-n", name, "--tag", "changed=by-cli"]);
    const read = await serviceProvider.read(cliServiceId, {});
    expect(read.inputs.tags).toMatchObject({ team: "contract", changed: "by-cli" });

    await anyscale(["service", "terminate", "-n", name]);
    await waitUntil(async () => (await serviceProvider.read(cliServiceId, {})).props.state === "TERMINATED", { timeoutMs: 30_000, intervalMs: 25, what: "terminated" });
  });
});
