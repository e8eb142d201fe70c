// A change of settings the platform never sees: `timeouts` alone is an update (the engine keeps old
// outputs on an unchanged step, and delete reads its timeout from them), and for the Job it asks the
// platform nothing. Also the Job's waitFor: every target state of the SDK's job.wait.
import { decideJob } from "../../provider/job/decide";
import { recordedOutputs } from "../../provider/job/outputs";
import { planJobChange } from "../../provider/job/planner";
import { jobInputsSchema, WAIT_FOR_VALUES } from "../../provider/job/schema";
import { decideJobWait } from "../../provider/job/wait-rules";
import { replay } from "../../provider/core/waiter";
import { jobWaitRules } from "../../provider/job/wait-rules";
import { planJobQueueChange } from "../../provider/jobqueue/planner";
import { planComputeConfigChange } from "../../provider/computeconfig/planner";
import { planContainerImageChange } from "../../provider/containerimage/planner";
import * as jobProvider from "../../provider/job/dynamic";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { configureFor } from "../helpers/provider-driver";
import { describeJobPlan, describeJobQueuePlan } from "../../provider/hosts/native/plan-lines";
import { detailedDiff } from "../../provider/hosts/native/detailed-diff";

const job = { name: "train", entrypoint: "python main.py", waitFor: "succeeded", deletionPolicy: "archive", logLines: 20, submissionScope: "p/s/train" };
const observed = { jobId: "prodjob_1", state: "FAILED", backendState: "OUT_OF_RETRIES", runs: [{ id: "r", name: "r", state: "FAILED" }], logTail: "boom", submissionKey: "k", archived: false };

describe("a change of timeouts alone", () => {
  it("is an update of every resource whose timeouts delete reads (Job, JobQueue, ComputeConfig, ContainerImage)", async () => {
    const timeouts = { delete: "45m" };
    expect(planJobChange(job, { ...job, timeouts })).toMatchObject({ changes: true, replaces: [], behaviourChanges: ["timeouts"] });
    expect(await jobProvider.diff("prodjob_1", { ...job, ...observed }, { ...job, timeouts })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const queue = { name: "q", executionMode: "FIFO", maxConcurrency: 1, idleTimeoutS: 60, deletionPolicy: "archive" };
    expect(planJobQueueChange(queue, { ...queue, timeouts })).toMatchObject({ changes: true, replaces: [], inPlace: {} });
    expect(planComputeConfigChange({ name: "cc", headNode: { instanceType: "m5.large" } }, { name: "cc", headNode: { instanceType: "m5.large" }, timeouts })).toEqual({ changes: true, replaces: [] });
    expect(planContainerImageChange({ name: "i", containerfile: "C", sourceHash: "1" }, { name: "i", containerfile: "C", sourceHash: "1", timeouts })).toEqual({ changes: true, replaces: [], newVersion: [] });
    // unchanged timeouts are still no change
    expect(planJobChange({ ...job, timeouts }, { ...job, timeouts: { delete: "45m" } }).changes).toBe(false);
  });

  it("is recorded by the Job with no API call: the new inputs beside the outputs last observed", async () => {
    const news = { ...job, timeouts: { delete: "45m" }, __provider: "serialized" };
    const change = planJobChange({ ...job, ...observed }, news);
    expect(decideJob(news, "update", change).kind).toBe("record");
    // A server that counts what reaches it: the update must send nothing.
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      await configureFor(jobProvider, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: "sss_unit" });
      const { outs } = await jobProvider.update("prodjob_1", { ...job, ...observed, timeouts: { delete: "10m" } }, news);
      expect(outs).toEqual({ ...job, timeouts: { delete: "45m" }, ...observed });
      expect(outs).not.toHaveProperty("__provider");
      expect(seen).toEqual([]);
    } finally {
      server.close();
    }
  });

  it("deletionPolicy alone is recorded too; with a wait or tag change the job is observed again", () => {
    const decide = (news: Record<string, unknown>) => decideJob(news, "update", planJobChange(job, news)).kind;
    expect(decide({ ...job, deletionPolicy: "keep" })).toBe("record");
    expect(decide({ ...job, deletionPolicy: "keep", timeouts: { delete: "1h" } })).toBe("record");
    expect(decide({ ...job, waitFor: "running", timeouts: { delete: "1h" } })).toBe("retag");
    expect(decide({ ...job, logLines: 5 })).toBe("retag");
    expect(decide({ ...job, tags: { a: "b" } })).toBe("retag");
    // no change at all: the engine retrying a job recorded after a failed wait, which waits again
    expect(decide({ ...job })).toBe("retag");
  });

  it("recordedOutputs drops inputs no longer given and keeps only observed outputs from the old state", () => {
    const outs = recordedOutputs({ ...job, ...observed, timeouts: { delete: "1m" }, logLines: 5 }, { ...job });
    expect(outs).not.toHaveProperty("timeouts");
    expect(outs.logLines).toBe(20);
    expect(outs.state).toBe("FAILED");
  });
});

