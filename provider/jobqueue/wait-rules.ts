// Pure rules for waiting on a queue's removal, replayable over recorded observations.
import { statelessRules, type WaitRules } from "../core/waiter";

/** One poll during delete: gone, removed now (archived or deleted), or why not yet. */
export interface QueueRemovalObservation {
  gone: boolean;
  done: boolean;
  detail: string;
}

export function queueRemovedRules(): WaitRules<QueueRemovalObservation, undefined, QueueRemovalObservation> {
  return statelessRules((observed: QueueRemovalObservation) =>
    observed.done ? { kind: "success", result: observed, summary: "queue removed" } : { kind: "retry", progress: observed.detail },
  );
}
