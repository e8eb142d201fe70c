import type { JobRecord, JobRunRecord } from "../../local/jobs/records";
import { planRecovery } from "../../local/jobs/recovery";
import type { HaJobGoalState, HaJobState } from "../../local/jobs/wire-enums";

function job(id: string, seq: number, state: HaJobState, opts: { goal?: HaJobGoalState; run?: string; queue?: string } = {}): JobRecord {
  return {
    id,
    name: id,
    description: null,
    project_id: "prj",
    cloud_id: "cld",
    creator_id: "usr",
    workspace_id: null,
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
    status_updated_at: "2026-01-01T00:00:00.000Z",
    archived_at: null,
    ended_at: null,
    config: { entrypoint: "true", max_retries: 1 },
    priority: null,
    job_queue_id: opts.queue ?? null,
    submit_seq: seq,
    state: { id: "t", current_state: state, goal_state: opts.goal ?? "SUCCESS", state_transitioned_at: "", error: null, operation_message: null, cluster_id: null },
    last_job_run_id: opts.run ?? null,
    attempts: opts.run ? 1 : 0,
  };
}

function run(id: string, finished: boolean): JobRunRecord {
  return {
    id,
    name: id,
    ha_job_id: "j",
    project_id: "prj",
    creator_id: "usr",
    cluster_id: "ses",
    status: finished ? "FAILED" : "RUNNING",
    attempt: 1,
    created_at: "",
    started_at: "",
    finished_at: finished ? "2026-01-01T00:00:01.000Z" : null,
    exit_code: null,
    error: null,
    pid: 123,
    log_file: "x",
  };
}

test("replaying the states a restart can find gives one honest action each, in submission order", () => {
  const runs = new Map([
    ["r-running", run("r-running", false)],
    ["r-done", run("r-done", true)],
    ["r-terminating", run("r-terminating", false)],
  ]);
  const jobs = [
    job("running", 3, "RUNNING", { run: "r-running" }),
    job("done", 1, "SUCCESS", { run: "r-done" }),
    job("terminating", 2, "RUNNING", { goal: "TERMINATED", run: "r-terminating" }),
    job("restarting", 4, "RESTARTING", { run: "r-done" }),
    job("awaiting", 5, "AWAITING_CLUSTER_START"),
    job("pending-standalone", 6, "PENDING"),
    job("pending-queued", 7, "PENDING", { queue: "jq" }),
  ];
  expect(planRecovery(jobs, (id) => runs.get(id))).toEqual([
    { kind: "finish-termination", jobId: "terminating", runId: "r-terminating" },
    { kind: "run-lost", jobId: "running", runId: "r-running" },
    { kind: "resume-restart", jobId: "restarting" },
    { kind: "resume-start", jobId: "awaiting" },
    { kind: "resume-start", jobId: "pending-standalone" },
  ]);
});
