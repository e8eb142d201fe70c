// anyscale.JobQueue, and jobs scheduled through it, against a real local control plane: the queue's
// execution mode, max_concurrency and termination are proven through the resources.
import * as fs from "node:fs";
import { api, withLocalPlane } from "../helpers/local-plane";
import { checked, configureFor, scope, tempFile, thrown, type ProviderModule } from "./job-helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const queueProvider: ProviderModule = require("../../provider/jobqueue/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: ProviderModule = require("../../provider/job/dynamic");

jest.setTimeout(90_000);

const plane = withLocalPlane();

beforeAll(async () => {
  await configureFor(queueProvider, plane());
  await configureFor(jobProvider, plane());
});

async function createQueue(news: Record<string, unknown>) {
  const inputs = await checked(queueProvider, news);
  const created = await queueProvider.create(inputs);
  return { inputs, id: created.id, outs: created.outs! };
}

/** A job on the queue, the way the Job class passes a JobQueue object. */
async function submitToQueue(queue: { id: string; outs: Record<string, unknown> }, news: Record<string, unknown>) {
  const inputs = await checked(jobProvider, {
    maxRetries: 0,
    ...news,
    jobQueue: {
      targetJobQueueId: queue.id,
      targetJobQueueName: queue.outs.name,
      targetJobQueueExecutionMode: queue.outs.executionMode,
      ...(news.jobQueue as object),
    },
  });
  const created = await jobProvider.create(inputs);
  return { inputs, id: created.id, outs: created.outs! };
}

async function liveQueue(id: string) {
  return (await api(plane()).get(`/api/v2/job_queues/${id}`)).body.result;
}

