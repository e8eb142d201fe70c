// The job side's engine: jobs, their runs and queues in the durable store, and timers for cluster
// startup / restarts / idle queues. Decisions are delegated to pure modules (scheduler.ts,
// run-outcome.ts, recovery.ts, job-transition.ts); processes are launched by run-launcher.ts.
import { forgetTags, putTags } from "../tags";
import { LocalApiError, type LocalApp } from "../types";
import type { ProcessExit, ProcessRunner } from "./process-runner";
import { transitionJob, type TransitionOptions } from "./job-transition";
import { newJobRecord, newQueueRecord, type NewQueueOptions } from "./new-records";
import { JobStore } from "./job-store";
import { JOB_QUEUES, JOB_RUNS, JOBS, type JobQueueRecord, type JobRecord, type JobRunRecord } from "./records";
import { planRecovery } from "./recovery";
import { RunLauncher } from "./run-launcher";
import { decideRunOutcome, type RunEnd } from "./run-outcome";
import { pickJobsToStart } from "./scheduler";
import type { CreateJobBody, CreateJobQueueBody, JobQueueSpecBody } from "./schemas";
import { EngineTimers } from "./timers";
import { isTerminalJobState, type HaJobState } from "./wire-enums";

export class JobEngine extends JobStore {
  private readonly timers: EngineTimers;
  private readonly launcher: RunLauncher;
  private nextSeq: number;

  constructor(app: LocalApp, runner?: ProcessRunner) {
    super(app);
    this.timers = new EngineTimers((line) => app.log(line));
    this.launcher = new RunLauncher(app, runner);
    this.nextSeq = Math.max(0, ...this.jobs().map((j) => j.submit_seq)) + 1;
  }

  runLogFile(run: JobRunRecord): string {
    return this.launcher.logFile(run);
  }

  isRunLive(runId: string): boolean {
    return this.launcher.isLive(runId);
  }

  // ---------- job commands ----------

  submit(body: CreateJobBody): JobRecord {
    const defaults = this.app.defaults();
    const projectId = body.project_id ?? defaults.projectId;
    if (!this.project(projectId)) throw new LocalApiError(404, `project_id: project '${projectId}' not found.`);
    const computeConfigId = body.config.compute_config_id ?? defaults.computeConfigId;
    const cloudId = this.cloudOfComputeConfig(computeConfigId, "config.compute_config_id");
    const buildId = body.config.build_id ?? defaults.buildId;

    const queueConfig = body.job_queue_config ?? undefined;
    const targetsQueue = Boolean(queueConfig?.target_job_queue_id || queueConfig?.target_job_queue_name);
    if (targetsQueue && queueConfig?.job_queue_spec) {
      throw new LocalApiError(
        400,
        "job_queue_config: target_job_queue_name/target_job_queue_id and job_queue_spec are mutually exclusive; provide only one.",
      );
    }
    let queue: JobQueueRecord | undefined;
    if (queueConfig && targetsQueue) queue = this.resolveTargetQueue(projectId, queueConfig.target_job_queue_id, queueConfig.target_job_queue_name);
    else if (queueConfig?.job_queue_spec) queue = this.queueForSpec(projectId, queueConfig.job_queue_spec, computeConfigId, buildId, cloudId);
    if (queue && queue.state === "SEALED") {
      throw new LocalApiError(400, `job_queue_config: job queue '${queue.name}' (${queue.id}) is sealed and accepts no new jobs.`);
    }

    const job = newJobRecord(body, {
      id: this.app.newId("prodjob"),
      projectId,
      cloudId,
      creatorId: defaults.userId,
      buildId,
      computeConfigId,
      queueId: queue?.id ?? null,
      seq: this.nextSeq++,
    });
    this.saveJob(job);
    if (body.tags && Object.keys(body.tags).length > 0) putTags(this.app.store, "job", job.id, body.tags);
    this.app.log(`job ${job.id} '${job.name}' submitted${queue ? ` to queue ${queue.name}` : ""}`);
    if (queue) this.scheduleQueue(queue.id);
    else this.startJob(job.id);
    return this.job(job.id)!;
  }

