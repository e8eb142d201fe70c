// The thin engine under the job commands: it stores what the pure transitions (transitions.ts) return,
// arms their timers and launches runs through run-launcher.ts. It decides nothing itself.
import { jitteredJobStartup } from "../jitter";
import type { LocalApp } from "../types";
import type { ProcessExit, ProcessRunner } from "./process-runner";
import { JobStore } from "./job-store";
import { JOB_RUNS, type JobRecord, type JobRunRecord } from "./records";
import { planRecovery } from "./recovery";
import { RunLauncher } from "./run-launcher";
import type { RunEnd } from "./run-outcome";
import { EngineTimers } from "./timers";
import * as q from "./queue-transitions";
import * as t from "./transitions";

export class JobRuntime extends JobStore {
  private jobStartup: (() => number) | undefined;
  protected readonly timers: EngineTimers;
  protected readonly launcher: RunLauncher;

  constructor(app: LocalApp, runner?: ProcessRunner) {
    super(app);
    this.timers = new EngineTimers((line) => app.log(line));
    this.launcher = new RunLauncher(app, runner);
  }

  runLogFile(run: JobRunRecord): string {
    return this.launcher.logFile(run);
  }

  isRunLive(runId: string): boolean {
    return this.launcher.isLive(runId);
  }

  /** Re-arms timers and settles jobs whose processes did not survive a restart (see recovery.ts). */
  recover(): void {
    const ctx = this.context();
    for (const action of planRecovery(this.jobs(), (id) => this.run(id))) {
      const job = this.job(action.jobId);
      if (!job) continue;
      if (action.kind === "finish-termination") {
        if (action.runId) this.launcher.killLeftover(this.run(action.runId));
        this.finishTerminated(job);
      } else if (action.kind === "run-lost") {
        this.launcher.killLeftover(this.run(action.runId));
        this.runEnded(action.runId, { exitCode: null, signal: null, timedOut: false, terminated: false, lost: true });
      } else if (action.kind === "resume-restart") {
        this.perform({ kind: "arm", key: t.jobTimer(job.id), ms: ctx.restartDelayMs, event: { kind: "launch", jobId: job.id } });
      } else {
        this.startJob(job.id, true);
      }
    }
    for (const queue of this.queues()) {
      if (queue.cluster_state === "StartingUp") {
        this.perform({ kind: "arm", key: t.clusterTimer(queue.id), ms: ctx.startupMs, event: { kind: "cluster-ready", queueId: queue.id } });
      }
      this.scheduleQueue(queue.id);
    }
  }

  /** Kills every process and cancels timers; state is left as is so a restart can report it honestly. */
  async stop(): Promise<void> {
    this.timers.stop();
    await this.launcher.runner.stopAll();
  }

  protected context(): t.JobContext {
    const nowMs = Date.now();
    this.jobStartup ??= jitteredJobStartup(this.app.options.jobStartupMs, this.app.options.jitter);
    const startupMs = this.jobStartup();
    return {
      now: new Date(nowMs).toISOString(),
      nowMs,
      startupMs,
      // The cluster is already up between runs; a retry takes a fraction of a cold start.
      restartDelayMs: Math.min(startupMs, 1000),
      newId: (prefix) => this.app.newId(prefix),
    };
  }

  /** Stores the step's records (run, queue, job), then carries out its effects in order. */
  protected apply(step: t.JobStep): void {
    if (step.run) this.app.store.put(JOB_RUNS, step.run.id, step.run);
    if (step.queue) this.saveQueue(step.queue);
    if (step.job) this.saveJob(step.job);
    for (const effect of step.effects) this.perform(effect);
  }

  protected startJob(jobId: string, resuming = false): void {
    const job = this.job(jobId);
    if (!job) return;
    const queue = job.job_queue_id ? this.queue(job.job_queue_id) : undefined;
    this.apply(t.startJob(job, queue, resuming, this.context()));
  }

  protected scheduleQueue(queueId: string): void {
    if (this.timers.stopping) return;
    const queue = this.queue(queueId);
    if (!queue) return;
    const step = q.scheduleQueue(queue, this.jobsOfQueue(queueId), this.waitingJobs(queueId), this.timers.has(t.idleTimer(queueId)), this.context());
    this.apply(step);
  }

  protected finishTerminated(job: JobRecord): void {
    const lastRun = job.last_job_run_id ? this.run(job.last_job_run_id) : undefined;
    this.apply(t.finishTerminated(job, lastRun, this.context()));
  }

  private perform(effect: t.JobEffect): void {
    switch (effect.kind) {
      case "arm":
        this.timers.set(effect.key, effect.ms, () => this.fire(effect.event));
        return;
      case "clear":
        this.timers.clear(effect.key);
        return;
      case "start-job":
        this.startJob(effect.jobId);
        return;
      case "launch":
        this.launchRun(effect.jobId);
        return;
      case "schedule-queue":
        this.scheduleQueue(effect.queueId);
        return;
      case "finish-terminated": {
        const job = this.job(effect.jobId);
        if (job) this.finishTerminated(job);
        return;
      }
      case "kill-run":
        this.launcher.runner.kill(effect.runId);
        return;
      case "log":
        this.app.log(effect.line);
        return;
    }
  }

  private fire(event: t.JobTimerEvent): void {
    if (event.kind === "launch") {
      this.launchRun(event.jobId);
    } else if (event.kind === "cluster-ready") {
      const queue = this.queue(event.queueId);
      if (queue) this.apply(q.clusterReady(queue, this.jobsOfQueue(queue.id)));
    } else {
      const queue = this.queue(event.queueId);
      if (queue) this.apply(q.idleTimeout(queue));
    }
  }

  private launchRun(jobId: string): void {
    if (this.timers.stopping) return;
    const job = this.job(jobId);
    if (!job || !t.mayProceed(job)) return;
    const ctx = this.context();
    const run = this.launcher.newRun(job, job.state.cluster_id ?? ctx.newId("ses"));
    this.app.store.put(JOB_RUNS, run.id, run);
    this.apply(t.runLaunched(job, run, ctx));
    const prepared = this.launcher.prepare(run, this.job(jobId)!);
    if ("setupError" in prepared) {
      this.runEnded(run.id, { exitCode: null, signal: null, timedOut: false, terminated: false, setupError: prepared.setupError });
      return;
    }
    const pid = this.launcher.start(prepared.spec, (exit) => this.onProcessExit(run.id, exit));
    this.apply(t.processStarted(this.run(run.id)!, pid, this.context()));
  }

  private onProcessExit(runId: string, exit: ProcessExit): void {
    // On stop the state stays as it was; the next start reports the run as lost (recovery.ts).
    if (this.timers.stopping) return;
    const run = this.run(runId);
    const job = run ? this.job(run.ha_job_id) : undefined;
    this.runEnded(runId, t.runEndOfExit(exit, job?.state.goal_state === "TERMINATED"));
  }

  private runEnded(runId: string, end: RunEnd): void {
    const run = this.run(runId);
    if (!run) return;
    this.apply(t.runEnded(run, this.job(run.ha_job_id), end, this.context()));
  }
}
