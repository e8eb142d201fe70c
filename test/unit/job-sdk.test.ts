// The Job and JobQueue classes wire their args into provider inputs (mocked engine: no provider runs).
import * as pulumi from "@pulumi/pulumi";

// The real provider modules are not under node_modules here, so the closure serializer would try to
// capture them by value; a trivial stand-in keeps this a test of the class wiring only.
jest.mock("../../provider/job/dynamic", () => ({ create: async () => ({ id: "stub" }) }));
jest.mock("../../provider/jobqueue/dynamic", () => ({ create: async () => ({ id: "stub" }) }));

type Registered = { type: string; name: string; inputs: Record<string, any> };
const registered: Registered[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      const id = args.type.endsWith("JobQueue") ? "jq_mock" : `${args.name}_id`;
      return { id: args.id || id, state: { ...args.inputs, executionMode: args.inputs.executionMode ?? "FIFO", name: args.inputs.name ?? "gen-name" } };
    },
    call: () => ({}),
  },
  "proj",
  "dev",
  false,
);

// Imported after setMocks so resources register against the mocks.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Job } = require("../../sdk/job") as typeof import("../../sdk/job");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JobQueue } = require("../../sdk/job-queue") as typeof import("../../sdk/job-queue");

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

function inputsOf(name: string): Record<string, any> {
  const found = registered.find((entry) => entry.name === name);
  if (!found) throw new Error(`${name} was not registered`);
  return found.inputs;
}

jest.setTimeout(20_000);

describe("Job and JobQueue classes", () => {
  it("passes a JobQueue object as its id, name and mode, and scopes the submission", async () => {
    const queue = new JobQueue("queue", { executionMode: "PRIORITY", idleTimeoutS: 60 });
    const job = new Job(
      "train",
      {
        entrypoint: "python train.py",
        envVars: { PLAIN: "x", API_TOKEN: pulumi.secret("s3cr3t-value") },
        jobQueue: { queue, priority: 1 },
      },
      { customTimeouts: { create: "45m" } },
    );
    await settled(job.id);
    await settled(queue.id);
    const inputs = inputsOf("train");
    expect(inputs.entrypoint).toBe("python train.py");
    expect(inputs.jobQueue).toEqual({ priority: 1, targetJobQueueId: "jq_mock", targetJobQueueName: "gen-name", targetJobQueueExecutionMode: "PRIORITY" });
    expect(inputs.secretEnvVarNames).toEqual(["API_TOKEN"]);
    expect(inputs.timeouts).toEqual({ create: "45m" });
    expect(inputs.submissionScope).toBe("proj/dev/train");
    expect(registered.find((entry) => entry.name === "train")?.type).toBe("pulumi-nodejs:dynamic/anyscale:Job");
    expect(inputsOf("queue").submissionScope).toBe("proj/dev/queue");
  });

  it("takes a queue name as target_job_queue_name and refuses it twice", async () => {
    const job = new Job("named", { entrypoint: "x", jobQueue: { queue: "existing-queue" } });
    await settled(job.id);
    expect(inputsOf("named").jobQueue).toEqual({ targetJobQueueName: "existing-queue" });
    expect(() => new Job("twice", { entrypoint: "x", jobQueue: { queue: "a", targetJobQueueName: "b" } })).toThrow(/give the queue once/);
  });
});
