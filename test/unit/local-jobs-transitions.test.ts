import * as q from "../../local/jobs/queue-transitions";
import type { JobQueueRecord, JobRecord, JobRunRecord } from "../../local/jobs/records";
import * as t from "../../local/jobs/transitions";
import type { JobTimerEvent } from "../../local/jobs/transitions";

// Replays the pure job/queue transitions through a tiny interpreter of their effects: records in
// maps, timers as a list of armed events fired by hand. No timers, processes or store.

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

class World {
  jobs = new Map<string, JobRecord>();
  runs = new Map<string, JobRunRecord>();
  queues = new Map<string, JobQueueRecord>();
  timers = new Map<string, { ms: number; event: JobTimerEvent }>();
  killed: string[] = [];
  log: string[] = [];
  private ids = 0;
  private nowMs = Date.parse("2026-01-01T00:00:00.000Z");

  ctx(): t.JobContext {
    return { now: new Date(this.nowMs).toISOString(), nowMs: this.nowMs, startupMs: 5000, restartDelayMs: 1000, newId: (p) => `${p}_${++this.ids}` };
  }

  tick(ms: number): void {
    this.nowMs += ms;
  }

  /** Stores the step's records and carries out its effects, checking the inputs were left untouched. */
  apply(step: t.JobStep): void {
    if (step.run) this.runs.set(step.run.id, deepFreeze(step.run));
    if (step.queue) this.queues.set(step.queue.id, deepFreeze(step.queue));
    if (step.job) this.jobs.set(step.job.id, deepFreeze(step.job));
    for (const e of step.effects) {
      if (e.kind === "arm") this.timers.set(e.key, { ms: e.ms, event: e.event });
      else if (e.kind === "clear") this.timers.delete(e.key);
      else if (e.kind === "start-job") this.startJob(e.jobId);
      else if (e.kind === "launch") this.launch(e.jobId);
      else if (e.kind === "schedule-queue") this.schedule(e.queueId);
      else if (e.kind === "finish-terminated") this.apply(t.finishTerminated(this.job(e.jobId), this.lastRun(e.jobId), this.ctx()));
      else if (e.kind === "kill-run") this.killed.push(e.runId);
      else this.log.push(e.line);
    }
  }

  startJob(id: string): void {
    const job = this.job(id);
    this.apply(t.startJob(job, job.job_queue_id ? this.queues.get(job.job_queue_id) : undefined, false, this.ctx()));
  }

  launch(id: string): void {
    const job = this.job(id);
    if (!t.mayProceed(job)) return;
    const run = newRun(`run_${++this.ids}`, job);
    this.runs.set(run.id, run);
    this.apply(t.runLaunched(job, run, this.ctx()));
    this.apply(t.processStarted(run, 4242, this.ctx()));
  }

  schedule(queueId: string): void {
    const jobs = [...this.jobs.values()].filter((j) => j.job_queue_id === queueId);
    const waiting = jobs.filter((j) => j.state.current_state === "PENDING").map((j) => ({ id: j.id, seq: j.submit_seq, priority: j.priority }));
    this.apply(q.scheduleQueue(this.queues.get(queueId)!, jobs, waiting, this.timers.has(t.idleTimer(queueId)), this.ctx()));
  }

  /** Fires the armed timer of `key` as the engine's timer would. */
  fire(key: string): void {
    const timer = this.timers.get(key);
    if (!timer) throw new Error(`no timer ${key}`);
    this.timers.delete(key);
    const e = timer.event;
    if (e.kind === "launch") this.launch(e.jobId);
    else if (e.kind === "cluster-ready") {
      this.apply(q.clusterReady(this.queues.get(e.queueId)!, [...this.jobs.values()].filter((j) => j.job_queue_id === e.queueId)));
    } else this.apply(q.idleTimeout(this.queues.get(e.queueId)!));
  }

  exit(jobId: string, exitCode: number | null, signal: string | null = null): void {
    const job = this.job(jobId);
    const end = t.runEndOfExit({ exitCode, signal, timedOut: false, killed: false }, job.state.goal_state === "TERMINATED");
    this.apply(t.runEnded(this.lastRun(jobId)!, job, end, this.ctx()));
  }

  job(id: string): JobRecord {
    return this.jobs.get(id)!;
  }

  lastRun(jobId: string): JobRunRecord | undefined {
    const id = this.job(jobId).last_job_run_id;
    return id ? this.runs.get(id) : undefined;
  }

  state(id: string): string {
    return this.job(id).state.current_state;
  }
}