describe("waitFor: every target of the SDK's job.wait", () => {
  const seq = (...states: string[]) => states.map((backendState) => ({ backendState }));

  it("accepts submitted and each JobState, in any case, normalised to lowercase", () => {
    expect([...WAIT_FOR_VALUES]).toEqual(["submitted", "starting", "running", "succeeded", "failed", "terminated", "unknown"]);
    for (const given of ["STARTING", "Running", "succeeded", "FAILED", "terminated", "UNKNOWN"]) {
      const parsed = jobInputsSchema.safeParse({ entrypoint: "x", waitFor: given });
      expect(parsed.success && parsed.data.waitFor).toBe(given.toLowerCase());
    }
    expect(jobInputsSchema.safeParse({ entrypoint: "x", waitFor: "done" }).success).toBe(false);
  });

  it("a state the job passed is reached (STARTING → RUNNING → SUCCEEDED)", () => {
    expect(replay(jobWaitRules("starting"), seq("PENDING")).decision.kind).toBe("success");
    expect(replay(jobWaitRules("starting"), seq("RUNNING")).decision.kind).toBe("success");
    expect(replay(jobWaitRules("starting"), seq("SUCCESS")).decision.kind).toBe("success");
    expect(replay(jobWaitRules("starting"), seq("SOMETHING_NEW", "PENDING")).index).toBe(1);
    expect(decideJobWait({ backendState: "BROKEN" }, "starting").kind).toBe("failure");
  });

  it("failed and terminated wait for that end; any other end fails the wait saying so", () => {
    const failed = replay(jobWaitRules("failed"), seq("PENDING", "RUNNING", "ERRORED", "OUT_OF_RETRIES"));
    expect(failed).toMatchObject({ index: 3, decision: { kind: "success", result: "FAILED" } });
    const succeeded = decideJobWait({ backendState: "SUCCESS" }, "failed");
    expect(succeeded).toEqual({ kind: "failure", reason: 'the job ended SUCCEEDED (SUCCESS), so it will never be FAILED (waitFor: "failed")' });
    expect(decideJobWait({ backendState: "TERMINATED" }, "terminated").kind).toBe("success");
    expect(decideJobWait({ backendState: "BROKEN" }, "terminated").kind).toBe("failure");
    expect(decideJobWait({ backendState: "RUNNING" }, "terminated").kind).toBe("retry");
  });

  it("unknown is reached by a state the SDK does not know, and never by an ended job", () => {
    expect(decideJobWait({ backendState: "SOMETHING_NEW" }, "unknown").kind).toBe("success");
    expect(decideJobWait({ backendState: "RUNNING" }, "unknown").kind).toBe("retry");
    expect(decideJobWait({ backendState: "SUCCESS" }, "unknown").kind).toBe("failure");
  });
});

describe("registryLoginSecret", () => {
  it("is refused at check with an image hosted on Anyscale, naming the field", async () => {
    const result = await jobProvider.check({}, { entrypoint: "x", imageUri: "anyscale/image/my-image:3", registryLoginSecret: "s" });
    expect(result.failures).toEqual([{ property: "registryLoginSecret", reason: expect.stringContaining("hosted on Anyscale") }]);
    const fine = await jobProvider.check({}, { entrypoint: "x", imageUri: "docker.io/me/app:1", registryLoginSecret: "s" });
    expect(fine.failures).toBeUndefined();
  });
});

describe("the native host's view of a settings-only Job change", () => {
  it("names timeouts and secret env vars in the plan line and the detailed diff", () => {
    const internal = new Set(["submissionScope", "sourceHash", "secretEnvVarNames"]);
    expect(describeJobPlan(planJobChange(job, { ...job, timeouts: { delete: "1h" } }), internal)).toBe("provider settings only (timeouts)");
    const secret = { ...job, envVars: { K: "v" }, secretEnvVarNames: ["K"] };
    expect(describeJobPlan(planJobChange({ ...job, envVars: { K: "v" } }, secret), internal)).toBe("provider settings only (secret envVars)");
    expect(detailedDiff([{ path: "secretEnvVarNames", replace: false }], { ...job, envVars: { K: "v" } }, secret, internal)).toEqual({ envVars: "UPDATE" });
    const queue = { name: "q", executionMode: "FIFO", maxConcurrency: 1, idleTimeoutS: 60, deletionPolicy: "archive" };
    expect(describeJobQueuePlan(planJobQueueChange(queue, { ...queue, timeouts: { delete: "1h" } }), new Set())).toBe(
      "provider settings only (timeouts): nothing changes on the platform",
    );
  });
});
