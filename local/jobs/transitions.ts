// Pure transitions of jobs and their runs: a record and an event in, the changed records and the
// effects the engine must carry out (timers, launches, queue scheduling) out. Queue transitions are in
// queue-transitions.ts. Inputs are never mutated; time and cluster ids come from the context, so a
// test replays a sequence without timers or processes.
import type { ProcessExit } from "./process-runner";
import { transitionJob } from "./job-transition";
import type { JobQueueRecord, JobRecord, JobRunRecord } from "./records";
import { decideRunOutcome, type RunEnd } from "./run-outcome";
import { isTerminalJobState } from "./wire-enums";

/** What a timer does when it fires. */
export type JobTimerEvent = { kind: "launch"; jobId: string } | { kind: "cluster-ready"; queueId: string } | { kind: "idle-stop"; queueId: string };

export type JobEffect =
  /** Arms (or re-arms: one timer per key) a timer. */
  | { kind: "arm"; key: string; ms: number; event: JobTimerEvent }
  | { kind: "clear"; key: string }
  /** Takes another job towards its first run now (startJob). */
  | { kind: "start-job"; jobId: string }
  /** Launches the job's next run now. */
  | { kind: "launch"; jobId: string }
  | { kind: "schedule-queue"; queueId: string }
  /** Settles the job as TERMINATED (its last run read afresh). */
  | { kind: "finish-terminated"; jobId: string }
  /** Stops the run's process; its exit settles the job. */
  | { kind: "kill-run"; runId: string }
  | { kind: "log"; line: string };

/** Records to store (run first, then queue, then job), then effects in order. */
export interface JobStep {
  run?: JobRunRecord;
  queue?: JobQueueRecord;
  job?: JobRecord;
  effects: JobEffect[];
}

export interface JobContext {
  now: string;
  nowMs: number;
  /** How long a cluster takes to start (a job's own, or a queue's). */
  startupMs: number;
  /** Delay before a retry's run: the cluster is already up. */
  restartDelayMs: number;
  newId(prefix: string): string;
}

export const jobTimer = (jobId: string) => `job:${jobId}`;
export const clusterTimer = (queueId: string) => `cluster:${queueId}`;
export const idleTimer = (queueId: string) => `idle:${queueId}`;

export const NOTHING: JobStep = Object.freeze({ effects: [] }) as JobStep;

/** True while the job may still move towards a run (not finished, nobody asked to terminate it). */
export function mayProceed(job: JobRecord): boolean {
  return !isTerminalJobState(job.state.current_state) && job.state.goal_state !== "TERMINATED";
}

/** A job that may run now goes to AWAITING_CLUSTER_START: reusing its queue's cluster, starting one, or its own. */
export function startJob(job: JobRecord, queue: JobQueueRecord | undefined, resuming: boolean, ctx: JobContext): JobStep {
  if (!mayProceed(job)) return NOTHING;
  const next = structuredClone(job);
  if (!queue) {
    const clusterId = resuming && job.state.cluster_id ? job.state.cluster_id : ctx.newId("ses");
    return {
      job: transitionJob(next, "AWAITING_CLUSTER_START", { clusterId, message: "Waiting for the cluster to start." }, ctx.now),
      effects: [{ kind: "arm", key: jobTimer(job.id), ms: ctx.startupMs, event: { kind: "launch", jobId: job.id } }],
    };
  }
  const q = structuredClone(queue);
  let queueChanged = false;
  const effects: JobEffect[] = [{ kind: "clear", key: idleTimer(q.id) }];
  if (q.idle_since) {
    q.idle_since = null;
    queueChanged = true;
  }
  if (q.cluster_state === "Running") {
    effects.push({ kind: "arm", key: jobTimer(job.id), ms: 0, event: { kind: "launch", jobId: job.id } });
    return { queue: queueChanged ? q : undefined, job: transitionJob(next, "AWAITING_CLUSTER_START", { clusterId: q.cluster_id }, ctx.now), effects };
  }
  if (q.cluster_state === "Terminated") {
    q.cluster_state = "StartingUp";
    q.cluster_id = ctx.newId("ses");
    queueChanged = true;
    effects.push({ kind: "arm", key: clusterTimer(q.id), ms: ctx.startupMs, event: { kind: "cluster-ready", queueId: q.id } });
  }
  const waiting = transitionJob(next, "AWAITING_CLUSTER_START", { clusterId: q.cluster_id, message: "Waiting for the job queue's cluster to start." }, ctx.now);
  return { queue: queueChanged ? q : undefined, job: waiting, effects };
}