function newJob(id: string, seq: number, opts: { queue?: string; maxRetries?: number } = {}): JobRecord {
  const at = "2026-01-01T00:00:00.000Z";
  return deepFreeze({
    id,
    name: id,
    description: null,
    project_id: "prj",
    cloud_id: "cld",
    creator_id: "usr",
    workspace_id: null,
    created_at: at,
    updated_at: at,
    status_updated_at: at,
    archived_at: null,
    ended_at: null,
    config: { entrypoint: "true", max_retries: opts.maxRetries ?? 1 },
    priority: null,
    job_queue_id: opts.queue ?? null,
    submit_seq: seq,
    state: { id: "t0", current_state: "PENDING", goal_state: "SUCCESS", state_transitioned_at: at, error: null, operation_message: null, cluster_id: null },
    last_job_run_id: null,
    attempts: 0,
  });
}

function newRun(id: string, job: JobRecord): JobRunRecord {
  return deepFreeze({
    id,
    name: `raysubmit_${id}`,
    ha_job_id: job.id,
    project_id: job.project_id,
    creator_id: job.creator_id,
    cluster_id: job.state.cluster_id ?? "ses",
    status: "PENDING",
    attempt: job.attempts + 1,
    created_at: "",
    started_at: null,
    finished_at: null,
    exit_code: null,
    error: null,
    pid: null,
    log_file: "x",
  });
}

function newQueue(id: string, maxConcurrency: number): JobQueueRecord {
  return deepFreeze({
    id,
    name: id,
    user_provided_id: null,
    project_id: "prj",
    cloud_id: "cld",
    creator_id: "usr",
    creator_email: "u@example.com",
    compute_config_id: "cpt",
    cluster_environment_build_id: "bld",
    execution_mode: "FIFO",
    max_concurrency: maxConcurrency,
    idle_timeout_sec: 60,
    auto_termination_threshold_job_count: null,
    state: "ACTIVE",
    created_at: "",
    sealed_at: null,
    cluster_id: null,
    cluster_state: "Terminated",
    idle_since: null,
  });
}

test("a standalone job waits for its cluster, fails once, is retried with a new run, then succeeds", () => {
  const w = new World();
  w.jobs.set("j", newJob("j", 1));
  w.startJob("j");
  expect(w.state("j")).toBe("AWAITING_CLUSTER_START");
  expect(w.timers.get("job:j")).toEqual({ ms: 5000, event: { kind: "launch", jobId: "j" } });

  w.fire("job:j");
  expect(w.state("j")).toBe("RUNNING");
  expect(w.lastRun("j")).toMatchObject({ attempt: 1, status: "RUNNING", pid: 4242 });

  w.exit("j", 1);
  expect(w.state("j")).toBe("RESTARTING");
  expect(w.job("j").state.error).toMatch(/exited with code 1\. Retrying \(attempt 2 of 2\)/);
  expect(w.timers.get("job:j")?.ms).toBe(1000);
  expect(w.log).toEqual([expect.stringMatching(/ended: FAILED/)]);

  w.fire("job:j");
  expect(w.job("j")).toMatchObject({ attempts: 2 });
  w.exit("j", 0);
  expect(w.state("j")).toBe("SUCCESS");
  expect(w.job("j").ended_at).not.toBeNull();
  expect([...w.runs.values()].map((r) => r.status)).toEqual(["FAILED", "SUCCEEDED"]);
  expect(w.timers.size).toBe(0);
});

test("a job out of retries ends OUT_OF_RETRIES and a second exit of the same run changes nothing", () => {
  const w = new World();
  w.jobs.set("j", newJob("j", 1, { maxRetries: 0 }));
  w.startJob("j");
  w.fire("job:j");
  w.exit("j", null, "SIGKILL");
  expect(w.state("j")).toBe("OUT_OF_RETRIES");
  expect(w.job("j").state.error).toMatch(/killed by signal SIGKILL/);
  const before = w.job("j");
  w.exit("j", 0);
  expect(w.job("j")).toBe(before);
});

test("a FIFO queue starts its cluster once, runs one job at a time, then stops the idle cluster", () => {
  const w = new World();
  w.queues.set("q", newQueue("q", 1));
  w.jobs.set("a", newJob("a", 1, { queue: "q" }));
  w.jobs.set("b", newJob("b", 2, { queue: "q" }));
  w.schedule("q");
  expect(w.state("a")).toBe("AWAITING_CLUSTER_START");
  expect(w.state("b")).toBe("PENDING");
  expect(w.queues.get("q")).toMatchObject({ cluster_state: "StartingUp", cluster_id: "ses_1" });

  w.fire("cluster:q");
  expect(w.queues.get("q")?.cluster_state).toBe("Running");
  expect(w.state("a")).toBe("RUNNING");
  expect(w.state("b")).toBe("PENDING");

  w.exit("a", 0);
  expect(w.state("a")).toBe("SUCCESS");
  // The freed slot goes to b on the running cluster, without another startup delay.
  expect(w.state("b")).toBe("AWAITING_CLUSTER_START");
  expect(w.timers.get("job:b")?.ms).toBe(0);
  w.fire("job:b");
  w.tick(10_000);
  w.exit("b", 0);

  expect(w.queues.get("q")?.idle_since).toBe("2026-01-01T00:00:10.000Z");
  expect(w.timers.get("idle:q")).toEqual({ ms: 60_000, event: { kind: "idle-stop", queueId: "q" } });
  w.fire("idle:q");
  expect(w.queues.get("q")).toMatchObject({ cluster_state: "Terminated", idle_since: null });
  expect(w.log.at(-1)).toMatch(/cluster stopped after 60s idle/);
});

