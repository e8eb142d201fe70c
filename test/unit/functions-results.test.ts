import { readLogLines, displayLogLine } from "../../provider/functions/job-logs";
import { toJobStatus } from "../../provider/functions/job-results";
import { toServiceStatus } from "../../provider/functions/service-results";
import { toJobQueueStatus } from "../../provider/functions/job-queue-results";
import { redact } from "../../provider/core/redact";

describe("log selection over chunks", () => {
  const chunks = ["a1\na2\na3\n", "b1\nb2\n", "c1\nc2\nc3\n"];
  const fetcher = () => {
    const fetched: number[] = [];
    return { fetched, fetch: async (index: number) => (fetched.push(index), chunks[index]) };
  };

  test("TAIL reads chunks from the end, only as many as needed", async () => {
    const source = fetcher();
    expect(await readLogLines(3, source.fetch, { mode: "TAIL", maxLines: 4 })).toBe("b2\nc1\nc2\nc3\n");
    expect(source.fetched).toEqual([2, 1]);
  });

  test("HEAD reads chunks from the start", async () => {
    const source = fetcher();
    expect(await readLogLines(3, source.fetch, { mode: "HEAD", maxLines: 4 })).toBe("a1\na2\na3\nb1\n");
    expect(source.fetched).toEqual([0, 1]);
  });

  test("without maxLines everything, in order; no chunks is an empty string", async () => {
    expect(await readLogLines(3, fetcher().fetch, { mode: "TAIL" })).toBe("a1\na2\na3\nb1\nb2\nc1\nc2\nc3\n");
    expect(await readLogLines(0, fetcher().fetch, { mode: "HEAD" })).toBe("");
  });

  test("structured lines show their message; other text is untouched", () => {
    expect(displayLogLine('{"asctime": "T", "message": "hi"}')).toBe("T hi");
    expect(displayLogLine('{"message": "hi"}')).toBe("hi");
    expect(displayLogLine('{"level": "info"}')).toBe('{"level": "info"}');
    expect(displayLogLine("{not json")).toBe("{not json");
    expect(displayLogLine("[1, 2]")).toBe("[1, 2]");
  });
});

describe("results", () => {
  const version = { id: "ver_1", version: "v1", current_state: "RUNNING", weight: 100, current_weight: 37 };

  test("a service's query auth tokens are not returned, and are remembered for redaction", () => {
    const info = toServiceStatus({
      id: "svc_1",
      name: "api",
      project_id: "prj_1",
      current_state: "SOMETHING_NEW",
      auth_token: "qtok_abcdefghijkl",
      secondary_auth_token: "qtok_secondary_123",
      primary_version: version,
      versions: [version],
    } as never);
    expect(JSON.stringify(info)).not.toContain("qtok_");
    expect(info.queryAuthTokenEnabled).toBe(true);
    expect(info.state).toBe("UNKNOWN");
    expect(info.primaryVersion).toEqual({ id: "ver_1", name: "v1", state: "RUNNING", weight: 100 });
    expect(redact("token qtok_abcdefghijkl and qtok_secondary_123")).not.toContain("qtok_");
  });

  test("no token means bearer auth is off; absent fields are absent, not undefined", () => {
    const info = toServiceStatus({ id: "svc_2", name: "b", project_id: "p", current_state: "RUNNING", auth_token: null } as never);
    expect(info.queryAuthTokenEnabled).toBe(false);
    expect(Object.keys(info)).not.toContain("hostname");
    expect(info.versions).toEqual([]);
  });

  test("a job: SDK state mapping, runs, no runtime env", () => {
    const info = toJobStatus(
      {
        id: "prodjob_1",
        name: "nightly",
        state: { current_state: "OUT_OF_RETRIES", goal_state: "SUCCESS" },
        config: { entrypoint: "python main.py", max_retries: -1, runtime_env: { env_vars: { SECRET: "hunter2" } } },
        project: { name: "prj" },
      } as never,
      [{ id: "run_1", name: "raysubmit_1", status: "STOPPED" }],
    );
    expect(info.state).toBe("FAILED");
    expect(info.backendState).toBe("OUT_OF_RETRIES");
    expect(info.maxRetries).toBeUndefined();
    expect(info.projectName).toBe("prj");
    expect(info.runs).toEqual([{ id: "run_1", name: "raysubmit_1", state: "FAILED", backendStatus: "STOPPED" }]);
    expect(JSON.stringify(info)).not.toContain("hunter2");
  });

  test("a job queue", () => {
    expect(
      toJobQueueStatus({ id: "jq_1", name: "q", current_job_queue_state: "SEALED", execution_mode: "FIFO", max_concurrency: 2, idle_timeout_sec: 60, total_jobs: 3 } as never),
    ).toEqual({ id: "jq_1", name: "q", state: "SEALED", executionMode: "FIFO", maxConcurrency: 2, idleTimeoutS: 60, totalJobs: 3 });
  });
});
