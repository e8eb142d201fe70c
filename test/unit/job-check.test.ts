// check-time validation of anyscale.Job inputs: failures name the field, no API call is made.
import * as jobProvider from "../../provider/job/dynamic";
import { UNKNOWN_VALUE } from "../../provider/core/dynamic-support";

const base = { entrypoint: "python main.py", submissionScope: "proj/dev/train" };

async function failuresOf(inputs: Record<string, unknown>) {
  const result = await jobProvider.check({}, inputs);
  return result.failures ?? [];
}

function properties(failures: Array<{ property: string }>) {
  return failures.map((failure) => failure.property);
}

describe("Job check", () => {
  it("refuses a malformed image URI, naming imageUri", async () => {
    expect(properties(await failuresOf({ ...base, imageUri: "not an image" }))).toEqual(["imageUri"]);
    expect(await failuresOf({ ...base, imageUri: "anyscale/ray:2.49.0-py311" })).toEqual([]);
  });

  beforeAll(() => {
    // No configuration at all: check must never need credentials or the network.
    void jobProvider.configure({ config: { get: () => undefined, require: () => "" } } as never);
  });

  it("accepts a minimal job and fills defaults", async () => {
    const result = await jobProvider.check({}, { ...base, __provider: "serialized" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({
      entrypoint: "python main.py",
      name: "train",
      waitFor: "succeeded",
      deletionPolicy: "archive",
      logLines: 20,
      __provider: "serialized",
    });
  });

  it("requires an entrypoint", async () => {
    const failures = await failuresOf({ submissionScope: "p/s/x" });
    expect(properties(failures)).toEqual(["entrypoint"]);
    expect(failures[0].reason).toMatch(/entrypoint: is required/);
    expect(properties(await failuresOf({ entrypoint: "   " }))).toEqual(["entrypoint"]);
  });

  it("rejects a target queue name together with a queue spec", async () => {
    const failures = await failuresOf({
      ...base,
      jobQueue: { targetJobQueueName: "q", jobQueueSpec: { idleTimeoutS: 60 } },
    });
    expect(properties(failures)).toEqual(["jobQueue.targetJobQueueName"]);
    expect(failures[0].reason).toMatch(/cannot be combined with jobQueue.jobQueueSpec/);
  });

  it("rejects a priority on a non-PRIORITY queue", async () => {
    const explicit = await failuresOf({ ...base, jobQueue: { priority: 3, jobQueueSpec: { executionMode: "FIFO", idleTimeoutS: 60 } } });
    expect(properties(explicit)).toEqual(["jobQueue.priority"]);
    expect(explicit[0].reason).toMatch(/executionMode is FIFO/);
    // a spec without a mode may reuse an existing PRIORITY queue by name (the official YAML example does this)
    expect(await failuresOf({ ...base, jobQueue: { priority: 3, jobQueueSpec: { name: "q", idleTimeoutS: 60 } } })).toEqual([]);
    const referenced = await failuresOf({ ...base, jobQueue: { priority: 3, targetJobQueueId: "jq_1", targetJobQueueExecutionMode: "LIFO" } });
    expect(properties(referenced)).toEqual(["jobQueue.priority"]);
    const ok = await failuresOf({ ...base, jobQueue: { priority: 3, jobQueueSpec: { executionMode: "priority", idleTimeoutS: 60 } } });
    expect(ok).toEqual([]);
  });

  it("rejects negative timeouts and out-of-range retries", async () => {
    expect(properties(await failuresOf({ ...base, timeoutS: -1 }))).toEqual(["timeoutS"]);
    expect(properties(await failuresOf({ ...base, maxRetries: -1 }))).toEqual(["maxRetries"]);
    expect(properties(await failuresOf({ ...base, maxRetries: 1.5 }))).toEqual(["maxRetries"]);
    expect(properties(await failuresOf({ ...base, maxRetries: 3_000_000_000 }))).toEqual(["maxRetries"]);
    expect(properties(await failuresOf({ ...base, jobQueue: { jobQueueSpec: { idleTimeoutS: -5 } } }))).toEqual(["jobQueue.jobQueueSpec.idleTimeoutS"]);
    expect(properties(await failuresOf({ ...base, timeouts: { create: "soon" } }))).toEqual(["timeouts.create"]);
  });

  it("names nested and exclusive fields", async () => {
    expect(properties(await failuresOf({ ...base, imageUri: "a/b:1", containerfile: "Dockerfile" }))).toEqual(["containerfile"]);
    expect(properties(await failuresOf({ ...base, registryLoginSecret: "s" }))).toEqual(["registryLoginSecret"]);
    expect(properties(await failuresOf({ ...base, imageUri: "a/b:1", rayVersion: "2.9" }))).toEqual(["rayVersion"]);
    expect(properties(await failuresOf({ ...base, waitFor: "done" }))).toEqual(["waitFor"]);
    expect(properties(await failuresOf({ ...base, deletionPolicy: "destroy" }))).toEqual(["deletionPolicy"]);
    expect(properties(await failuresOf({ ...base, connections: [{ type: "databricks", name: "a" }, { type: "DATABRICKS", name: "b" }] }))).toEqual([
      "connections[1].type",
    ]);
    expect(properties(await failuresOf({ ...base, tags: { "pulumi-anyscale/submission-key": "x" } }))).toEqual(["tags"]);
    expect(properties(await failuresOf({ ...base, entrypnt: "typo" }))).toEqual(["(inputs)"]);
  });

  it("tolerates unknown values during preview", async () => {
    const result = await jobProvider.check({}, { ...base, jobQueue: { targetJobQueueId: UNKNOWN_VALUE, targetJobQueueName: UNKNOWN_VALUE, priority: 1 } });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({ name: "train", waitFor: "succeeded" });
    const unknownEntrypoint = await jobProvider.check({}, { entrypoint: UNKNOWN_VALUE, submissionScope: "p/s/x" });
    expect(unknownEntrypoint.failures).toBeUndefined();
  });
});
