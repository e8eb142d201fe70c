import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, applyBody, planeDefaults, startTestPlane, waitUntil } from "../helpers/local-plane";

// Restarts on the same data dir: in-process stop/start, and a real child process killed with SIGKILL.

const ROOT = path.resolve(__dirname, "../..");
jest.setTimeout(120_000);

interface ChildPlane {
  url: string;
  token: string | undefined;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Runs local/bin.ts in a child node process (transpile-only runner) and waits for its ANYSCALE_HOST line. */
function spawnPlane(dataDir: string, args: string[]): Promise<ChildPlane> {
  const child = spawn(process.execPath, [path.join(ROOT, "local/dev/run-ts.js"), path.join(ROOT, "local/bin.ts"), "--data-dir", dataDir, "--port", "0", "--quiet", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const tokenGiven = args.includes("--token");
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const host = /ANYSCALE_HOST=(\S+)\n/.exec(out);
      const token = /ANYSCALE_CLI_TOKEN=(\S+)\n/.exec(out)?.[1];
      // Without --token the plane generates one and prints it on the line after the host: wait for that line too.
      if (!host || (!tokenGiven && !token)) return;
      resolve({ url: host[1], token, child, exited });
    });
    child.on("exit", (code) => reject(new Error(`anyscale-local exited early (${code}): ${err}`)));
  });
}

const children = new Set<ChildProcess>();
const dataDirs: string[] = [];
afterAll(() => {
  // A failed assertion must not leave a server running.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const tmpDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "anyscale-local-durable-"));
  dataDirs.push(dir);
  return dir;
};

describe("local control plane: durability", () => {
  test("in-process restart keeps services, held canaries and tags; an in-flight rollout resumes", async () => {
    const dataDir = tmpDir();
    const timings = { startupMs: 50, rolloutStepMs: 150 };
    let plane = await startTestPlane({ dataDir, ...timings });
    let a = api(plane);
    const d = await planeDefaults(a);
    const held = (await a.put("/api/v2/services-v2/apply", applyBody(d, "held", { version: "v1", tags: { team: "ml" } }))).body.result;
    const moving = (await a.put("/api/v2/services-v2/apply", applyBody(d, "moving", { version: "v1" }))).body.result;
    const get = async (id: string) => (await a.get(`/api/v2/services-v2/${id}`)).body.result;
    await waitUntil(async () => (await get(held.id)).current_state === "RUNNING" && (await get(moving.id)).current_state === "RUNNING");
    await a.put("/api/v2/services-v2/apply", applyBody(d, "held", { version: "v2", canary_percent: 10 }, "app:v2"));
    await waitUntil(async () => (await get(held.id)).canary_version?.weight === 10);
    await a.put("/api/v2/services-v2/apply", applyBody(d, "moving", { version: "v2" }, "app:v2"));
    await plane.stop();

    plane = await startTestPlane({ dataDir, ...timings });
    a = api(plane);
    const heldAfter = await get(held.id);
    expect(heldAfter.current_state).toBe("ROLLING_OUT");
    expect(heldAfter.canary_version).toMatchObject({ version: "v2", weight: 10 });
    expect(heldAfter.base_url.startsWith(plane.url)).toBe(true);
    const tags = (await a.get(`/api/v2/tags/resource?resource_type=service&resource_id=${held.id}`)).body.result.tags;
    expect(tags.map((t: any) => [t.key, t.value])).toEqual([["team", "ml"]]);
    const movedOn = await waitUntil(async () => {
      const s = await get(moving.id);
      return s.current_state === "RUNNING" ? s : undefined;
    });
    expect(movedOn.primary_version.version).toBe("v2");
    await plane.stop();
  });

  test("kill -9 of the server process loses nothing acknowledged; STARTING resumes after restart", async () => {
    const dataDir = tmpDir();
    const token = "sss_durable_token_abcdef";
    const first = await spawnPlane(dataDir, ["--token", token, "--startup-ms", "400", "--rollout-step-ms", "50"]);
    const a1 = api({ url: first.url, token });
    const d = await planeDefaults(a1);
    const created = [];
    for (let i = 0; i < 5; i++) {
      const res = await a1.put("/api/v2/services-v2/apply", applyBody(d, `durable-${i}`));
      expect(res.status).toBe(202);
      created.push(res.body.result);
    }
    await a1.put("/api/v2/tags/resource", { resource_type: "service", resource_id: created[0].id, tags: { kept: "yes" } });
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await spawnPlane(dataDir, ["--token", token, "--startup-ms", "400", "--rollout-step-ms", "50"]);
    const a2 = api({ url: second.url, token });
    for (const s of created) {
      const after = await a2.get(`/api/v2/services-v2/${s.id}`);
      expect(after.status).toBe(200);
      expect(after.body.result.name).toBe(s.name);
    }
    await waitUntil(async () => {
      const list = (await a2.get("/api/v2/services-v2/?name=durable-&state_filter=RUNNING")).body;
      return list.results.length === 5;
    }, { timeoutMs: 30_000 });
    const tags = (await a2.get(`/api/v2/tags/resource?resource_type=service&resource_id=${created[0].id}`)).body.result.tags;
    expect(tags[0]).toMatchObject({ key: "kept", value: "yes" });

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  test("a generated token is stored in the data dir and reused on restart", async () => {
    const dataDir = tmpDir();
    const first = await spawnPlane(dataDir, []);
    expect(first.token).toMatch(/^sss_/);
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    const second = await spawnPlane(dataDir, []);
    expect(second.token).toBe(first.token);
    expect((await api({ url: second.url, token: second.token! }).get("/api/v2/userinfo/")).status).toBe(200);
    second.child.kill("SIGTERM");
    await second.exited;
  });
});
