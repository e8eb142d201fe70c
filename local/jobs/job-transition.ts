// Pure: a job's state record moved to a new state (a new transition id only when the state changes),
// and the timestamps that follow from it.
import { randomToken } from "../ids";
import type { JobRecord, JobStateRecord } from "./records";
import { isTerminalJobState, type HaJobGoalState, type HaJobState } from "./wire-enums";

export interface TransitionOptions {
  goal?: HaJobGoalState;
  error?: string | null;
  message?: string | null;
  clusterId?: string | null;
}

/** Applies the transition to `job` (the record the engine stores next) and returns it. */
export function transitionJob(job: JobRecord, state: HaJobState, opts: TransitionOptions, now: string): JobRecord {
  const changed = state !== job.state.current_state;
  job.state = {
    id: changed ? newTransitionId() : job.state.id,
    current_state: state,
    goal_state: opts.goal ?? job.state.goal_state,
    state_transitioned_at: changed ? now : job.state.state_transitioned_at,
    error: opts.error === undefined ? job.state.error : opts.error,
    operation_message: opts.message === undefined ? job.state.operation_message : opts.message,
    cluster_id: opts.clusterId === undefined ? job.state.cluster_id : opts.clusterId,
  };
  job.updated_at = now;
  if (changed) job.status_updated_at = now;
  if (isTerminalJobState(state) && !job.ended_at) job.ended_at = now;
  return job;
}

export function newState(current: HaJobState, goal: HaJobGoalState, error: string | null): JobStateRecord {
  return {
    id: newTransitionId(),
    current_state: current,
    goal_state: goal,
    state_transitioned_at: new Date().toISOString(),
    error,
    operation_message: null,
    cluster_id: null,
  };
}

function newTransitionId(): string {
  return `prodjobstatetrans_${randomToken(24)}`;
}