  /** Asks the job to stop. Idempotent: a finished job is returned unchanged. */
  terminate(jobId: string): JobRecord {
    const job = this.requireJob(jobId);
    if (isTerminalJobState(job.state.current_state)) return job;
    this.clearTimer(`job:${jobId}`);
    const liveRunId = job.last_job_run_id && this.launcher.isLive(job.last_job_run_id) ? job.last_job_run_id : null;
    if (liveRunId) {
      // The run's exit handler finishes the job as TERMINATED once the process tree is gone.
      this.transition(job, job.state.current_state, { goal: "TERMINATED", message: "Job is being terminated." });
      this.launcher.runner.kill(liveRunId);
      return this.job(jobId)!;
    }
    this.finishTerminated(job);
    return this.job(jobId)!;
  }

  archive(jobId: string): JobRecord {
    const job = this.requireJob(jobId);
    if (job.archived_at) return job;
    if (!isTerminalJobState(job.state.current_state)) {
      throw new LocalApiError(400, `Job '${job.id}' is in state ${job.state.current_state}; only jobs in a terminal state can be archived.`);
    }
    job.archived_at = new Date().toISOString();
    job.updated_at = job.archived_at;
    this.saveJob(job);
    return job;
  }

  delete(jobId: string): void {
    const job = this.requireJob(jobId);
    if (!isTerminalJobState(job.state.current_state)) {
      throw new LocalApiError(400, `Job '${job.id}' is in state ${job.state.current_state}; only jobs in a terminal state can be deleted.`);
    }
    for (const run of this.runsOf(jobId)) {
      this.app.store.delete(JOB_RUNS, run.id);
      this.launcher.removeRunFiles(run);
    }
    this.app.store.delete(JOBS, jobId);
    forgetTags(this.app.store, "job", jobId);
  }

  // ---------- queue commands ----------

  createQueue(body: CreateJobQueueBody): JobQueueRecord {
    if (!this.project(body.project_id)) throw new LocalApiError(404, `project_id: project '${body.project_id}' not found.`);
    const cloudId = this.cloudOfComputeConfig(body.compute_config_id, "compute_config_id");
    const name = body.job_queue_name ?? undefined;
    if (name && this.queueByName(body.project_id, name)) {
      throw new LocalApiError(409, `job_queue_name: a job queue named '${name}' already exists in project '${body.project_id}'.`);
    }
    const queue = this.newQueue({
      name,
      projectId: body.project_id,
      cloudId,
      computeConfigId: body.compute_config_id,
      buildId: body.cluster_environment_build_id,
      spec: body,
    });
    if (body.tags && Object.keys(body.tags).length > 0) putTags(this.app.store, "job_queue", queue.id, body.tags);
    return queue;
  }

  updateQueue(queueId: string, changes: { max_concurrency?: number | null; idle_timeout_sec?: number | null; tags?: Record<string, string> | null }): JobQueueRecord {
    const queue = this.requireQueue(queueId);
    if (changes.max_concurrency != null) queue.max_concurrency = changes.max_concurrency;
    if (changes.idle_timeout_sec != null) queue.idle_timeout_sec = changes.idle_timeout_sec;
    this.saveQueue(queue);
    if (changes.tags && Object.keys(changes.tags).length > 0) putTags(this.app.store, "job_queue", queue.id, changes.tags);
    // More slots may start waiting jobs now; a new idle timeout applies from the current idle period.
    this.clearTimer(`idle:${queueId}`);
    this.scheduleQueue(queueId);
    return this.queue(queueId)!;
  }

  sealQueue(queueId: string): JobQueueRecord {
    const queue = this.requireQueue(queueId);
    if (queue.state === "SEALED") return queue;
    queue.state = "SEALED";
    queue.sealed_at = new Date().toISOString();
    this.saveQueue(queue);
    return queue;
  }

  /** Terminates every unfinished job of the queue and stops its cluster. Returns how many were marked. */
  terminateQueue(queueId: string): number {
    this.requireQueue(queueId);
    const unfinished = this.jobsOfQueue(queueId).filter((j) => !isTerminalJobState(j.state.current_state));
    // Waiting jobs first, so freed slots never start one of them while the queue is being emptied.
    unfinished.sort((a, b) => Number(b.state.current_state === "PENDING") - Number(a.state.current_state === "PENDING"));
    for (const job of unfinished) this.terminate(job.id);
    const queue = this.queue(queueId)!;
    this.clearTimer(`cluster:${queueId}`);
    this.clearTimer(`idle:${queueId}`);
    queue.cluster_state = "Terminated";
    queue.idle_since = null;
    this.saveQueue(queue);
    return unfinished.length;
  }

