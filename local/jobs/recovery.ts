// Pure plan of what to do, after the control plane restarts, with jobs that were in flight.
// Processes do not survive the control plane (they die with it, or are killed on start if they
// outlived a kill -9), so a run that was executing is reported as lost and the job's retry policy
// decides: a new run if retries remain, else OUT_OF_RETRIES with a message saying the process was lost.
import type { JobRecord, JobRunRecord } from "./records";
import { isTerminalJobState } from "./wire-enums";

export type RecoveryAction =
  /** The job was being terminated: finish that (killing a leftover process first). */
  | { kind: "finish-termination"; jobId: string; runId: string | null }
  /** A run was executing when the plane stopped: its process is gone. */
  | { kind: "run-lost"; jobId: string; runId: string }
  /** The job was waiting for its cluster, or between runs: start that step again. */
  | { kind: "resume-start"; jobId: string }
  | { kind: "resume-restart"; jobId: string };

export function planRecovery(jobs: readonly JobRecord[], runOf: (runId: string) => JobRunRecord | undefined): RecoveryAction[] {
  const actions: RecoveryAction[] = [];
  for (const job of [...jobs].sort((a, b) => a.submit_seq - b.submit_seq)) {
    if (isTerminalJobState(job.state.current_state)) continue;
    const lastRun = job.last_job_run_id ? runOf(job.last_job_run_id) : undefined;
    const runInFlight = lastRun && lastRun.finished_at === null ? lastRun : undefined;
    if (job.state.goal_state === "TERMINATED") {
      actions.push({ kind: "finish-termination", jobId: job.id, runId: runInFlight?.id ?? null });
    } else if (runInFlight) {
      actions.push({ kind: "run-lost", jobId: job.id, runId: runInFlight.id });
    } else if (job.state.current_state === "RESTARTING" || job.state.current_state === "ERRORED") {
      actions.push({ kind: "resume-restart", jobId: job.id });
    } else if (job.state.current_state === "AWAITING_CLUSTER_START" || (job.state.current_state === "PENDING" && !job.job_queue_id)) {
      actions.push({ kind: "resume-start", jobId: job.id });
    }
    // A queued PENDING job is still waiting for a slot; the queue scheduler picks it up.
  }
  return actions;
}
