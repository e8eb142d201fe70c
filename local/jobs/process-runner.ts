// Runs job entrypoints as real local processes: `bash -c <entrypoint>` in its own process group,
// stdout+stderr appended to one log file, with a per-run timeout and group-wide termination.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface RunSpec {
  runId: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  /** Kill the run after this long; undefined or 0 means no limit. */
  timeoutMs?: number;
}

export interface ProcessExit {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** kill() was called for this run. */
  killed: boolean;
  spawnError?: string;
}

interface LiveRun {
  pid: number;
  timedOut: boolean;
  killed: boolean;
  timeoutTimer?: NodeJS.Timeout;
  killTimer?: NodeJS.Timeout;
  exited: Promise<void>;
}

/** Grace period between SIGTERM and SIGKILL, as a cluster would give a stopping job. */
export const DEFAULT_KILL_GRACE_MS = 2000;

export class ProcessRunner {
  private readonly live = new Map<string, LiveRun>();

  constructor(private readonly killGraceMs = DEFAULT_KILL_GRACE_MS) {}

  /** Starts the run; onExit is called exactly once. Returns the process group id, or undefined if spawn failed. */
  start(spec: RunSpec, onExit: (exit: ProcessExit) => void): number | undefined {
    fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
    const logFd = fs.openSync(spec.logFile, "a");
    let child;
    try {
      // detached: the child leads a new process group, so the whole tree can be signalled at once.
      child = spawn("bash", ["-c", spec.command], { cwd: spec.cwd, env: spec.env, detached: true, stdio: ["ignore", logFd, logFd] });
    } catch (err) {
      fs.closeSync(logFd);
      queueMicrotask(() => onExit({ exitCode: null, signal: null, timedOut: false, killed: false, spawnError: (err as Error).message }));
      return undefined;
    }
    fs.closeSync(logFd);
    const pid = child.pid;
    let resolveExited!: () => void;
    const exited = new Promise<void>((r) => (resolveExited = r));
    const run: LiveRun = { pid: pid ?? -1, timedOut: false, killed: false, exited };
    let finished = false;
    const finish = (exit: ProcessExit) => {
      if (finished) return;
      finished = true;
      clearTimeout(run.timeoutTimer);
      clearTimeout(run.killTimer);
      // Whatever the entrypoint left behind in its group goes with it, as when a cluster stops.
      if (pid !== undefined) signalGroup(pid, "SIGKILL");
      this.live.delete(spec.runId);
      resolveExited();
      onExit(exit);
    };
    child.on("error", (err) => finish({ exitCode: null, signal: null, timedOut: false, killed: run.killed, spawnError: err.message }));
    child.on("exit", (code, signal) => finish({ exitCode: code, signal, timedOut: run.timedOut, killed: run.killed }));
    if (pid === undefined) return undefined;
    this.live.set(spec.runId, run);
    if (spec.timeoutMs && spec.timeoutMs > 0) {
      run.timeoutTimer = setTimeout(() => {
        run.timedOut = true;
        this.terminateGroup(run);
      }, spec.timeoutMs);
    }
    return pid;
  }

  /** SIGTERM the run's process group, SIGKILL after the grace period. No-op if it is not running. */
  kill(runId: string): void {
    const run = this.live.get(runId);
    if (!run) return;
    run.killed = true;
    this.terminateGroup(run);
  }

  isRunning(runId: string): boolean {
    return this.live.has(runId);
  }

  /** Kills every run and waits for them to exit (used when the control plane stops). */
  async stopAll(): Promise<void> {
    const runs = [...this.live.values()];
    for (const run of runs) {
      run.killed = true;
      signalGroup(run.pid, "SIGKILL");
    }
    await Promise.all(runs.map((r) => r.exited));
  }

  private terminateGroup(run: LiveRun): void {
    signalGroup(run.pid, "SIGTERM");
    clearTimeout(run.killTimer);
    run.killTimer = setTimeout(() => signalGroup(run.pid, "SIGKILL"), this.killGraceMs);
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/**
 * After a restart: true if `pid` is still a process started for `runId` (its environment carries the
 * run marker), so a leftover group can be killed without hitting a recycled pid.
 */
export function isProcessOfRun(pid: number, runId: string, markerVar: string): boolean {
  try {
    const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8");
    return environ.split("\0").includes(`${markerVar}=${runId}`);
  } catch {
    return false;
  }
}
