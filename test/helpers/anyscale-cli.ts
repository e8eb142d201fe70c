import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as readline from "node:readline";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// Runs the official `anyscale` CLI (pinned in a venv by scripts/setup-python.sh) against a local
// control plane. The environment is built from scratch so the CLI never prompts, never reads the
// developer's ~/.anyscale credentials and never reaches the internet.

export const PINNED_ANYSCALE_VERSION = "0.26.112";

export interface AnyscaleVenv {
  dir: string;
  python: string;
  cli: string;
}

/** Where scripts/setup-python.sh puts the venv (it also prints ANYSCALE_VENV=..., which the test command exports). */
export function anyscaleVenv(): AnyscaleVenv {
  const cacheDir = process.env.PULUMI_ANYSCALE_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-anyscale");
  const dir = process.env.ANYSCALE_VENV ?? path.join(cacheDir, "venv-anyscale");
  return { dir, python: path.join(dir, "bin", "python"), cli: path.join(dir, "bin", "anyscale") };
}

/** Throws a message that says how to fix it when the venv is missing, so contract tests fail loudly rather than skip. */
export function requireAnyscaleVenv(): AnyscaleVenv {
  const venv = anyscaleVenv();
  if (!fs.existsSync(venv.cli) || !fs.existsSync(venv.python)) {
    throw new Error(
      `The official anyscale CLI venv is missing at ${venv.dir}. Run scripts/setup-python.sh ` +
        `(it installs anyscale==${PINNED_ANYSCALE_VERSION}; the test command runs it).`,
    );
  }
  return venv;
}

export interface PlaneAddress {
  url: string;
  token: string;
}

export interface CliRunOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface CliResult {
  code: number | null;
  /** ANSI colour codes removed. */
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const ANSI_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, "");
}

/** A HOME of its own, so no credentials file or CLI config of the machine is read. */
let isolatedHome: string | undefined;
function cliHome(): string {
  isolatedHome ??= fs.mkdtempSync(path.join(os.tmpdir(), "anyscale-cli-home-"));
  return isolatedHome;
}

export function cliEnvironment(plane: PlaneAddress, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: cliHome(),
    LANG: "C.UTF-8",
    ANYSCALE_HOST: plane.url,
    ANYSCALE_CLI_TOKEN: plane.token,
    // Skips the PyPI "newer version available" request made by every command.
    ANYSCALE_SUPPRESS_UPGRADE_WARNING: "1",
    // Skips the best-effort POST /api/v2/cli_usage/ after every command.
    ANYSCALE_TELEMETRY_SAMPLE_RATE: "0",
    // Plain, wide, unbuffered output that is easy to assert on.
    NO_COLOR: "1",
    TERM: "dumb",
    COLUMNS: "250",
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONWARNINGS: "ignore",
    NO_PROXY: "127.0.0.1,localhost",
    ...extra,
  };
}

function runProcess(command: string, args: string[], env: Record<string, string>, opts: CliRunOptions): Promise<CliResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: stripAnsi(Buffer.concat(out).toString("utf8")),
        stderr: stripAnsi(Buffer.concat(err).toString("utf8")),
        timedOut,
      });
    });
  });
}

/** `anyscale <args>` against the plane. Never interactive: stdin is closed and stdout is a pipe. */
export function runAnyscaleCli(plane: PlaneAddress, args: string[], opts: CliRunOptions = {}): Promise<CliResult> {
  const venv = requireAnyscaleVenv();
  return runProcess(venv.cli, args, cliEnvironment(plane, opts.env), opts);
}

/** Runs a Python snippet in the venv (the official SDK: `import anyscale`) against the plane. */
export function runAnyscalePython(plane: PlaneAddress, script: string, opts: CliRunOptions = {}): Promise<CliResult> {
  const venv = requireAnyscaleVenv();
  return runProcess(venv.python, ["-c", script], cliEnvironment(plane, opts.env), opts);
}

/** Describes a CLI run for assertion messages (output is local-plane data, no real secrets). */
export function describeRun(args: string[], result: CliResult): string {
  return `anyscale ${args.join(" ")} -> exit ${result.code}${result.timedOut ? " (timed out)" : ""}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

export interface CliSession {
  /** Same contract as runAnyscaleCli, but without paying Python start-up for every command. */
  run(args: string[], opts?: { cwd?: string; timeoutMs?: number }): Promise<CliResult>;
  close(): Promise<void>;
}

const SESSION_DRIVER = path.join(__dirname, "anyscale-cli-session.py");

/**
 * One long-lived Python process running CLI commands through the CLI's own click entry point.
 * Its SDK caches (default cloud/project ids, terminal builds) live across commands, as in any
 * long-running SDK user; use runAnyscaleCli when a test needs a cold process's exact request sequence.
 */
export async function openCliSession(plane: PlaneAddress, extraEnv: Record<string, string> = {}): Promise<CliSession> {
  const venv = requireAnyscaleVenv();
  const child: ChildProcessWithoutNullStreams = spawn(venv.python, [SESSION_DRIVER], {
    env: cliEnvironment(plane, extraEnv),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const driverErrors: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => driverErrors.push(chunk.toString("utf8")));
  const lines = readline.createInterface({ input: child.stdout });
  const pending: Array<(line: string | undefined) => void> = [];
  lines.on("line", (line) => pending.shift()?.(line));
  child.on("close", () => {
    while (pending.length) pending.shift()?.(undefined);
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const nextLine = (timeoutMs: number, what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      if (exited()) {
        reject(new Error(`anyscale CLI session is no longer running (before ${what}): ${driverErrors.join("")}`));
        return;
      }
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`anyscale CLI session: no answer to ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.push((line) => {
        clearTimeout(timer);
        if (line === undefined) reject(new Error(`anyscale CLI session ended during ${what}: ${driverErrors.join("")}`));
        else resolve(line);
      });
    });

  await nextLine(120_000, "start-up");
  let queue: Promise<unknown> = Promise.resolve();
  const run = (args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> => {
    const result = queue.then(async () => {
      const answer = nextLine(opts.timeoutMs ?? 60_000, `anyscale ${args.join(" ")}`);
      child.stdin.write(JSON.stringify({ args, cwd: opts.cwd }) + "\n");
      const parsed = JSON.parse(await answer) as { code: number; stdout: string; stderr: string };
      return { code: parsed.code, stdout: stripAnsi(parsed.stdout), stderr: stripAnsi(parsed.stderr), timedOut: false };
    });
    queue = result.catch(() => undefined);
    return result;
  };
  const close = async (): Promise<void> => {
    if (exited()) return;
    const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
    child.stdin.end();
    const killTimer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await closed;
    clearTimeout(killTimer);
  };
  return { run, close };
}
