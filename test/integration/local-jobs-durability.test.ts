// Restarting the local control plane: finished jobs and logs persist; processes that died with the
// server are reported honestly (a new run if retries remain, else OUT_OF_RETRIES saying the process was lost).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { getJob, jobBody, logsOf, runsOf, startPlane, submit, waitForJob, type Plane } from "./local-jobs-harness";

jest.setTimeout(90_000);

let p: Plane;
beforeAll(async () => {
  p = await startPlane();
});
afterAll(async () => {
  await p?.stop();
});

test("jobs in flight during a restart are settled honestly; finished ones are unchanged", async () => {
  const done = await submit(p, jobBody("done-before", "echo kept-in-logs"));
  const doneJob = await waitForJob(p, done);
  const retrying = await submit(p, jobBody("survives", "sleep 60", { config: { max_retries: 1 } }));
  const noRetries = await submit(p, jobBody("no-retries", "sleep 60", { config: { max_retries: 0 } }));
  await waitForJob(p, retrying, ["RUNNING"]);
  await waitForJob(p, noRetries, ["RUNNING"]);
  const gateDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-jobs-durable-"));
  const gate = path.join(gateDir, "gate");
  const spec = { job_queue_name: "durable-queue", max_concurrency: 1, idle_timeout_sec: 60 };
  const blocker = await submit(p, jobBody("blocker", `for i in $(seq 1 1200); do [ -f ${gate} ] && break; sleep 0.05; done`, { config: { max_retries: 1 }, job_queue_config: { job_queue_spec: spec } }));
  const queued = await submit(p, jobBody("queued", "echo ran-after-restart", { job_queue_config: { target_job_queue_name: "durable-queue" } }));
  await waitForJob(p, blocker, ["RUNNING"]);
  expect((await getJob(p, queued)).state.current_state).toBe("PENDING");

  await p.restart();

  expect(await getJob(p, done)).toMatchObject({ state: { current_state: "SUCCESS" }, last_job_run_id: doneJob.last_job_run_id });
  expect(await logsOf(p, doneJob.last_job_run_id)).toContain("kept-in-logs");

  const lost = await waitForJob(p, noRetries);
  expect(lost.state.current_state).toBe("OUT_OF_RETRIES");
  expect(lost.state.error).toMatch(/process was lost/);

  // With a retry left, the job starts a new run.
  const retried = await waitForJob(p, retrying, ["RUNNING"]);
  const runs = await runsOf(p, retrying);
  expect(runs.map((r) => r.status)).toEqual(["FAILED", "RUNNING"]);
  expect(retried.last_job_run_id).toBe(runs[1].id);

  // The queue keeps its order across the restart: the blocker's retry runs first, then the queued job.
  await waitForJob(p, blocker, ["RUNNING"]);
  expect((await getJob(p, queued)).state.current_state).toBe("PENDING");
  fs.writeFileSync(gate, "");
  expect((await waitForJob(p, blocker)).state.current_state).toBe("SUCCESS");
  const queuedJob = await waitForJob(p, queued);
  expect(queuedJob.state.current_state).toBe("SUCCESS");
  expect(await logsOf(p, queuedJob.last_job_run_id)).toContain("ran-after-restart");

  await p.api("POST", `/api/v2/decorated_ha_jobs/${retrying}/terminate`);
  expect((await waitForJob(p, retrying)).state.current_state).toBe("TERMINATED");
  fs.rmSync(gateDir, { recursive: true, force: true });
});