  deleteQueue(queueId: string): void {
    const queue = this.requireQueue(queueId);
    const unfinished = this.jobsOfQueue(queueId).filter((j) => !isTerminalJobState(j.state.current_state));
    if (unfinished.length > 0) {
      throw new LocalApiError(400, `Job queue '${queue.name}' still has ${unfinished.length} unfinished job(s); terminate them before deleting the queue.`);
    }
    this.clearTimer(`cluster:${queueId}`);
    this.clearTimer(`idle:${queueId}`);
    this.app.store.delete(JOB_QUEUES, queueId);
    forgetTags(this.app.store, "job_queue", queueId);
  }

  // ---------- lifecycle ----------

  /** Re-arms timers and settles jobs whose processes did not survive a restart (see recovery.ts). */
  recover(): void {
    const actions = planRecovery(this.jobs(), (id) => this.run(id));
    for (const action of actions) {
      const job = this.job(action.jobId);
      if (!job) continue;
      if (action.kind === "finish-termination") {
        if (action.runId) this.killLeftover(action.runId);
        this.finishTerminated(job);
      } else if (action.kind === "run-lost") {
        this.killLeftover(action.runId);
        this.onRunEnd(action.runId, { exitCode: null, signal: null, timedOut: false, terminated: false, lost: true });
      } else if (action.kind === "resume-restart") {
        this.setTimer(`job:${job.id}`, this.restartDelayMs(), () => this.launchRun(job.id));
      } else {
        this.startJob(job.id, true);
      }
    }
    for (const queue of this.queues()) {
      if (queue.cluster_state === "StartingUp") this.setTimer(`cluster:${queue.id}`, this.app.options.jobStartupMs, () => this.clusterReady(queue.id));
      this.scheduleQueue(queue.id);
    }
  }

  /** Kills every process and cancels timers; state is left as is so a restart can report it honestly. */
  async stop(): Promise<void> {
    this.timers.stop();
    await this.launcher.runner.stopAll();
  }

  // ---------- internals: jobs and runs ----------

  /** Takes a job that may run now towards its first run: wait for a cluster, then launch. */
  private startJob(jobId: string, resuming = false): void {
    const job = this.job(jobId);
    if (!job || isTerminalJobState(job.state.current_state) || job.state.goal_state === "TERMINATED") return;
    if (job.job_queue_id) {
      const queue = this.queue(job.job_queue_id);
      if (queue) {
        this.clearTimer(`idle:${queue.id}`);
        if (queue.idle_since) {
          queue.idle_since = null;
          this.saveQueue(queue);
        }
        if (queue.cluster_state === "Running") {
          this.transition(job, "AWAITING_CLUSTER_START", { clusterId: queue.cluster_id });
          this.setTimer(`job:${jobId}`, 0, () => this.launchRun(jobId));
          return;
        }
        if (queue.cluster_state === "Terminated") {
          queue.cluster_state = "StartingUp";
          queue.cluster_id = this.app.newId("ses");
          this.saveQueue(queue);
          this.setTimer(`cluster:${queue.id}`, this.app.options.jobStartupMs, () => this.clusterReady(queue.id));
        }
        this.transition(job, "AWAITING_CLUSTER_START", { clusterId: queue.cluster_id, message: "Waiting for the job queue's cluster to start." });
        return;
      }
    }
    const clusterId = resuming && job.state.cluster_id ? job.state.cluster_id : this.app.newId("ses");
    this.transition(job, "AWAITING_CLUSTER_START", { clusterId, message: "Waiting for the cluster to start." });
    this.setTimer(`job:${jobId}`, this.app.options.jobStartupMs, () => this.launchRun(jobId));
  }

