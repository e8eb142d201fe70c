import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { api, waitUntil, withLocalPlane } from "../helpers/local-plane";

// The official `anyscale` CLI (the Python package, the source of truth for the wire protocol) drives
// the local plane: if it deploys, reads status, rolls back, terminates and deletes without errors,
// the plane speaks its protocol. Skipped when the CLI venv is not installed.

const ANYSCALE_CLI = path.join(os.homedir(), ".cache/pulumi-anyscale/venv-anyscale/bin/anyscale");
const run = promisify(execFile);
const describeIfCli = fs.existsSync(ANYSCALE_CLI) ? describe : describe.skip;
jest.setTimeout(240_000);

describeIfCli("local control plane: official anyscale CLI against it", () => {
  const plane = withLocalPlane({ startupMs: 200, rolloutStepMs: 50 });
  let workDir: string;
  const cli = async (...args: string[]) => {
    const env = {
      ...process.env,
      ANYSCALE_HOST: plane().url,
      ANYSCALE_CLI_TOKEN: plane().token,
      ANYSCALE_TELEMETRY_SAMPLE_RATE: "0",
      HOME: workDir,
      NO_COLOR: "1",
    };
    const { stdout, stderr } = await run(ANYSCALE_CLI, args, { cwd: workDir, env, timeout: 120_000 });
    return stdout + stderr;
  };

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "anyscale-cli-"));
    fs.writeFileSync(path.join(workDir, "main.py"), "app = None\n");
    fs.writeFileSync(path.join(workDir, "svc.yaml"), "name: cli-svc\napplications:\n  - import_path: main:app\n    runtime_env:\n      working_dir: .\n");
  });

  test("deploy (with working_dir upload), canary, status, rollback, terminate, delete", async () => {
    expect(await cli("service", "deploy", "-f", "svc.yaml")).toContain("Starting new service 'cli-svc'");
    const a = api(plane());
    const byName = async () => (await a.get("/api/v2/services-v2/?name=cli-svc")).body.results[0];
    await waitUntil(async () => (await byName())?.current_state === "RUNNING", { timeoutMs: 30_000 });
    const first = await byName();
    expect(first.primary_version.ray_serve_config.applications[0].runtime_env.working_dir).toMatch(/^s3:\/\/.*pkg_[0-9a-f]{32}\.zip$/);

    await cli("service", "deploy", "-f", "svc.yaml", "--canary-percent", "20");
    await waitUntil(async () => (await byName())?.canary_version?.weight === 20, { timeoutMs: 30_000 });
    const status = await cli("service", "status", "-n", "cli-svc");
    expect(status).toContain("state: ROLLING_OUT");
    expect(status).toContain("canary_version:");

    await cli("service", "rollback", "-n", "cli-svc");
    await waitUntil(async () => (await byName())?.current_state === "RUNNING" && (await byName()).canary_version === null, { timeoutMs: 30_000 });

    await cli("service", "terminate", "-n", "cli-svc");
    await waitUntil(async () => (await byName())?.current_state === "TERMINATED", { timeoutMs: 30_000 });
    expect(await cli("service", "delete", "-n", "cli-svc")).toContain("Successfully deleted service");

    const log = (await a.get("/_local/requests")).body as Array<{ status: number; client: string; path: string }>;
    const failures = log.filter((e) => e.client === "CLI" && e.status >= 300);
    expect(failures).toEqual([]);
    expect(fs.readFileSync(path.join(plane().dataDir, "requests.jsonl"), "utf8")).not.toContain(plane().token);
  });
});
