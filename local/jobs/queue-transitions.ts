// Pure transitions of job queues: scheduling free slots, the queue cluster's start and idle stop, and the
// queue commands' record changes. Same shape as transitions.ts: records and effects out, inputs untouched.
import type { JobQueueRecord, JobRecord } from "./records";
import { pickJobsToStart, type WaitingJob } from "./scheduler";
import { clusterTimer, idleTimer, NOTHING, type JobContext, type JobEffect, type JobStep } from "./transitions";
import { isTerminalJobState } from "./wire-enums";

/** The queue's cluster is up: every job waiting for it launches, then free slots are filled. */
export function clusterReady(queue: JobQueueRecord, jobsOfQueue: readonly JobRecord[]): JobStep {
  const q = structuredClone(queue);
  q.cluster_state = "Running";
  const launches: JobEffect[] = jobsOfQueue
    .filter((j) => j.state.current_state === "AWAITING_CLUSTER_START" && j.state.goal_state !== "TERMINATED")
    .map((j) => ({ kind: "launch", jobId: j.id }));
  return { queue: q, effects: [...launches, { kind: "schedule-queue", queueId: q.id }] };
}

/**
 * Fills the queue's free slots in its order. With nothing active or waiting on a running cluster the
 * queue is idle: idle_since is recorded once and a timer stops the cluster after idle_timeout_sec.
 */
export function scheduleQueue(queue: JobQueueRecord, jobsOfQueue: readonly JobRecord[], waiting: readonly WaitingJob[], idleTimerArmed: boolean, ctx: JobContext): JobStep {
  const active = jobsOfQueue.filter((j) => !isTerminalJobState(j.state.current_state) && j.state.current_state !== "PENDING");
  const toStart = pickJobsToStart(queue.execution_mode, queue.max_concurrency, active.length, waiting);
  const starts: JobEffect[] = toStart.map((jobId) => ({ kind: "start-job", jobId }));
  if (active.length + toStart.length > 0 || queue.cluster_state !== "Running") return { effects: starts };
  const q = structuredClone(queue);
  const changed = !q.idle_since;
  if (changed) q.idle_since = ctx.now;
  if (idleTimerArmed) return { queue: changed ? q : undefined, effects: [] };
  const elapsed = ctx.nowMs - Date.parse(q.idle_since!);
  const ms = Math.max(0, q.idle_timeout_sec * 1000 - elapsed);
  return { queue: changed ? q : undefined, effects: [{ kind: "arm", key: idleTimer(q.id), ms, event: { kind: "idle-stop", queueId: q.id } }] };
}

/** The idle timer fired: the cluster stops unless work arrived meanwhile (idle_since cleared). */
export function idleTimeout(queue: JobQueueRecord): JobStep {
  if (!queue.idle_since) return NOTHING;
  const q: JobQueueRecord = { ...queue, cluster_state: "Terminated", idle_since: null };
  return { queue: q, effects: [{ kind: "log", line: `job queue ${q.name}: cluster stopped after ${q.idle_timeout_sec}s idle` }] };
}

/** The queue was terminated: its cluster stops and no timer of it stays armed. */
export function queueTerminated(queue: JobQueueRecord): JobStep {
  const q: JobQueueRecord = { ...queue, cluster_state: "Terminated", idle_since: null };
  return { queue: q, effects: [{ kind: "clear", key: clusterTimer(q.id) }, { kind: "clear", key: idleTimer(q.id) }] };
}

export interface QueueChanges {
  max_concurrency?: number | null;
  idle_timeout_sec?: number | null;
}

/** New limits apply at once: more slots may start waiting jobs, a new idle timeout counts from the current idle period. */
export function queueUpdated(queue: JobQueueRecord, changes: QueueChanges): JobStep {
  const q = { ...queue };
  if (changes.max_concurrency != null) q.max_concurrency = changes.max_concurrency;
  if (changes.idle_timeout_sec != null) q.idle_timeout_sec = changes.idle_timeout_sec;
  return { queue: q, effects: [{ kind: "clear", key: idleTimer(q.id) }, { kind: "schedule-queue", queueId: q.id }] };
}

/** A sealed queue accepts no new jobs; queued ones still run. */
export function queueSealed(queue: JobQueueRecord, ctx: JobContext): JobStep {
  if (queue.state === "SEALED") return NOTHING;
  return { queue: { ...queue, state: "SEALED", sealed_at: ctx.now }, effects: [] };
}

/** A deleted queue leaves no timer armed. */
export function queueDeleted(queueId: string): JobStep {
  return { effects: [{ kind: "clear", key: clusterTimer(queueId) }, { kind: "clear", key: idleTimer(queueId) }] };
}