/** The job's new run (already stored) begins: the job counts the attempt and is RUNNING. */
export function runLaunched(job: JobRecord, run: JobRunRecord, ctx: JobContext): JobStep {
  const next = structuredClone(job);
  next.attempts = run.attempt;
  next.last_job_run_id = run.id;
  const message = `Job run ${run.name} (attempt ${run.attempt}) is running.`;
  return { job: transitionJob(next, "RUNNING", { clusterId: run.cluster_id, message, error: job.state.error }, ctx.now), effects: [] };
}

/** The run's process was spawned. */
export function processStarted(run: JobRunRecord, pid: number | undefined, ctx: JobContext): JobStep {
  return { run: { ...run, pid: pid ?? null, status: "RUNNING", started_at: ctx.now }, effects: [] };
}

/** How a process exit reads as the end of a run; `terminated` when the job's goal is TERMINATED. */
export function runEndOfExit(exit: ProcessExit, terminated: boolean): RunEnd {
  if (exit.spawnError) return { exitCode: null, signal: null, timedOut: false, terminated, setupError: exit.spawnError };
  return { exitCode: exit.exitCode, signal: exit.signal, timedOut: exit.timedOut && !terminated, terminated };
}

/** A run ended: the run is finished and the job retries, finishes or is settled as terminated. */
export function runEnded(run: JobRunRecord, job: JobRecord | undefined, end: RunEnd, ctx: JobContext): JobStep {
  if (run.finished_at) return NOTHING;
  const outcome = decideRunOutcome(end, run.attempt, job ? Number(job.config.max_retries) : 0, job?.config.timeout_s);
  const finished: JobRunRecord = { ...run, status: outcome.runStatus, error: outcome.runError, exit_code: end.exitCode, finished_at: ctx.now };
  if (!job || isTerminalJobState(job.state.current_state)) return { run: finished, effects: [] };
  const effects: JobEffect[] = [{ kind: "log", line: `job ${job.id} run ${run.name} ended: ${outcome.runStatus}${outcome.runError ? ` (${outcome.runError})` : ""}` }];
  if (outcome.jobState === "TERMINATED") return { run: finished, effects: [...effects, { kind: "finish-terminated", jobId: job.id }] };
  const next = transitionJob(structuredClone(job), outcome.jobState, { error: outcome.jobError, message: outcome.retry ? "Restarting the job with a new run." : null }, ctx.now);
  if (outcome.retry) effects.push({ kind: "arm", key: jobTimer(job.id), ms: ctx.restartDelayMs, event: { kind: "launch", jobId: job.id } });
  else if (job.job_queue_id) effects.push({ kind: "schedule-queue", queueId: job.job_queue_id });
  return { run: finished, job: next, effects };
}

/** The job ends as TERMINATED; a run still marked in flight is STOPPED; its queue's slot frees up. */
export function finishTerminated(job: JobRecord, lastRun: JobRunRecord | undefined, ctx: JobContext): JobStep {
  const run = lastRun && !lastRun.finished_at ? { ...lastRun, status: "STOPPED" as const, error: "Job run was terminated.", finished_at: ctx.now } : undefined;
  const next = transitionJob(structuredClone(job), "TERMINATED", { goal: "TERMINATED", message: "Job was terminated.", error: job.state.error }, ctx.now);
  const effects: JobEffect[] = [{ kind: "clear", key: jobTimer(job.id) }];
  if (job.job_queue_id) effects.push({ kind: "schedule-queue", queueId: job.job_queue_id });
  return { run, job: next, effects };
}

/**
 * A user asks the job to stop. A finished job is left as is; a live run is killed and its exit
 * settles the job as TERMINATED; otherwise the job is settled now.
 */
export function terminateRequested(job: JobRecord, liveRunId: string | null, lastRun: JobRunRecord | undefined, ctx: JobContext): JobStep {
  if (isTerminalJobState(job.state.current_state)) return NOTHING;
  const clear: JobEffect = { kind: "clear", key: jobTimer(job.id) };
  if (liveRunId) {
    const next = transitionJob(structuredClone(job), job.state.current_state, { goal: "TERMINATED", message: "Job is being terminated." }, ctx.now);
    return { job: next, effects: [clear, { kind: "kill-run", runId: liveRunId }] };
  }
  const settled = finishTerminated(job, lastRun, ctx);
  return { ...settled, effects: [clear, ...settled.effects] };
}

/** A finished job is archived: it leaves the default list. */
export function jobArchived(job: JobRecord, ctx: JobContext): JobStep {
  if (job.archived_at) return NOTHING;
  return { job: { ...job, archived_at: ctx.now, updated_at: ctx.now }, effects: [] };
}
