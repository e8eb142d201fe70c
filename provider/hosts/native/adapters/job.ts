// The Job adapter: the submission scope and secret env var names the sdk class fills, and its plan.
import { isUnknown } from "../../../core/dynamic-support";
import * as jobProvider from "../../../job/dynamic";
import { jobInputsSchema } from "../../../job/schema";
import { planJobChange } from "../../../job/planner";
import { JOB_OUTPUT_NAMES, jobOutputsSchema } from "../../../job/output-schema";
import { scopeOf, type ProviderModule, type ResourceAdapter } from "../adapter";
import { describeJobPlan } from "../plan-lines";

const JOB_INTERNAL = new Set(["submissionScope", "sourceHash", "secretEnvVarNames"]);

export const job: ResourceAdapter = {
  token: "anyscale:index:Job",
  module: jobProvider as unknown as ProviderModule,
  inputSchema: jobInputsSchema,
  docsPage: "job.md",
  internal: JOB_INTERNAL,
  computedOutputs: JOB_OUTPUT_NAMES,
  outputSchema: jobOutputsSchema,
  secretOutputs: [],
  // Whatever defines the run replaces; an update changes tags only, so the run and its record stay.
  knownThroughUpdate: () => ["jobId", "creator", "creatorId", "createdAt", "projectId", "cloudId", "jobQueueId", "submissionKey", "lastRunId"],
  prepare(news, identity, secretPaths) {
    // As the sdk class does: env vars the program marked secret are masked in log tails and errors.
    const secretEnv = secretPaths.filter((path) => path.startsWith("envVars.")).map((path) => path.slice("envVars.".length));
    return { ...news, submissionScope: scopeOf(identity), ...(secretEnv.length > 0 ? { secretEnvVarNames: secretEnv } : {}) };
  },
  plan(state, news) {
    const plan = planJobChange(state, news);
    const tagsChanged = Object.keys(plan.tagChanges.upsert).length + plan.tagChanges.remove.length > 0 || isUnknown(news.tags);
    return {
      fields: [
        ...plan.replaces.map((path) => ({ path, replace: true })),
        ...plan.behaviourChanges.map((path) => ({ path, replace: false })),
        ...(tagsChanged ? [{ path: "tags", replace: false }] : []),
      ],
      line: describeJobPlan(plan, this.internal),
    };
  },
};
