// The JobQueue adapter: its planner verdict (replace, in-place settings, tags) and plan line.
import { isUnknown } from "../../../core/dynamic-support";
import * as jobQueueProvider from "../../../jobqueue/dynamic";
import { jobQueueInputsSchema } from "../../../jobqueue/schema";
import { planJobQueueChange } from "../../../jobqueue/planner";
import { JOB_QUEUE_OUTPUT_NAMES, jobQueueOutputsSchema } from "../../../jobqueue/output-schema";
import { scopeOf, type ProviderModule, type ResourceAdapter } from "../adapter";
import { describeJobQueuePlan } from "../plan-lines";

export const jobQueue: ResourceAdapter = {
  token: "anyscale:index:JobQueue",
  module: jobQueueProvider as unknown as ProviderModule,
  inputSchema: jobQueueInputsSchema,
  docsPage: "job-queue.md",
  internal: new Set(["submissionScope", "generatedName"]),
  computedOutputs: JOB_QUEUE_OUTPUT_NAMES,
  outputSchema: jobQueueOutputsSchema,
  secretOutputs: [],
  knownThroughUpdate: () => ["queueId", "createdAt", "creatorId", "projectId", "cloudId"],
  prepare(news, identity) {
    return { ...news, submissionScope: scopeOf(identity) };
  },
  plan(state, news) {
    const plan = planJobQueueChange(state, news);
    const inPlace = Object.keys(plan.inPlace).map((wire) => (wire === "max_concurrency" ? "maxConcurrency" : "idleTimeoutS"));
    const tagsChanged = Object.keys(plan.tagChanges.upsert).length + plan.tagChanges.remove.length > 0 || isUnknown(news.tags);
    const settings = plan.behaviourChanges;
    return {
      fields: [
        ...plan.replaces.map((path) => ({ path, replace: true })),
        ...[...inPlace, ...settings].map((path) => ({ path, replace: false })),
        ...(tagsChanged ? [{ path: "tags", replace: false }] : []),
      ],
      line: describeJobQueuePlan(plan, this.internal),
    };
  },
};
