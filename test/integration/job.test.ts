// anyscale.Job against a real local control plane over real HTTP: jobs really run there.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, withLocalPlane } from "../helpers/local-plane";
import { checked, clearRequestLog, configureFor, requestLog, scope, tempFile, thrown, type ProviderModule } from "./job-helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: ProviderModule = require("../../provider/job/dynamic");

jest.setTimeout(60_000);

const plane = withLocalPlane();

beforeAll(async () => {
  await configureFor(jobProvider, plane());
});

async function submit(news: Record<string, unknown>) {
  const inputs = await checked(jobProvider, news);
  const created = await jobProvider.create(inputs);
  return { inputs, id: created.id, outs: created.outs! };
}

async function liveJob(id: string) {
  return (await api(plane()).get(`/api/v2/decorated_ha_jobs/${id}`)).body.result;
}

async function liveTags(id: string): Promise<Record<string, string>> {
  const body = (await api(plane()).get(`/api/v2/tags/resource?resource_type=job&resource_id=${id}`)).body;
  return Object.fromEntries(body.result.tags.map((tag: { key: string; value: string }) => [tag.key, tag.value]));
}

function expectNoToken(value: unknown): void {
  expect(JSON.stringify(value)).not.toContain(plane().token);
}

describe("anyscale.Job on the local control plane", () => {
  it("runs a job to success with its outputs and the tail of its log", async () => {
    const { id, outs } = await submit({
      entrypoint: "for i in 1 2 3 4 5; do echo line-$i; done",
      submissionScope: scope("hello"),
      logLines: 3,
      tags: { team: "ml" },
      maxRetries: 0,
    });
    expect(id).toMatch(/^prodjob_/);
    expect(outs).toMatchObject({
      name: "hello",
      state: "SUCCEEDED",
      backendState: "SUCCESS",
      lastRunId: expect.any(String),
      creator: expect.stringContaining("@"),
      creatorId: expect.any(String),
      createdAt: expect.any(String),
      logTail: "line-3\nline-4\nline-5",
      tags: { team: "ml" },
    });
    expect(outs.runs).toEqual([{ id: expect.any(String), name: expect.any(String), state: "SUCCEEDED" }]);
    expect(outs.__provider).toBeUndefined();
    expectNoToken(outs);
    // the user's tags plus the provider's submission key, applied at submission
    expect(await liveTags(id)).toEqual({ team: "ml", "pulumi-anyscale/submission-key": outs.submissionKey });
  });

  it("uploads a local working directory and runs the code in it", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "job-workdir-")), "app");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "main.py"), "import os\nprint('from the working dir, MODE=' + os.environ['MODE'])\n");
    const { outs } = await submit({ entrypoint: "python main.py", workingDir: dir, envVars: { MODE: "batch" }, submissionScope: scope("with-code"), maxRetries: 0 });
    expect(outs.logTail).toBe("from the working dir, MODE=batch");
    expect(outs.sourceHash).toEqual(expect.any(String));
    // an edit under the same path is a new run: preview shows a replacement
    fs.writeFileSync(path.join(dir, "main.py"), "print('changed')\n");
    const news = await checked(jobProvider, { entrypoint: "python main.py", workingDir: dir, envVars: { MODE: "batch" }, submissionScope: outs.submissionScope as string, maxRetries: 0 });
    expect((await jobProvider.diff(String(outs.jobId), outs, news)).replaces).toEqual(["sourceHash"]);
  });

  it("keeps JSON-lines logs as the text they are", async () => {
    const { outs } = await submit({
      entrypoint: `echo '{"message": "structured", "level": "INFO"}'; echo '{"step": 2}'`,
      submissionScope: scope("json-logs"),
      maxRetries: 0,
    });
    expect(outs.logTail).toBe('{"message": "structured", "level": "INFO"}\n{"step": 2}');
  });

  it("fails a FAILED job with the platform's error and the tail of its log, recording the job", async () => {
    const error = await thrown(submit({ entrypoint: "echo about-to-fail; exit 3", maxRetries: 0, submissionScope: scope("failing") }));
    expect(error.id).toMatch(/^prodjob_/);
    expect(error.message).toMatch(/failed/);
    expect(error.message).toMatch(/exited with code 3/);
    expect(error.message).toContain("about-to-fail");
    expect(error.properties).toMatchObject({ state: "FAILED", backendState: "OUT_OF_RETRIES", __provider: "test-provider" });
    expectNoToken(error.message);
    expectNoToken(error.properties);
  });

  it("keeps a secret the user gave out of the error and masks it in the log output", async () => {
    const error = await thrown(
      submit({
        entrypoint: 'echo "connecting with $SERVICE_PASSWORD"; exit 1',
        envVars: { SERVICE_PASSWORD: "hunter2-very-secret" },
        maxRetries: 0,
        submissionScope: scope("leaky"),
      }),
    );
    expect(error.message).not.toContain("hunter2-very-secret");
    expect(error.message).toMatch(/log is left out of this message because it contains a secret/);
    expect(error.properties?.logTail).toBe("connecting with [REDACTED]");
  });

  it("retries a failed run up to maxRetries", async () => {
    const marker = tempFile("job-retry-");
    const { outs } = await submit({
      entrypoint: `if [ -f ${marker} ]; then echo second-try-ok; else touch ${marker}; echo first-try-fails; exit 1; fi`,
      maxRetries: 1,
      submissionScope: scope("retrying"),
    });
    expect(outs.state).toBe("SUCCEEDED");
    expect((outs.runs as Array<{ state: string }>).map((run) => run.state)).toEqual(["FAILED", "SUCCEEDED"]);
    expect(outs.logTail).toContain("second-try-ok");
  });

  it("fails a run that exceeds timeoutS", async () => {
    const error = await thrown(submit({ entrypoint: "sleep 30", timeoutS: 1, maxRetries: 0, submissionScope: scope("too-slow") }));
    expect(error.properties).toMatchObject({ state: "FAILED" });
    expect(error.message).toMatch(/timeout_s=1/);
  });

  it("never submits twice for one resource: a create retried after a crash finds the first job", async () => {
    const news = { entrypoint: "echo once", submissionScope: scope("idempotent"), maxRetries: 0 };
    await clearRequestLog(plane());
    const first = await submit(news);
    // The engine lost the answer (crash) and runs create again with the same inputs.
    const second = await submit(news);
    expect(second.id).toBe(first.id);
    const submissions = (await requestLog(plane())).filter((entry) => entry.method === "POST" && entry.path === "/api/v2/decorated_ha_jobs/create");
    expect(submissions).toHaveLength(1);
  });

  it("settles a lost submit answer by looking the job up, then submits exactly once", async () => {
    const news = { entrypoint: "echo after-a-fault", submissionScope: scope("faulted"), maxRetries: 0 };
    await api(plane()).post("/_local/faults", { kinds: ["503", "reset"], pathPrefix: "/api/v2/decorated_ha_jobs/create", method: "POST", limit: 2 });
    try {
      const { outs } = await submit(news);
      expect(outs.state).toBe("SUCCEEDED");
    } finally {
      await api(plane()).del("/_local/faults");
    }
    const jobs = (await api(plane()).get("/api/v2/decorated_ha_jobs/?name=faulted&archive_status=ALL")).body.results;
    expect(jobs.filter((job: { name: string }) => job.name === "faulted")).toHaveLength(1);
  });

  it("replaces on a triggers change (a new submission) and archives the old job on delete", async () => {
    const jobScope = scope("nightly");
    const first = await submit({ entrypoint: "echo run", triggers: ["v1"], submissionScope: jobScope, maxRetries: 0 });
    const news = await checked(jobProvider, { entrypoint: "echo run", triggers: ["v2"], submissionScope: jobScope, maxRetries: 0 }, first.inputs);
    const plan = await jobProvider.diff(first.id, first.outs, news);
    expect(plan).toMatchObject({ changes: true, replaces: ["triggers"] });
    // create-before-delete: the replacement is a new job, then the old one goes
    const replacement = await jobProvider.create(news);
    expect(replacement.id).not.toBe(first.id);
    await jobProvider.delete(first.id, first.outs);
    expect((await liveJob(first.id)).archived_at).toEqual(expect.any(String));
    expect((await liveJob(replacement.id)).archived_at).toBeNull();
  });

  it("changes only tags in place through the tags API", async () => {
    const created = await submit({ entrypoint: "echo tagged", tags: { team: "ml", env: "dev" }, submissionScope: scope("tagged"), maxRetries: 0 });
    const news = await checked(jobProvider, { entrypoint: "echo tagged", tags: { team: "infra" }, submissionScope: created.inputs.submissionScope as string, maxRetries: 0 }, created.inputs);
    const plan = await jobProvider.diff(created.id, created.outs, news);
    expect(plan).toMatchObject({ changes: true, replaces: [] });
    await clearRequestLog(plane());
    const updated = await jobProvider.update(created.id, created.outs, news);
    expect(updated.outs).toMatchObject({ tags: { team: "infra" }, state: "SUCCEEDED" });
    expect(await liveTags(created.id)).toEqual({ team: "infra", "pulumi-anyscale/submission-key": created.outs.submissionKey });
    const calls = await requestLog(plane());
    expect(calls.some((entry) => entry.path === "/api/v2/decorated_ha_jobs/create")).toBe(false);
    expect(calls.some((entry) => entry.method === "PUT" && entry.path === "/api/v2/tags/resource")).toBe(true);
  });

  it("terminates a running job before archiving it on delete", async () => {
    const { id, outs } = await submit({ entrypoint: "echo started; sleep 60", waitFor: "running", submissionScope: scope("long"), maxRetries: 0 });
    expect(outs.state).toBe("RUNNING");
    await jobProvider.delete(id, outs);
    const job = await liveJob(id);
    expect(job.state.current_state).toBe("TERMINATED");
    expect(job.archived_at).toEqual(expect.any(String));
  });

  it("deletes a finished job for deletionPolicy delete, and leaves it for keep", async () => {
    const deleted = await submit({ entrypoint: "echo bye", deletionPolicy: "delete", submissionScope: scope("deleted"), maxRetries: 0 });
    await jobProvider.delete(deleted.id, deleted.outs);
    expect((await api(plane()).get(`/api/v2/decorated_ha_jobs/${deleted.id}`)).status).toBe(404);

    const kept = await submit({ entrypoint: "echo stay", deletionPolicy: "keep", submissionScope: scope("kept"), maxRetries: 0 });
    await jobProvider.delete(kept.id, kept.outs);
    expect((await liveJob(kept.id)).archived_at).toBeNull();
    // its submission key is released: the same resource, created again, submits a new job
    expect(await liveTags(kept.id)).toEqual({});
    const again = await submit(kept.inputs);
    expect(again.id).not.toBe(kept.id);
  });

  it("stops waiting at the wait timeout, records the job and leaves it running", async () => {
    const error = await thrown(submit({ entrypoint: "sleep 60", timeouts: { create: "1s" }, submissionScope: scope("waited"), maxRetries: 0 }));
    expect(error.id).toMatch(/^prodjob_/);
    expect(error.message).toMatch(/Timed out after 1s/);
    expect(error.message).toMatch(/not terminated/);
    expect((await liveJob(error.id!)).state.current_state).toBe("RUNNING");
    await jobProvider.delete(error.id!, error.properties!);
    expect((await liveJob(error.id!)).state.current_state).toBe("TERMINATED");
  });

  it("refreshes state, runs and tags, and disappears when the job is gone", async () => {
    const created = await submit({ entrypoint: "echo refresh", tags: { a: "1" }, deletionPolicy: "delete", submissionScope: scope("refreshed"), maxRetries: 0 });
    await api(plane()).put("/api/v2/tags/resource", { resource_type: "job", resource_id: created.id, tags: { b: "2" } });
    const read = await jobProvider.read(created.id, created.outs);
    expect(read.inputs).toMatchObject({ entrypoint: "echo refresh", tags: { a: "1", b: "2" } });
    expect(read.props).toMatchObject({ state: "SUCCEEDED", logTail: "refresh" });
    await jobProvider.delete(created.id, created.outs);
    expect(await jobProvider.read(created.id, created.outs)).toEqual({});
  });

  it("reads an existing job it did not create (Job.get)", async () => {
    const created = await submit({ entrypoint: "echo adopted", envVars: { MODE: "x" }, maxRetries: 2, submissionScope: scope("other") });
    const read = await jobProvider.read(created.id, { __provider: "test-provider" });
    expect(read.props).toMatchObject({ name: "other", entrypoint: "echo adopted", maxRetries: 2, envVars: { MODE: "x" }, state: "SUCCEEDED" });
  });

  it("rejects bad input at check without calling the API", async () => {
    await clearRequestLog(plane());
    const result = await jobProvider.check({}, { maxRetries: -1, jobQueue: { targetJobQueueName: "q", jobQueueSpec: { idleTimeoutS: 10 } } });
    expect(result.failures?.map((failure) => failure.property).sort()).toEqual(["entrypoint", "jobQueue.targetJobQueueName", "maxRetries"]);
    expect(await requestLog(plane())).toEqual([]);
  });
});
