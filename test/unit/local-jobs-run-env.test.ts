import { spawn } from "node:child_process";
import { isProcessOfRun } from "../../local/jobs/process-runner";
import { buildRunEnv, RUN_MARKER_VAR } from "../../local/jobs/run-env";

test("the run environment is built from scratch: no host secrets, user vars win, marker last", () => {
  const env = buildRunEnv({
    runId: "prodjobrun_1",
    jobId: "prodjob_1",
    hostEnv: { PATH: "/usr/bin", HOME: "/root", ANYSCALE_CLI_TOKEN: "sss_secret", AWS_SECRET_ACCESS_KEY: "x" },
    shimDir: "/data/job-runs/.bin",
    cwd: "/data/run/wd",
    pythonPath: ["/data/run/py_modules/0"],
    userEnv: { HOME: "/custom", GREETING: "hi", PYTHONPATH: "/extra", [RUN_MARKER_VAR]: "forged" },
  });
  expect(env.ANYSCALE_CLI_TOKEN).toBeUndefined();
  expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
  expect(env.PATH).toBe("/data/job-runs/.bin:/usr/bin");
  expect(env.HOME).toBe("/custom");
  expect(env.GREETING).toBe("hi");
  expect(env.PYTHONPATH).toBe("/data/run/wd:/data/run/py_modules/0:/extra");
  expect(env[RUN_MARKER_VAR]).toBe("prodjobrun_1");
});

test("a leftover process is recognised by its run marker, not by pid alone", async () => {
  const child = spawn("sleep", ["5"], { env: { PATH: process.env.PATH, [RUN_MARKER_VAR]: "prodjobrun_mine" }, stdio: "ignore" });
  try {
    expect(isProcessOfRun(child.pid!, "prodjobrun_mine", RUN_MARKER_VAR)).toBe(true);
    expect(isProcessOfRun(child.pid!, "prodjobrun_other", RUN_MARKER_VAR)).toBe(false);
    expect(isProcessOfRun(process.pid, "prodjobrun_mine", RUN_MARKER_VAR)).toBe(false);
  } finally {
    child.kill("SIGKILL");
  }
});