test("re-scheduling an idle queue counts the idle timeout from when it became idle", () => {
  const w = new World();
  w.queues.set("q", { ...newQueue("q", 1), cluster_state: "Running", idle_since: "2026-01-01T00:00:00.000Z" });
  w.tick(45_000);
  w.schedule("q");
  expect(w.timers.get("idle:q")?.ms).toBe(15_000);
  w.apply(q.queueUpdated(w.queues.get("q")!, { idle_timeout_sec: 30 }));
  expect(w.timers.get("idle:q")?.ms).toBe(0);
});

test("terminating a running job kills its run; the exit settles it TERMINATED and frees the queue slot", () => {
  const w = new World();
  w.queues.set("q", { ...newQueue("q", 1), cluster_state: "Running", cluster_id: "ses_q" });
  w.jobs.set("a", newJob("a", 1, { queue: "q" }));
  w.jobs.set("b", newJob("b", 2, { queue: "q" }));
  w.schedule("q");
  w.fire("job:a");
  const runId = w.job("a").last_job_run_id!;

  w.apply(t.terminateRequested(w.job("a"), runId, w.lastRun("a"), w.ctx()));
  expect(w.killed).toEqual([runId]);
  expect(w.job("a").state).toMatchObject({ current_state: "RUNNING", goal_state: "TERMINATED", operation_message: "Job is being terminated." });
  expect(w.state("b")).toBe("PENDING");

  w.exit("a", null, "SIGTERM");
  expect(w.state("a")).toBe("TERMINATED");
  expect(w.runs.get(runId)).toMatchObject({ status: "STOPPED", error: "Job run was terminated." });
  expect(w.state("b")).toBe("AWAITING_CLUSTER_START");
});

test("terminating a job without a live run settles it at once, stopping a run still marked in flight", () => {
  const w = new World();
  w.jobs.set("j", newJob("j", 1));
  w.startJob("j");
  w.fire("job:j");
  const step = t.terminateRequested(w.job("j"), null, w.lastRun("j"), w.ctx());
  w.apply(step);
  expect(w.state("j")).toBe("TERMINATED");
  expect(w.lastRun("j")).toMatchObject({ status: "STOPPED", finished_at: expect.any(String) });
  expect(w.timers.has("job:j")).toBe(false);
  // Idempotent: a finished job gives no step.
  expect(t.terminateRequested(w.job("j"), null, w.lastRun("j"), w.ctx())).toEqual({ effects: [] });
});

test("a terminated queue stops its cluster and clears its timers; seal and archive are one-time changes", () => {
  const w = new World();
  w.queues.set("q", newQueue("q", 1));
  w.jobs.set("a", newJob("a", 1, { queue: "q" }));
  w.schedule("q");
  expect(w.timers.has("cluster:q")).toBe(true);
  w.apply(q.queueTerminated(w.queues.get("q")!));
  expect(w.queues.get("q")?.cluster_state).toBe("Terminated");
  expect(w.timers.has("cluster:q")).toBe(false);

  w.apply(q.queueSealed(w.queues.get("q")!, w.ctx()));
  expect(w.queues.get("q")).toMatchObject({ state: "SEALED", sealed_at: "2026-01-01T00:00:00.000Z" });
  expect(q.queueSealed(w.queues.get("q")!, w.ctx())).toEqual({ effects: [] });

  const done = { ...newJob("d", 3), archived_at: "2025-12-31T00:00:00.000Z" };
  expect(t.jobArchived(done, w.ctx())).toEqual({ effects: [] });
});

test("a resumed job keeps its cluster id; a job being terminated is never started", () => {
  const w = new World();
  const resumed = { ...newJob("j", 1), state: { ...newJob("j", 1).state, current_state: "AWAITING_CLUSTER_START" as const, cluster_id: "ses_old" } };
  expect(t.startJob(resumed, undefined, true, w.ctx()).job?.state.cluster_id).toBe("ses_old");
  expect(t.startJob(resumed, undefined, false, w.ctx()).job?.state.cluster_id).toBe("ses_1");
  const stopping = { ...resumed, state: { ...resumed.state, goal_state: "TERMINATED" as const } };
  expect(t.startJob(stopping, undefined, false, w.ctx())).toEqual({ effects: [] });
});