  private clusterReady(queueId: string): void {
    const queue = this.queue(queueId);
    if (!queue) return;
    queue.cluster_state = "Running";
    this.saveQueue(queue);
    for (const job of this.jobsOfQueue(queueId)) {
      if (job.state.current_state === "AWAITING_CLUSTER_START" && job.state.goal_state !== "TERMINATED") this.launchRun(job.id);
    }
    this.scheduleQueue(queueId);
  }

  private launchRun(jobId: string): void {
    if (this.timers.stopping) return;
    const job = this.job(jobId);
    if (!job || isTerminalJobState(job.state.current_state) || job.state.goal_state === "TERMINATED") return;
    const run = this.launcher.newRun(job, job.state.cluster_id ?? this.app.newId("ses"));
    this.app.store.put(JOB_RUNS, run.id, run);
    job.attempts = run.attempt;
    job.last_job_run_id = run.id;
    this.transition(job, "RUNNING", { clusterId: run.cluster_id, message: `Job run ${run.name} (attempt ${run.attempt}) is running.`, error: job.state.error });
    const prepared = this.launcher.prepare(run, job);
    if ("setupError" in prepared) {
      this.onRunEnd(run.id, { exitCode: null, signal: null, timedOut: false, terminated: false, setupError: prepared.setupError });
      return;
    }
    const pid = this.launcher.start(prepared.spec, (exit) => this.onProcessExit(run.id, exit));
    const started = this.run(run.id)!;
    started.pid = pid ?? null;
    started.status = "RUNNING";
    started.started_at = new Date().toISOString();
    this.app.store.put(JOB_RUNS, run.id, started);
  }

  private onProcessExit(runId: string, exit: ProcessExit): void {
    // On stop the state stays as it was; the next start reports the run as lost (recovery.ts).
    if (this.timers.stopping) return;
    const run = this.run(runId);
    const job = run ? this.job(run.ha_job_id) : undefined;
    const terminated = job?.state.goal_state === "TERMINATED";
    if (exit.spawnError) {
      this.onRunEnd(runId, { exitCode: null, signal: null, timedOut: false, terminated, setupError: exit.spawnError });
      return;
    }
    this.onRunEnd(runId, { exitCode: exit.exitCode, signal: exit.signal, timedOut: exit.timedOut && !terminated, terminated });
  }

  private onRunEnd(runId: string, end: RunEnd): void {
    const run = this.run(runId);
    if (!run || run.finished_at) return;
    const job = this.job(run.ha_job_id);
    const outcome = decideRunOutcome(end, run.attempt, job ? Number(job.config.max_retries) : 0, job?.config.timeout_s);
    run.status = outcome.runStatus;
    run.error = outcome.runError;
    run.exit_code = end.exitCode;
    run.finished_at = new Date().toISOString();
    this.app.store.put(JOB_RUNS, runId, run);
    if (!job || isTerminalJobState(job.state.current_state)) return;
    this.app.log(`job ${job.id} run ${run.name} ended: ${outcome.runStatus}${outcome.runError ? ` (${outcome.runError})` : ""}`);
    if (outcome.jobState === "TERMINATED") {
      this.finishTerminated(job);
      return;
    }
    this.transition(job, outcome.jobState, { error: outcome.jobError, message: outcome.retry ? "Restarting the job with a new run." : null });
    if (outcome.retry) {
      this.setTimer(`job:${job.id}`, this.restartDelayMs(), () => this.launchRun(job.id));
    } else if (job.job_queue_id) {
      this.scheduleQueue(job.job_queue_id);
    }
  }

  private finishTerminated(job: JobRecord): void {
    const lastRun = job.last_job_run_id ? this.run(job.last_job_run_id) : undefined;
    if (lastRun && !lastRun.finished_at) {
      lastRun.status = "STOPPED";
      lastRun.error = "Job run was terminated.";
      lastRun.finished_at = new Date().toISOString();
      this.app.store.put(JOB_RUNS, lastRun.id, lastRun);
    }
    this.clearTimer(`job:${job.id}`);
    this.transition(job, "TERMINATED", { goal: "TERMINATED", message: "Job was terminated.", error: job.state.error });
    if (job.job_queue_id) this.scheduleQueue(job.job_queue_id);
  }

  private killLeftover(runId: string): void {
    this.launcher.killLeftover(this.run(runId));
  }

