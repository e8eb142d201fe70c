// kill -9 of the control plane: the job's process group outlives it; the restarted plane
// recognises the leftover by its run marker, kills it, and reports the lost run honestly.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { jobBody, runsOf, startPlane, submit, waitForJob, type Plane } from "./local-jobs-harness";

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, "../..");
const TOKEN = "sss_local_jobs_test_token";

let external: ChildProcess | undefined;
let restarted: Plane | undefined;
let crashDataDir: string | undefined;
afterAll(async () => {
  if (external && external.exitCode === null) external.kill("SIGKILL");
  await restarted?.stop();
  if (crashDataDir) fs.rmSync(crashDataDir, { recursive: true, force: true });
});

/** Starts the plane as its own OS process (so it can be kill -9'd) and returns its URL. */
async function startExternalPlane(dataDir: string): Promise<string> {
  external = spawn(process.execPath, [path.join(ROOT, "local/dev/run-ts.js"), path.join(ROOT, "local/bin.ts"), "--data-dir", dataDir, "--token", TOKEN, "--job-startup-ms", "50", "--quiet"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  for await (const chunk of external.stdout!) {
    out += String(chunk);
    const m = /ANYSCALE_HOST=(\S+)/.exec(out);
    if (m) return m[1];
  }
  throw new Error(`plane exited before listening: ${out}`);
}

function isRunningProcess(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

test("a job process that outlived a kill -9 is killed on restart and its run reported lost", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-jobs-crash-"));
  crashDataDir = dataDir;
  const pidFile = path.join(dataDir, "job.pid");
  const url = await startExternalPlane(dataDir);
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await request(`${url}${p}`, { method: method as any, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.statusCode, body: JSON.parse((await res.body.text()) || "null") };
  };
  const created = await api("POST", "/api/v2/decorated_ha_jobs/create", jobBody("outlives-plane", `echo $$ > ${pidFile}; sleep 120`, { config: { max_retries: 0 } }));
  expect(created.status).toBe(200);
  const jobId = created.body.result.id;
  for (let i = 0; i < 200 && !fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
  const jobPid = Number(fs.readFileSync(pidFile, "utf8"));

  external!.kill("SIGKILL");
  await new Promise((r) => external!.once("exit", r));
  expect(isRunningProcess(jobPid)).toBe(true); // the job's own process group survived the plane

  restarted = await startPlane({ dataDir });
  const job = await waitForJob(restarted, jobId);
  expect(job.state.current_state).toBe("OUT_OF_RETRIES");
  expect(job.state.error).toMatch(/process was lost/);
  expect((await runsOf(restarted, jobId)).map((r) => r.status)).toEqual(["FAILED"]);
  let gone = false;
  for (let i = 0; i < 100 && !gone; i++) {
    gone = !isRunningProcess(jobPid);
    if (!gone) await new Promise((r) => setTimeout(r, 20));
  }
  expect(gone).toBe(true);
});

test("the restarted plane still runs new jobs", async () => {
  const id = await submit(restarted!, jobBody("after-crash", "echo fine"));
  expect((await waitForJob(restarted!, id)).state.current_state).toBe("SUCCESS");
});
