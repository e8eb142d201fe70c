// Pure diff rules of anyscale.Job and anyscale.JobQueue.
import { planJobChange } from "../../provider/job/planner";
import { planTagChanges } from "../../provider/workload/tags";
import { submissionKeyFor, defaultJobName } from "../../provider/job/submission-key";
import * as jobProvider from "../../provider/job/dynamic";
import { UNKNOWN_VALUE } from "../../provider/core/dynamic-support";

const olds = {
  name: "train",
  entrypoint: "python main.py",
  tags: { team: "ml" },
  waitFor: "succeeded",
  deletionPolicy: "archive",
  logLines: 20,
  submissionScope: "p/dev/train",
  // outputs ride along in olds; they must never cause a diff
  state: "SUCCEEDED",
  runs: [{ id: "r1", name: "r1", state: "SUCCEEDED" }],
  logTail: "done",
};

describe("planJobChange", () => {
  it("finds no change when only outputs differ", () => {
    const plan = planJobChange(olds, { ...olds, state: undefined, runs: undefined, logTail: undefined });
    expect(plan.changes).toBe(false);
  });

  it("replaces on a config change and on a triggers change", () => {
    expect(planJobChange(olds, { ...olds, entrypoint: "python other.py" }).replaces).toEqual(["entrypoint"]);
    expect(planJobChange(olds, { ...olds, triggers: ["v2"] }).replaces).toEqual(["triggers"]);
    expect(planJobChange(olds, { ...olds, envVars: { A: "1" } }).replaces).toEqual(["envVars"]);
    expect(planJobChange(olds, { ...olds, jobQueue: { targetJobQueueId: "jq_2" } }).replaces).toEqual(["jobQueue"]);
  });

  it("identifies a referenced queue by its id alone (its name and mode may be unknown in preview)", () => {
    const withQueue = { ...olds, jobQueue: { targetJobQueueId: "jq_1", targetJobQueueName: "q", targetJobQueueExecutionMode: "PRIORITY", priority: 1 } };
    const previewed = { ...withQueue, jobQueue: { targetJobQueueId: "jq_1", targetJobQueueName: UNKNOWN_VALUE, targetJobQueueExecutionMode: UNKNOWN_VALUE, priority: 1 } };
    expect(planJobChange(withQueue, previewed).replaces).toEqual([]);
    expect(planJobChange(withQueue, { ...withQueue, jobQueue: { ...withQueue.jobQueue, targetJobQueueId: UNKNOWN_VALUE } }).replaces).toEqual(["jobQueue"]);
    expect(planJobChange(withQueue, { ...withQueue, jobQueue: { ...withQueue.jobQueue, priority: 2 } }).replaces).toEqual(["jobQueue"]);
    // by name only, the name is the identity
    const byName = { ...olds, jobQueue: { targetJobQueueName: "q" } };
    expect(planJobChange(byName, { ...olds, jobQueue: { targetJobQueueName: "other" } }).replaces).toEqual(["jobQueue"]);
  });

  it("changes tags in place", () => {
    const plan = planJobChange(olds, { ...olds, tags: { team: "infra", env: "prod" } });
    expect(plan.replaces).toEqual([]);
    expect(plan.changes).toBe(true);
    expect(plan.tagChanges).toEqual({ upsert: { team: "infra", env: "prod" }, remove: [] });
    expect(planJobChange(olds, { ...olds, tags: undefined }).tagChanges).toEqual({ upsert: {}, remove: ["team"] });
  });

  it("changes behaviour-only inputs in place", () => {
    const plan = planJobChange(olds, { ...olds, waitFor: "running", logLines: 5 });
    expect(plan.replaces).toEqual([]);
    expect(plan.behaviourChanges).toEqual(["waitFor", "logLines"]);
  });

  it("shows a replacement for unknown config during preview", async () => {
    const result = await jobProvider.diff("prodjob_1", olds, { ...olds, entrypoint: UNKNOWN_VALUE });
    expect(result.replaces).toEqual(["entrypoint"]);
    const tagsUnknown = await jobProvider.diff("prodjob_1", olds, { ...olds, tags: UNKNOWN_VALUE });
    expect(tagsUnknown).toMatchObject({ changes: true, replaces: [] });
  });
});

describe("planTagChanges", () => {
  it("upserts changed and new keys, removes dropped ones", () => {
    expect(planTagChanges({ a: "1", b: "2" }, { a: "1", b: "3", c: "4" })).toEqual({ upsert: { b: "3", c: "4" }, remove: [] });
    expect(planTagChanges({ a: "1", b: "2" }, {})).toEqual({ upsert: {}, remove: ["a", "b"] });
  });
});

describe("submission key", () => {
  const inputs = { name: "train", entrypoint: "python main.py", submissionScope: "p/dev/train", tags: { a: "1" }, waitFor: "succeeded" };
  it("is stable for the same resource and run definition", () => {
    expect(submissionKeyFor(inputs)).toBe(submissionKeyFor({ ...inputs }));
    // tags and behaviour are not part of what runs
    expect(submissionKeyFor({ ...inputs, tags: { b: "2" }, waitFor: "running", timeouts: { create: "1m" } })).toBe(submissionKeyFor(inputs));
  });
  it("changes with the run definition, triggers and scope", () => {
    expect(submissionKeyFor({ ...inputs, triggers: [1] })).not.toBe(submissionKeyFor(inputs));
    expect(submissionKeyFor({ ...inputs, entrypoint: "x" })).not.toBe(submissionKeyFor(inputs));
    expect(submissionKeyFor({ ...inputs, submissionScope: "p/prod/train" })).not.toBe(submissionKeyFor(inputs));
  });
  it("names a job after its resource", () => {
    expect(defaultJobName({ submissionScope: "p/dev/nightly-train" })).toBe("nightly-train");
    expect(defaultJobName({ entrypoint: "x" })).toMatch(/^job-[0-9a-f]{8}$/);
  });
});
