// The Ray sidecar process: a Python driver on the Ray venv that starts (or joins) the cluster, runs
// Serve and answers on 127.0.0.1. Its stdin is its lifeline: closing it (or the plane dying) makes it
// remove the plane's applications and, for a cluster it started, shut that cluster down.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { SIDECAR_SOURCE } from "./sidecar-source";

export interface SidecarOptions {
  python: string;
  /** Where the script and its log go. */
  workDir: string;
  /** Prefix of every Serve application this plane owns. */
  appPrefix: string;
  /** An existing cluster to join; else a local one is started. */
  address?: string;
  numCpus: number;
  servePort: number;
  tempDir: string;
  /** Extra environment (the cluster's auth token). */
  env: Record<string, string>;
  startTimeoutMs: number;
}

export interface SidecarInfo {
  gcsAddress: string;
  serveUrl: string;
  port: number;
}

/** One Serve application as the sidecar deploys it (Serve config shape; local package dirs in runtime_env). */
export type SidecarApp = Record<string, unknown> & { name: string; route_prefix: string };

export interface AppStatus {
  status: string;
  message: string;
}

export class RaySidecar {
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly info: SidecarInfo,
    readonly logFile: string,
  ) {}

  static async start(opts: SidecarOptions): Promise<RaySidecar> {
    fs.mkdirSync(opts.workDir, { recursive: true });
    const script = path.join(opts.workDir, "sidecar.py");
    fs.writeFileSync(script, SIDECAR_SOURCE);
    const logFile = path.join(opts.workDir, "sidecar.log");
    const log = fs.openSync(logFile, "a");
    const args = JSON.stringify({ appPrefix: opts.appPrefix, address: opts.address, numCpus: opts.numCpus, servePort: opts.servePort, tempDir: opts.tempDir });
    const child = spawn(opts.python, [script, args], {
      cwd: opts.workDir,
      env: { ...process.env, ...opts.env, PYTHONUNBUFFERED: "1", RAY_USAGE_STATS_ENABLED: "0" },
      stdio: ["pipe", "pipe", log],
    });
    fs.closeSync(log);
    try {
      const info = await readyLine(child, opts.startTimeoutMs, logFile);
      return new RaySidecar(child, info, logFile);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }

  /** Deploys the plane's whole set of applications; resolves with the sidecar's sync counter. */
  async putApps(apps: SidecarApp[]): Promise<number> {
    const body = await this.call("PUT", JSON.stringify(apps));
    return (body as { seq: number }).seq;
  }

  /** Status of the plane's applications, with the number of syncs done before it was read. */
  async status(): Promise<{ seq: number; apps: Record<string, AppStatus> }> {
    return (await this.call("GET")) as { seq: number; apps: Record<string, AppStatus> };
  }

  /** Ends the sidecar: stdin closes, it cleans up; after `graceMs` it is killed (by its pid only). */
  async stop(graceMs = 30_000): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Called once if the sidecar ends while the plane has not asked it to (a crash, an OOM kill). */
  onUnexpectedExit(listener: (reason: string) => void): void {
    this.child.once("exit", (code, signal) => {
      if (!this.stopping) listener(`the Ray sidecar exited (${signal ?? `code ${code}`}); see ${this.logFile}`);
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private async call(method: string, body?: string): Promise<unknown> {
    const response = await fetch(`http://127.0.0.1:${this.info.port}/`, { method, body, headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(120_000) });
    const answer = (await response.json()) as { error?: string };
    if (!response.ok) throw new Error(answer.error ?? `Ray sidecar answered HTTP ${response.status}`);
    return answer;
  }
}

function readyLine(child: ChildProcess, timeoutMs: number, logFile: string): Promise<SidecarInfo> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const tail = (): string => {
      try {
        return fs.readFileSync(logFile, "utf8").trim().split("\n").slice(-5).join("\n");
      } catch {
        return "";
      }
    };
    const timer = setTimeout(() => finish(new Error(`Ray did not start within ${Math.round(timeoutMs / 1000)}s (log: ${logFile})`)), timeoutMs);
    const finish = (result: Error | SidecarInfo): void => {
      clearTimeout(timer);
      lines.removeAllListeners("line");
      child.removeListener("exit", onExit);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onExit = (code: number | null): void => finish(new Error(`Ray sidecar exited (code ${code}) before it was ready:\n${tail()}`));
    child.once("exit", onExit);
    child.once("error", (error) => finish(new Error(`cannot run the Ray python: ${error.message}`)));
    lines.on("line", (line) => {
      let parsed: { ready?: SidecarInfo; failed?: string };
      try {
        parsed = JSON.parse(line);
      } catch {
        return; // something printed by Ray itself
      }
      if (parsed.ready) finish(parsed.ready);
      else if (parsed.failed) finish(new Error(`Ray could not start: ${parsed.failed}`));
    });
  });
}
