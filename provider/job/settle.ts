// wait + outputs: observe the job through the shared poller until the plan's wait target; a failed or
// timed-out wait records the job (never orphaned) with the platform's error and the log tail.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { JobModel } from "../anyscale/job-models";
import { jobStateFromBackend } from "../anyscale/job-state";
import { nextJob, observedPollSchedule } from "../anyscale/watch";
import { throwInitFailure } from "../core/dynamic-support";
import { WaitError } from "../core/errors";
import { formatDuration } from "../core/timeouts";
import { waitFor } from "../core/waiter";
import { secretEnvValues, type Inputs, type JobContext } from "./context";
import { waitDescription, type JobPlan } from "./decide";
import { LogFollower } from "./log-follow";
import { logTailForError } from "./log-tail";
import { observeJob, requireObserved } from "./observe";
import type { WaitFor } from "./schema";
import { jobWaitRules } from "./wait-rules";

export async function settleJob(context: JobContext, jobId: string, inputs: Inputs, plan: JobPlan): Promise<dynamic.CreateResult> {
  // The wait's last observation is the job as it is now: describing it needs no second read.
  let lastSeen: JobModel | undefined;
  if (plan.wait.target !== "submitted") {
    const follower = followsLog(inputs)
      ? new LogFollower({ readTail: (runId) => context.client.jobs.logTail(runId, 1), secrets: [context.settings.token, ...secretEnvValues(inputs)] })
      : undefined;
    try {
      await waitFor({
        description: waitDescription(plan, jobId),
        observe: async () => {
          const job = (lastSeen = requireObserved(await nextJob(context.client, jobId), jobId));
          const newestLogLine = await follower?.newestLine(job.last_job_run_id);
          return { backendState: job.state.current_state, error: job.state.error, ...(newestLogLine ? { newestLogLine } : {}) };
        },
        rules: jobWaitRules(plan.wait.target),
        timeoutMs: plan.wait.timeoutMs,
        schedule: observedPollSchedule(),
        describe: (observed) => `${jobStateFromBackend(observed.backendState)} (${observed.backendState})`,
      });
    } catch (error) {
      if (!(error instanceof WaitError)) throw error;
      const { outputs, logLines } = await observeJob(context, jobId, inputs);
      const logSection = logTailForError(logLines, [context.settings.token, ...secretEnvValues(inputs)], `\`anyscale job logs --id ${jobId}\``);
      const headline =
        error.outcome === "timeout"
          ? `${error.message} The job was left ${String(outputs.state)} on the platform, not terminated; run \`pulumi up\` again to keep waiting ` +
            `(raise the wait with customTimeouts, now ${formatDuration(plan.wait.timeoutMs)}) or \`pulumi destroy\` to stop it.`
          : finalStateMessage(plan.name, jobId, outputs, plan.wait.target);
      throwInitFailure(jobId, outputs, inputs, `${headline}\n${logSection}`);
    }
  }
  return { id: jobId, outs: (await observeJob(context, jobId, inputs, lastSeen)).outputs };
}

/** `logLines: 0` asks for no log reads at all, so the wait does not follow the log either. */
function followsLog(inputs: Inputs): boolean {
  return inputs.logLines !== 0;
}

/** "Job 'etl' (prodjob_…) FAILED (OUT_OF_RETRIES): <the platform's error>" — the platform's words, not ours. */
function finalStateMessage(name: string, jobId: string, outs: Inputs, target: WaitFor): string {
  const state = String(outs.state);
  const backend = outs.backendState && outs.backendState !== state ? ` (${String(outs.backendState)})` : "";
  const why = typeof outs.error === "string" && outs.error ? `: ${outs.error}` : "";
  // Waiting for a failure or a termination, the job ending otherwise is the news, not its error.
  if (target === "failed" || target === "terminated" || target === "unknown") {
    return `Job '${name}' (${jobId}) ended ${state}${backend}, so it will never be ${target.toUpperCase()} (waitFor: "${target}")${why}`;
  }
  const verb = state === "TERMINATED" ? "was TERMINATED before it finished" : state;
  return `Job '${name}' (${jobId}) ${verb}${backend}${why}`;
}
