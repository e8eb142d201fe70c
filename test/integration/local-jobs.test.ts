// Jobs on the local control plane run for real: processes, retries, timeouts, terminate, logs.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { getJob, jobBody, logsOf, runsOf, startPlane, submit, uploadWorkingDir, waitForJob, type Plane } from "./local-jobs-harness";
import { errorText } from "../helpers/local-plane";

jest.setTimeout(60_000);

let p: Plane;
let scratch: string;
beforeAll(async () => {
  p = await startPlane();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "local-jobs-scratch-"));
});
afterAll(async () => {
  await p?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test("a job runs its entrypoint in the uploaded working_dir, with its env vars, and succeeds", async () => {
  const workingDir = await uploadWorkingDir(p, {
    "main.py": "import os\nimport helpers\nprint('greeting:', os.environ['GREETING'])\nprint('cwd has main.py:', os.path.exists('main.py'))\nprint(helpers.shout('module'))\n",
  });
  const pyModule = await uploadWorkingDir(p, { "__init__.py": "def shout(s):\n    return s.upper() + '!'\n" }, "helpers");
  const id = await submit(
    p,
    jobBody("hello-job", "python main.py", {
      config: { runtime_env: { working_dir: workingDir, py_modules: [pyModule], env_vars: { GREETING: "hi-from-env" } } },
      tags: { team: "ml" },
    }),
  );
  expect(id).toMatch(/^prodjob_/);
  const job = await waitForJob(p, id);
  expect(job.state.current_state).toBe("SUCCESS");
  expect(job.last_job_run_id).toBeTruthy();
  expect(job.project.name).toBe("default");
  const runs = await runsOf(p, id);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ id: job.last_job_run_id, status: "SUCCEEDED", ha_job_id: id });
  expect(runs[0].name).toMatch(/^raysubmit_/);
  const logs = await logsOf(p, job.last_job_run_id);
  expect(logs).toContain("greeting: hi-from-env");
  expect(logs).toContain("cwd has main.py: True");
  expect(logs).toContain("MODULE!");
});

test("a working_dir that was never uploaded fails each run with a clear message in state and logs", async () => {
  const id = await submit(p, jobBody("no-package", "python main.py", { config: { max_retries: 1, runtime_env: { working_dir: "s3://somewhere-else/pkg_abc.zip" } } }));
  const job = await waitForJob(p, id);
  expect(job.state.current_state).toBe("OUT_OF_RETRIES");
  expect(job.state.error).toMatch(/s3:\/\/somewhere-else\/pkg_abc\.zip/);
  expect((await runsOf(p, id)).map((r) => r.status)).toEqual(["FAILED", "FAILED"]);
  expect(await logsOf(p, job.last_job_run_id)).toMatch(/Runtime environment setup failed/);
});

test("a job without a run yet has empty logs", async () => {
  const res = await p.api("GET", "/api/v2/logs/job_logs_download_v2/");
  expect(res.status).toBe(200);
  expect(res.body.result.log_chunks).toEqual([]);
});

test("the control plane's own token never reaches the job's environment", async () => {
  const id = await submit(p, jobBody("env-job", "env"));
  const job = await waitForJob(p, id);
  const logs = await logsOf(p, job.last_job_run_id);
  expect(logs).toContain("ANYSCALE_JOB_ID=" + id);
  expect(logs).not.toContain(p.plane.token);
});

test("a failing job is retried max_retries times, each retry a new run, then OUT_OF_RETRIES", async () => {
  const id = await submit(p, jobBody("failing-job", "echo attempt; exit 3", { config: { max_retries: 2 } }));
  const job = await waitForJob(p, id);
  expect(job.state.current_state).toBe("OUT_OF_RETRIES");
  expect(job.state.error).toMatch(/exited with code 3/);
  const runs = await runsOf(p, id);
  expect(runs.map((r) => r.status)).toEqual(["FAILED", "FAILED", "FAILED"]);
  expect(new Set(runs.map((r) => r.id)).size).toBe(3);
  expect(job.last_job_run_id).toBe(runs[2].id);
});

