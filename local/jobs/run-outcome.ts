// Pure decision of what a job does after one of its runs ends.
import type { HaJobState, JobRunStatus } from "./wire-enums";

export interface RunEnd {
  exitCode: number | null;
  signal: string | null;
  /** The run exceeded the job's timeout_s and was killed. */
  timedOut: boolean;
  /** The job was terminated by a user (goal state TERMINATED). */
  terminated: boolean;
  /** The process could not be started or its working_dir could not be prepared. */
  setupError?: string;
  /** The process was lost (the control plane stopped while it ran). */
  lost?: boolean;
}

export interface RunOutcome {
  runStatus: JobRunStatus;
  runError: string | null;
  /** State the job moves to now. */
  jobState: HaJobState;
  jobError: string | null;
  /** True when another run must be started. */
  retry: boolean;
}

/**
 * attempt is 1-based; a job runs at most max_retries + 1 times. A timed-out run counts as a
 * failed attempt (timeout_s bounds each run), so it is retried while retries remain.
 */
export function decideRunOutcome(end: RunEnd, attempt: number, maxRetries: number, timeoutS?: number | null): RunOutcome {
  if (end.terminated) {
    return { runStatus: "STOPPED", runError: "Job run was terminated.", jobState: "TERMINATED", jobError: null, retry: false };
  }
  if (!end.timedOut && !end.setupError && !end.lost && end.exitCode === 0) {
    return { runStatus: "SUCCEEDED", runError: null, jobState: "SUCCESS", jobError: null, retry: false };
  }
  const why = describeFailure(end, timeoutS);
  const totalAttempts = maxRetries + 1;
  if (attempt < totalAttempts) {
    return {
      runStatus: "FAILED",
      runError: why,
      jobState: "RESTARTING",
      jobError: `${why} Retrying (attempt ${attempt + 1} of ${totalAttempts}).`,
      retry: true,
    };
  }
  return {
    runStatus: "FAILED",
    runError: why,
    jobState: "OUT_OF_RETRIES",
    jobError: `${why} The job has no retries left (${attempt} of ${totalAttempts} attempts used).`,
    retry: false,
  };
}

function describeFailure(end: RunEnd, timeoutS?: number | null): string {
  if (end.lost) return "The job run's process was lost when the local control plane stopped.";
  if (end.setupError) return `Job run could not start: ${end.setupError}`;
  if (end.timedOut) return `Job run exceeded timeout_s=${timeoutS ?? "?"} and was killed.`;
  if (end.signal) return `Job run was killed by signal ${end.signal}.`;
  return `Job run failed: the entrypoint exited with code ${end.exitCode}.`;
}
