// The job waiter is a pure function over observed states: replay recorded sequences.
import { replay } from "../../provider/core/waiter";
import { jobWaitRules, decideJobWait, type JobObservation } from "../../provider/job/wait-rules";
import { jobStateFromBackend, jobRunStateFromBackend } from "../../provider/anyscale/job-state";

const seq = (...states: string[]): JobObservation[] => states.map((backendState) => ({ backendState }));

describe("job state mapping (the SDK's HA_JOB_STATE_TO_JOB_STATE)", () => {
  it.each([
    ["PENDING", "STARTING"],
    ["AWAITING_CLUSTER_START", "STARTING"],
    ["UPDATING", "RUNNING"],
    ["RUNNING", "RUNNING"],
    ["RESTARTING", "RUNNING"],
    ["CLEANING_UP", "RUNNING"],
    ["ERRORED", "RUNNING"],
    ["SUCCESS", "SUCCEEDED"],
    ["TERMINATED", "TERMINATED"],
    ["BROKEN", "FAILED"],
    ["OUT_OF_RETRIES", "FAILED"],
    ["SOMETHING_NEW", "UNKNOWN"],
  ])("%s → %s", (backend, expected) => {
    expect(jobStateFromBackend(backend)).toBe(expected);
  });

  it("maps run statuses", () => {
    expect(jobRunStateFromBackend("COMPLETED")).toBe("SUCCEEDED");
    expect(jobRunStateFromBackend("STOPPED")).toBe("FAILED");
    expect(jobRunStateFromBackend("PENDING")).toBe("STARTING");
    expect(jobRunStateFromBackend(undefined)).toBe("UNKNOWN");
  });
});

describe("job wait rules", () => {
  it("waits through a retry to success", () => {
    const { decision, index } = replay(
      jobWaitRules("succeeded"),
      seq("PENDING", "AWAITING_CLUSTER_START", "RUNNING", "ERRORED", "RESTARTING", "RUNNING", "SUCCESS"),
    );
    expect(decision.kind).toBe("success");
    expect(index).toBe(6);
  });

  it("does not treat the transient ERRORED as a failure", () => {
    expect(decideJobWait({ backendState: "ERRORED", error: "exit 1" }, "succeeded").kind).toBe("retry");
  });

  it("fails with the platform's error once retries are exhausted", () => {
    const { decision, index } = replay(jobWaitRules("succeeded"), [
      ...seq("PENDING", "RUNNING", "ERRORED"),
      { backendState: "OUT_OF_RETRIES", error: "the entrypoint exited with code 3" },
    ]);
    expect(index).toBe(3);
    expect(decision).toEqual({ kind: "failure", reason: expect.stringContaining("the entrypoint exited with code 3") });
  });

  it("fails on BROKEN and on TERMINATED", () => {
    expect(replay(jobWaitRules("succeeded"), seq("PENDING", "BROKEN")).decision.kind).toBe("failure");
    const terminated = replay(jobWaitRules("running"), seq("PENDING", "TERMINATED")).decision;
    expect(terminated.kind).toBe("failure");
    expect(terminated.kind === "failure" && terminated.reason).toMatch(/terminated/);
  });

  it("waitFor running stops at RUNNING, or at SUCCEEDED for a quick job", () => {
    expect(replay(jobWaitRules("running"), seq("PENDING", "AWAITING_CLUSTER_START", "RUNNING", "SUCCESS")).index).toBe(2);
    expect(replay(jobWaitRules("running"), seq("PENDING", "SUCCESS")).decision.kind).toBe("success");
  });

  it("waitFor submitted never waits", () => {
    expect(replay(jobWaitRules("submitted"), seq("PENDING")).decision.kind).toBe("success");
    expect(replay(jobWaitRules("submitted"), seq("OUT_OF_RETRIES")).decision.kind).toBe("success");
  });

  it("keeps waiting on states it does not know, and says so", () => {
    const { decision } = replay(jobWaitRules("succeeded"), seq("PENDING", "QUANTUM_SUPERPOSITION"));
    expect(decision).toEqual({ kind: "retry", progress: "job is UNKNOWN (QUANTUM_SUPERPOSITION)" });
  });
});
