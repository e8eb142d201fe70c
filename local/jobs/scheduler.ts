// Pure queue scheduling: which waiting jobs a queue starts now, given its mode and free slots.
import type { JobQueueExecutionMode } from "./wire-enums";

export interface WaitingJob {
  id: string;
  /** Submission sequence; lower was submitted earlier. */
  seq: number;
  /** 0 is the highest priority; null sorts after every explicit priority. */
  priority: number | null;
}

/** Waiting jobs in the order the queue would run them. */
export function orderWaitingJobs(mode: JobQueueExecutionMode, waiting: readonly WaitingJob[]): WaitingJob[] {
  const byFifo = (a: WaitingJob, b: WaitingJob) => a.seq - b.seq;
  const sorted = [...waiting];
  if (mode === "FIFO") return sorted.sort(byFifo);
  if (mode === "LIFO") return sorted.sort((a, b) => b.seq - a.seq);
  // PRIORITY: ascending priority; equal priorities keep submission order so nothing starves by accident.
  return sorted.sort((a, b) => {
    const pa = a.priority ?? Number.POSITIVE_INFINITY;
    const pb = b.priority ?? Number.POSITIVE_INFINITY;
    return pa === pb ? byFifo(a, b) : pa - pb;
  });
}

/** Ids of the jobs to start now: as many as there are free slots, in queue order. */
export function pickJobsToStart(
  mode: JobQueueExecutionMode,
  maxConcurrency: number,
  activeCount: number,
  waiting: readonly WaitingJob[],
): string[] {
  const free = Math.max(0, maxConcurrency - activeCount);
  return orderWaitingJobs(mode, waiting)
    .slice(0, free)
    .map((job) => job.id);
}

/** 0-based position of each waiting job (reported as position_in_job_queue). */
export function queuePositions(mode: JobQueueExecutionMode, waiting: readonly WaitingJob[]): Map<string, number> {
  return new Map(orderWaitingJobs(mode, waiting).map((job, index) => [job.id, index]));
}
