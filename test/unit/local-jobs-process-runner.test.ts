// The runner drives real bash processes; no clock assertions, only outcomes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ProcessRunner, type ProcessExit, type RunSpec } from "../../local/jobs/process-runner";

jest.setTimeout(20_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-"));
const runner = new ProcessRunner(200);

function run(command: string, extra: Partial<RunSpec> = {}): { exited: Promise<ProcessExit>; logFile: string; runId: string } {
  const runId = `run_${Math.random().toString(36).slice(2)}`;
  const logFile = path.join(dir, runId, "job.log");
  const exited = new Promise<ProcessExit>((resolve) => {
    runner.start({ runId, command, cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...extra.env }, logFile, ...extra }, resolve);
  });
  return { exited, logFile, runId };
}

afterAll(async () => {
  await runner.stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("stdout and stderr go to the run's log file; the exit code is reported", async () => {
  const r = run("echo out; echo err >&2; echo $FOO; exit 4", { env: { FOO: "bar", PATH: process.env.PATH! } });
  const exit = await r.exited;
  expect(exit).toMatchObject({ exitCode: 4, timedOut: false, killed: false });
  expect(fs.readFileSync(r.logFile, "utf8").split("\n")).toEqual(["out", "err", "bar", ""]);
  expect(runner.isRunning(r.runId)).toBe(false);
});

test("a timeout kills the run and says so", async () => {
  const r = run("echo begin; sleep 30", { timeoutMs: 300 });
  const exit = await r.exited;
  expect(exit.timedOut).toBe(true);
  expect(exit.exitCode === 0).toBe(false);
});

test("kill takes the whole process group, even a child ignoring SIGTERM", async () => {
  const pidFile = path.join(dir, "child.pid");
  const r = run(`bash -c 'trap "" TERM; sleep 30' & echo $! > ${pidFile}; wait`);
  for (let i = 0; i < 100 && !fs.existsSync(pidFile); i++) await new Promise((res) => setTimeout(res, 20));
  const childPid = Number(fs.readFileSync(pidFile, "utf8"));
  runner.kill(r.runId);
  const exit = await r.exited;
  expect(exit.killed).toBe(true);
  // The group gets SIGKILL after the grace period; poll (bounded) until the stubborn child is gone.
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    alive = isRunningProcess(childPid);
    if (alive) await new Promise((res) => setTimeout(res, 20));
  }
  expect(alive).toBe(false);
});

test("a missing working directory is reported as a spawn error, not a crash", async () => {
  const r = run("true", { cwd: path.join(dir, "does-not-exist") });
  const exit = await r.exited;
  expect(exit.spawnError).toBeTruthy();
});

/** A killed child may stay a zombie until reaped (PID 1 in containers may never reap): that counts as gone. */
function isRunningProcess(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
