// job.wait's `follow` and its other targets, for anyscale.Job against a real local plane: while a Job
// waits, the newest line of its log rides in the progress line (the native plugin's status), masked.
import { withProgress } from "../../provider/core/progress";
import { withLocalPlane } from "../helpers/local-plane";
import { checked, clearRequestLog, configureFor, requestLog, scope, type ProviderModule } from "./job-helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: ProviderModule = require("../../provider/job/dynamic");

jest.setTimeout(60_000);

const plane = withLocalPlane();

beforeAll(async () => {
  await configureFor(jobProvider, plane(), { pollIntervalMs: 20 });
});

async function createWithProgress(news: Record<string, unknown>): Promise<{ outs: Record<string, any>; lines: string[] }> {
  const inputs = await checked(jobProvider, news);
  const lines: string[] = [];
  const created = await withProgress((line) => lines.push(line), () => jobProvider.create(inputs));
  return { outs: created.outs!, lines };
}

const SECRET = "followed-secret-value-42";

describe("a waiting Job follows its log", () => {
  it("streams the newest log line into the progress line, with secrets masked, and ends with the log tail", async () => {
    const { outs, lines } = await createWithProgress({
      entrypoint: 'for i in 1 2 3 4 5 6 7 8 9 10; do echo "step-$i of the run, key=$API_SECRET"; sleep 0.25; done',
      envVars: { API_SECRET: SECRET },
      secretEnvVarNames: ["API_SECRET"],
      submissionScope: scope("follow"),
      maxRetries: 0,
      logLines: 2,
    });
    expect(outs.state).toBe("SUCCEEDED");
    const followed = lines.filter((line) => / · step-\d+ of the run/.test(line));
    expect(followed.length).toBeGreaterThanOrEqual(2);
    expect(followed[0]).toMatch(/^job is RUNNING · step-\d+ of the run, key=\[REDACTED\]$/);
    // newer lines replace older ones as the job prints them
    const steps = followed.map((line) => Number(/step-(\d+)/.exec(line)![1]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    for (const line of lines) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain(plane().token);
    }
    expect(outs.logTail).toMatch(/^step-9 of the run, key=.*\nstep-10 of the run, key=/);
    expect(outs.logTail).not.toContain(SECRET);
  });

  it("logLines: 0 reads no log while waiting", async () => {
    await clearRequestLog(plane());
    const { outs, lines } = await createWithProgress({
      entrypoint: "echo one; sleep 0.5; echo two",
      submissionScope: scope("no-follow"),
      maxRetries: 0,
      logLines: 0,
    });
    expect(outs.state).toBe("SUCCEEDED");
    expect(lines.some((line) => line.includes(" · "))).toBe(false);
    expect((await requestLog(plane())).filter((r) => r.path.includes("logs"))).toEqual([]);
  });
});

describe("waitFor: the SDK's job.wait targets", () => {
  it('"failed" is reached by a job that fails, and its outputs record it', async () => {
    const { outs } = await createWithProgress({ entrypoint: "echo going down; exit 3", submissionScope: scope("expect-failure"), maxRetries: 0, waitFor: "FAILED" });
    expect(outs).toMatchObject({ waitFor: "failed", state: "FAILED" });
  });

  it('"starting" returns once the job exists and starts, before it finishes', async () => {
    const { outs } = await createWithProgress({ entrypoint: "sleep 30", submissionScope: scope("expect-start"), maxRetries: 0, waitFor: "starting", timeoutS: 60 });
    expect(["STARTING", "RUNNING"]).toContain(outs.state);
    await jobProvider.delete(outs.jobId, outs);
  });

  it('"terminated" waiting on a job that succeeds fails, naming the target', async () => {
    const inputs = await checked(jobProvider, { entrypoint: "echo fine", submissionScope: scope("expect-termination"), maxRetries: 0, waitFor: "terminated" });
    const error = await jobProvider.create(inputs).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.message).toMatch(/ended SUCCEEDED \(SUCCESS\), so it will never be TERMINATED \(waitFor: "terminated"\)/);
  });
});
