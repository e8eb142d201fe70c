// check-time validation of anyscale.JobQueue inputs.
import * as queueProvider from "../../provider/jobqueue/dynamic";

async function failedProperties(inputs: Record<string, unknown>): Promise<string[]> {
  return ((await queueProvider.check({}, inputs)).failures ?? []).map((failure) => failure.property);
}

describe("JobQueue check", () => {
  it("accepts a minimal queue and fills defaults (the name is decided at creation)", async () => {
    const result = await queueProvider.check({}, { idleTimeoutS: 60, executionMode: "priority", __provider: "p" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({ idleTimeoutS: 60, executionMode: "PRIORITY", maxConcurrency: 1, deletionPolicy: "archive", __provider: "p" });
  });

  it("names the bad field", async () => {
    expect(await failedProperties({})).toEqual(["idleTimeoutS"]);
    expect(await failedProperties({ idleTimeoutS: -1 })).toEqual(["idleTimeoutS"]);
    expect(await failedProperties({ idleTimeoutS: 1, maxConcurrency: 0 })).toEqual(["maxConcurrency"]);
    expect(await failedProperties({ idleTimeoutS: 1, executionMode: "RANDOM" })).toEqual(["executionMode"]);
    expect(await failedProperties({ idleTimeoutS: 1, autoTerminationThresholdJobCount: 0 })).toEqual(["autoTerminationThresholdJobCount"]);
    expect(await failedProperties({ idleTimeoutS: 1, computeConfig: "bad name:0" })).toEqual(["computeConfig"]);
    expect(await failedProperties({ idleTimeoutS: 1, deletionPolicy: "shred" })).toEqual(["deletionPolicy"]);
  });
});
