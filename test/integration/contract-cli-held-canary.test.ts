// Contract (issue 14, item 6): what the official CLI does with a held canary, against the local plane,
// so the provider's declarative behaviour can follow it. `--canary-percent 0` is allowed and holds a
// canary that takes no traffic; re-deploying the canary's config without --canary-percent moves that
// same canary (no new version) and the platform steps the traffic to 100 on its own; `service
// rollback` is the platform's rollback call.
import { api, startTestPlane, waitUntil, type TestPlane } from "../helpers/local-plane";
import { describeRun, openCliSession, type CliSession } from "../helpers/anyscale-cli";
import { scratchDir, serviceConfig, uniqueName, writeConfig } from "../helpers/cli-fixtures";

jest.setTimeout(180_000);

let plane: TestPlane;
let cli: CliSession;
let workDir: string;

beforeAll(async () => {
  plane = await startTestPlane({ startupMs: 200, rolloutStepMs: 50 });
  cli = await openCliSession(plane);
  workDir = scratchDir();
});

afterAll(async () => {
  await cli?.close();
  await plane?.stop();
});

const name = uniqueName("held-canary");
// A remote working_dir keeps every deploy's Serve config byte-identical (no fresh upload URI).
const config = (generation: string) =>
  serviceConfig(name, { version_name: `v${generation}`, working_dir: "s3://contract-bucket/app.zip", env_vars: { GENERATION: generation } });

async function deploy(generation: string, args: string[] = []) {
  const file = writeConfig(workDir, `${name}-${generation}-${Date.now()}.yaml`, config(generation));
  const argv = ["service", "deploy", "-f", file, ...args];
  const result = await cli.run(argv, { cwd: workDir });
  if (result.code !== 0) throw new Error(describeRun(argv, result));
  return result;
}

const service = async () => {
  const found = await api(plane).get(`/api/v2/services-v2/?name=${encodeURIComponent(name)}&count=10`);
  return found.body.results.find((s: any) => s.name === name);
};
const versions = async (id: string) => (await api(plane).get(`/api/v2/services-v2/${id}/versions?count=50`)).body.results as any[];
const applies = async () =>
  ((await api(plane).get("/_local/requests")).body as any[]).filter((r) => r.method === "PUT" && r.path === "/api/v2/services-v2/apply").map((r) => r.body);

describe("official CLI: a held canary", () => {
  test("--canary-percent 0 holds the canary at 0%", async () => {
    await deploy("1");
    await waitUntil(async () => (await service())?.current_state === "RUNNING", { timeoutMs: 30_000, what: "v1 RUNNING" });
    await deploy("2", ["--canary-percent", "0"]);
    expect((await applies()).at(-1)).toMatchObject({ version: "v2", canary_percent: 0 });
    const held = await waitUntil(async () => {
      const s = await service();
      return s?.canary_version?.current_state === "RUNNING" ? s : undefined;
    }, { timeoutMs: 30_000, what: "the canary RUNNING" });
    expect(held.canary_version).toMatchObject({ version: "v2", weight: 0 });
    expect(held.primary_version).toMatchObject({ version: "v1", weight: 100 });
  });

  test("re-deploying the canary's config without --canary-percent completes it on the platform's steps, with no new version", async () => {
    const before = await service();
    const count = (await versions(before.id)).length;
    await deploy("2");
    const last = (await applies()).at(-1);
    expect(last).toMatchObject({ version: "v2" });
    expect(last.canary_percent ?? null).toBeNull();
    const done = await waitUntil(async () => {
      const s = await service();
      return s?.primary_version?.version === "v2" && !s.canary_version ? s : undefined;
    }, { timeoutMs: 30_000, what: "v2 promoted" });
    expect(done.primary_version.id).toBe(before.canary_version.id);
    expect((await versions(before.id)).length).toBe(count);
    const events = (await api(plane).get(`/api/v2/services-v2/${before.id}/events?count=50&ascending_order=true`)).body.results.map((e: any) => e.message as string);
    const shares = events.map((m: string) => /at (\d+)% of traffic/.exec(m)?.[1]).filter(Boolean).map(Number);
    expect(shares).toEqual([5, 10, 20, 30, 50, 75]);
  });
});