test("a job that fails once and then succeeds ends in SUCCESS with two runs", async () => {
  const marker = path.join(scratch, "retry-marker");
  const id = await submit(p, jobBody("flaky-job", `if [ -f ${marker} ]; then echo second; else touch ${marker}; exit 1; fi`, { config: { max_retries: 1 } }));
  const job = await waitForJob(p, id);
  expect(job.state.current_state).toBe("SUCCESS");
  expect((await runsOf(p, id)).map((r) => r.status)).toEqual(["FAILED", "SUCCEEDED"]);
});

test("a run exceeding timeout_s is killed and counts as a failed attempt", async () => {
  const id = await submit(p, jobBody("slow-job", "echo started; sleep 30; echo never", { config: { timeout_s: 1, max_retries: 0 } }));
  const job = await waitForJob(p, id);
  expect(job.state.current_state).toBe("OUT_OF_RETRIES");
  expect(job.state.error).toMatch(/timeout_s=1/);
  const logs = await logsOf(p, job.last_job_run_id);
  expect(logs).toContain("started");
  expect(logs).not.toContain("never");
});

test("terminate kills the whole process tree of a running job", async () => {
  const pidFile = path.join(scratch, "child.pid");
  const id = await submit(p, jobBody("long-job", `sleep 60 & echo $! > ${pidFile}; echo running; wait`, { config: { max_retries: 3 } }));
  await waitForJob(p, id, ["RUNNING"]);
  // Wait until the child exists (bounded polls).
  for (let i = 0; i < 100 && !fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
  const childPid = Number(fs.readFileSync(pidFile, "utf8"));
  const res = await p.api("POST", `/api/v2/decorated_ha_jobs/${id}/terminate`);
  expect(res.status).toBe(200);
  expect(res.body.result.state.goal_state).toBe("TERMINATED");
  const job = await waitForJob(p, id);
  expect(job.state.current_state).toBe("TERMINATED");
  const runs = await runsOf(p, id);
  expect(runs.map((r) => r.status)).toEqual(["STOPPED"]);
  expect(await goneSoon(childPid)).toBe(true);
});

test("the external API reads and terminates jobs too", async () => {
  const id = await submit(p, jobBody("ext-job", "sleep 30"));
  await waitForJob(p, id, ["RUNNING"]);
  const got = await p.api("GET", `/ext/v0/production_jobs/${id}`);
  expect(got.status).toBe(200);
  expect(got.body.result).toMatchObject({ id, name: "ext-job", state: { current_state: "RUNNING" } });
  const term = await p.api("POST", `/ext/v0/production_jobs/${id}/terminate`);
  expect(term.status).toBe(200);
  expect((await waitForJob(p, id)).state.current_state).toBe("TERMINATED");
});

test("archive and delete require a terminal state", async () => {
  const id = await submit(p, jobBody("to-archive", "sleep 30"));
  await waitForJob(p, id, ["RUNNING"]);
  const early = await p.api("POST", `/api/v2/decorated_ha_jobs/${id}/archive`);
  expect(early.status).toBe(400);
  expect(errorText(early.body)).toMatch(/terminal state/);
  expect((await p.api("DELETE", `/api/v2/decorated_ha_jobs/${id}`)).status).toBe(400);
  await p.api("POST", `/api/v2/decorated_ha_jobs/${id}/terminate`);
  await waitForJob(p, id);
  expect((await p.api("POST", `/api/v2/decorated_ha_jobs/${id}/archive`)).status).toBe(200);
  expect((await getJob(p, id)).archived_at).toBeTruthy();
  const listed = await p.api("GET", `/api/v2/decorated_ha_jobs/?name=to-archive`);
  expect(listed.body.results).toHaveLength(0);
  const all = await p.api("GET", `/api/v2/decorated_ha_jobs/?name=to-archive&archive_status=ALL`);
  expect(all.body.results.map((j: any) => j.id)).toEqual([id]);
  expect((await p.api("DELETE", `/api/v2/decorated_ha_jobs/${id}`)).status).toBe(204);
  expect((await p.api("GET", `/api/v2/decorated_ha_jobs/${id}`)).status).toBe(404);
});

/** A killed process may linger as a zombie until reaped (PID 1 in containers often never reaps): that counts as gone. */
function isRunningProcess(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function goneSoon(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!isRunningProcess(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