async function waitForJobs(ids: string[]) {
  const { waitUntil } = await import("../helpers/local-plane");
  await waitUntil(
    async () => {
      const states = await Promise.all(ids.map(async (id) => (await api(plane()).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result.state.current_state));
      return states.every((state) => ["SUCCESS", "OUT_OF_RETRIES", "TERMINATED", "BROKEN"].includes(state));
    },
    { timeoutMs: 60_000, intervalMs: 100, what: "queued jobs to finish" },
  );
}

describe("anyscale.JobQueue on the local control plane", () => {
  it("creates a real queue, updates concurrency and idle timeout in place, and archives it on delete", async () => {
    const queue = await createQueue({ executionMode: "fifo", maxConcurrency: 1, idleTimeoutS: 60, tags: { team: "ml" }, submissionScope: scope("batch") });
    expect(queue.id).toMatch(/^jq_|queue/);
    expect(queue.outs).toMatchObject({
      name: expect.stringMatching(/^batch-[0-9a-f]{7}$/),
      generatedName: true,
      executionMode: "FIFO",
      state: "ACTIVE",
      totalJobs: 0,
      activeJobs: 0,
      successfulJobs: 0,
      failedJobs: 0,
    });
    const news = await checked(queueProvider, { executionMode: "FIFO", maxConcurrency: 4, idleTimeoutS: 120, tags: { team: "infra" }, submissionScope: queue.inputs.submissionScope }, queue.inputs);
    const plan = await queueProvider.diff(queue.id, queue.outs, news);
    expect(plan).toMatchObject({ changes: true, replaces: [] });
    const updated = await queueProvider.update(queue.id, queue.outs, news);
    expect(updated.outs).toMatchObject({ maxConcurrency: 4, idleTimeoutS: 120, name: queue.outs.name, tags: { team: "infra" } });
    expect(await liveQueue(queue.id)).toMatchObject({ max_concurrency: 4, idle_timeout_sec: 120 });

    const replacing = await checked(queueProvider, { executionMode: "PRIORITY", idleTimeoutS: 120, submissionScope: queue.inputs.submissionScope }, news);
    expect((await queueProvider.diff(queue.id, updated.outs!, replacing)).replaces).toEqual(["executionMode"]);

    await queueProvider.delete(queue.id, updated.outs!);
    expect((await liveQueue(queue.id)).current_job_queue_state).toBe("SEALED");
  });

  it("reads an existing queue it did not create (JobQueue.get), and refreshes drift", async () => {
    const queue = await createQueue({ name: `seen-${process.pid}`, executionMode: "LIFO", maxConcurrency: 2, idleTimeoutS: 45, submissionScope: scope("seen") });
    const got = await queueProvider.read(queue.id, { __provider: "test-provider" });
    expect(got.props).toMatchObject({ name: `seen-${process.pid}`, executionMode: "LIFO", maxConcurrency: 2, idleTimeoutS: 45, state: "ACTIVE", generatedName: false });
    // someone resizes the queue outside Pulumi: refresh reports it, so the next up sets it back in place
    await api(plane()).put(`/api/v2/job_queues/${queue.id}`, { max_concurrency: 7 });
    const refreshed = await queueProvider.read(queue.id, queue.outs);
    expect(refreshed.inputs).toMatchObject({ maxConcurrency: 7, name: `seen-${process.pid}` });
    const plan = await queueProvider.diff(queue.id, refreshed.props!, queue.inputs);
    expect(plan).toMatchObject({ changes: true, replaces: [] });
  });

  it("adopts its own queue when a create is retried, and refuses a name taken by someone else", async () => {
    const news = { name: `shared-${process.pid}`, idleTimeoutS: 30, deletionPolicy: "delete", submissionScope: scope("named") };
    const first = await createQueue(news);
    // A retry of the same create (the pending operation's inputs, nonce included) takes its queue back.
    const retried = await queueProvider.create(first.inputs);
    expect(retried.id).toBe(first.id);
    const error = await thrown(createQueue({ ...news, submissionScope: scope("intruder") }));
    expect(error.message).toMatch(/name: a job queue named 'shared-\d+' already exists/);
    // The same names in another backend (a fresh check: its own nonce) are someone else too.
    const twin = await thrown(createQueue(news));
    expect(twin.message).toMatch(/name: a job queue named 'shared-\d+' already exists/);
    await queueProvider.delete(first.id, first.outs);
    expect((await api(plane()).get(`/api/v2/job_queues/${first.id}`)).status).toBe(404);
  });

  it("runs three jobs on a PRIORITY queue in priority order", async () => {
    const queue = await createQueue({ executionMode: "PRIORITY", maxConcurrency: 1, idleTimeoutS: 30, submissionScope: scope("ranked") });
    const order = tempFile("job-order-");
    // A first job holds the only slot until the others are queued behind it, however slow the machine.
    const release = tempFile("job-release-");
    const blocker = await submitToQueue(queue, {
      entrypoint: `${holdUntil(release)}; echo blocker >> ${order}`,
      waitFor: "running",
      jobQueue: { priority: 0 },
      submissionScope: scope("blocker"),
    });
    const queued = [];
    for (const [label, priority] of [["low", 9], ["high", 1], ["mid", 5]] as const) {
      queued.push(await submitToQueue(queue, { entrypoint: `echo ${label} >> ${order}`, waitFor: "submitted", jobQueue: { priority }, submissionScope: scope(label) }));
    }
    fs.writeFileSync(release, "go");
    await waitForJobs([blocker.id, ...queued.map((job) => job.id)]);
    expect(fs.readFileSync(order, "utf8").trim().split("\n")).toEqual(["blocker", "high", "mid", "low"]);
    const read = await queueProvider.read(queue.id, queue.outs);
    expect(read.props).toMatchObject({ totalJobs: 4, successfulJobs: 4, activeJobs: 0, failedJobs: 0 });
  });

  it("runs jobs FIFO and LIFO in their modes' order", async () => {
    for (const [mode, expected] of [["FIFO", ["first", "second", "third"]], ["LIFO", ["third", "second", "first"]]] as const) {
      const queue = await createQueue({ executionMode: mode, maxConcurrency: 1, idleTimeoutS: 30, submissionScope: scope(`ordered-${mode}`) });
      const order = tempFile("job-mode-");
      const release = tempFile("job-release-");
      const blocker = await submitToQueue(queue, { entrypoint: holdUntil(release), waitFor: "running", submissionScope: scope(`hold-${mode}`) });
      const ids = [blocker.id];
      for (const label of ["first", "second", "third"]) {
        ids.push((await submitToQueue(queue, { entrypoint: `echo ${label} >> ${order}`, waitFor: "submitted", submissionScope: scope(`${label}-${mode}`) })).id);
      }
      fs.writeFileSync(release, "go");
      await waitForJobs(ids);
      expect(fs.readFileSync(order, "utf8").trim().split("\n")).toEqual(expected);
    }
  });

  it("never runs more than maxConcurrency jobs at once", async () => {
    const queue = await createQueue({ executionMode: "FIFO", maxConcurrency: 2, idleTimeoutS: 30, submissionScope: scope("pair") });
    const trace = tempFile("job-concurrency-");
    const ids = [];
    for (const label of ["a", "b", "c", "d"]) {
      const entrypoint = `echo start >> ${trace}; sleep 0.8; echo end >> ${trace}`;
      ids.push((await submitToQueue(queue, { entrypoint, waitFor: "submitted", submissionScope: scope(`slot-${label}`) })).id);
    }
    await waitForJobs(ids);
    let running = 0;
    let peak = 0;
    for (const event of fs.readFileSync(trace, "utf8").trim().split("\n")) {
      running += event === "start" ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).toBe(2);
  });

  it("rejects a priority for a job on a non-PRIORITY queue at check", async () => {
    const queue = await createQueue({ executionMode: "LIFO", idleTimeoutS: 30, submissionScope: scope("no-priorities") });
    const result = await jobProvider.check({}, {
      entrypoint: "echo x",
      jobQueue: { targetJobQueueId: queue.id, targetJobQueueExecutionMode: queue.outs.executionMode, priority: 2 },
    });
    expect(result.failures).toEqual([{ property: "jobQueue.priority", reason: expect.stringMatching(/execution mode is LIFO/) }]);
  });

  it("terminates the queue's running jobs on delete", async () => {
    const queue = await createQueue({ executionMode: "FIFO", maxConcurrency: 1, idleTimeoutS: 30, submissionScope: scope("doomed") });
    const running = await submitToQueue(queue, { entrypoint: "sleep 60", waitFor: "running", submissionScope: scope("victim") });
    const waiting = await submitToQueue(queue, { entrypoint: "echo never", waitFor: "submitted", submissionScope: scope("never") });
    await queueProvider.delete(queue.id, queue.outs);
    for (const id of [running.id, waiting.id]) {
      expect((await api(plane()).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result.state.current_state).toBe("TERMINATED");
    }
    expect((await liveQueue(queue.id)).current_job_queue_state).toBe("SEALED");
  });

  it("creates a queue through a job's inline job queue spec", async () => {
    const name = `inline-${process.pid}`;
    const inputs = await checked(jobProvider, {
      entrypoint: "echo inline",
      maxRetries: 0,
      jobQueue: { jobQueueSpec: { name, executionMode: "PRIORITY", maxConcurrency: 2, idleTimeoutS: 30 }, priority: 3 },
      submissionScope: scope("inline"),
    });
    const created = await jobProvider.create(inputs);
    expect(created.outs).toMatchObject({ state: "SUCCEEDED", jobQueueId: expect.any(String) });
    expect(await liveQueue(created.outs!.jobQueueId as string)).toMatchObject({ name, execution_mode: "PRIORITY", max_concurrency: 2 });
  });
});

/** A shell entrypoint that keeps its queue slot until the test writes to `file` (bounded to 60 s). */
function holdUntil(file: string): string {
  return `for i in $(seq 600); do [ -s ${file} ] && break; sleep 0.1; done`;
}