  private restartDelayMs(): number {
    // The cluster is already up between runs; a retry takes a fraction of a cold start.
    return Math.min(this.app.options.jobStartupMs, 1000);
  }

  // ---------- internals: queues ----------

  private scheduleQueue(queueId: string): void {
    if (this.timers.stopping) return;
    const queue = this.queue(queueId);
    if (!queue) return;
    const jobs = this.jobsOfQueue(queueId);
    const active = jobs.filter((j) => !isTerminalJobState(j.state.current_state) && j.state.current_state !== "PENDING");
    const toStart = pickJobsToStart(queue.execution_mode, queue.max_concurrency, active.length, this.waitingJobs(queueId));
    for (const jobId of toStart) this.startJob(jobId);
    if (active.length + toStart.length > 0 || queue.cluster_state !== "Running") return;
    // Idle: the cluster stops after idle_timeout_sec without work.
    const current = this.queue(queueId)!;
    if (!current.idle_since) {
      current.idle_since = new Date().toISOString();
      this.saveQueue(current);
    }
    if (this.timers.has(`idle:${queueId}`)) return;
    const elapsed = Date.now() - Date.parse(current.idle_since);
    this.setTimer(`idle:${queueId}`, Math.max(0, current.idle_timeout_sec * 1000 - elapsed), () => this.stopIdleCluster(queueId));
  }

  private stopIdleCluster(queueId: string): void {
    const queue = this.queue(queueId);
    if (!queue || !queue.idle_since) return;
    queue.cluster_state = "Terminated";
    queue.idle_since = null;
    this.saveQueue(queue);
    this.app.log(`job queue ${queue.name}: cluster stopped after ${queue.idle_timeout_sec}s idle`);
  }

  private resolveTargetQueue(projectId: string, queueId: string | null | undefined, queueName: string | null | undefined): JobQueueRecord {
    if (queueId) {
      const queue = this.queue(queueId);
      if (!queue) throw new LocalApiError(404, `job_queue_config.target_job_queue_id: job queue '${queueId}' not found.`);
      if (queueName && queue.name !== queueName) {
        throw new LocalApiError(400, `job_queue_config: target_job_queue_id '${queueId}' is named '${queue.name}', not '${queueName}'.`);
      }
      return queue;
    }
    const queue = this.queueByName(projectId, queueName!);
    if (!queue) throw new LocalApiError(404, `job_queue_config.target_job_queue_name: job queue '${queueName}' not found in project '${projectId}'.`);
    return queue;
  }

  /** The queue a job_queue_spec names: the existing one of that name in the project, else a new one. */
  private queueForSpec(projectId: string, spec: JobQueueSpecBody, jobComputeConfigId: string, jobBuildId: string, jobCloudId: string): JobQueueRecord {
    const existing = spec.job_queue_name ? this.queueByName(projectId, spec.job_queue_name) : undefined;
    if (existing) return existing;
    const computeConfigId = spec.compute_config_id ?? jobComputeConfigId;
    const cloudId = spec.compute_config_id ? this.cloudOfComputeConfig(computeConfigId, "job_queue_config.job_queue_spec.compute_config_id") : jobCloudId;
    return this.newQueue({
      name: spec.job_queue_name ?? undefined,
      projectId,
      cloudId,
      computeConfigId,
      buildId: spec.cluster_environment_build_id ?? jobBuildId,
      spec,
    });
  }

  private newQueue(opts: NewQueueOptions): JobQueueRecord {
    const queue = newQueueRecord(opts, this.app.newId("jq"), this.user(this.app.defaults().userId));
    this.saveQueue(queue);
    this.app.log(`job queue ${queue.id} '${queue.name}' created (${queue.execution_mode}, max_concurrency ${queue.max_concurrency})`);
    return queue;
  }

  // ---------- internals: persistence and timers ----------

  private transition(job: JobRecord, state: HaJobState, opts: TransitionOptions = {}): void {
    this.saveJob(transitionJob(job, state, opts, new Date().toISOString()));
  }

  private setTimer(key: string, ms: number, fn: () => void): void {
    this.timers.set(key, ms, fn);
  }

  private clearTimer(key: string): void {
    this.timers.clear(key);
  }
}
