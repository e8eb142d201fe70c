// Launching a run's process: its record, log file, working directory (unpacked packages), environment
// (with the python shim) and the process itself through the ProcessRunner. The engine decides when.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomToken } from "../ids";
import type { LocalApp } from "../types";
import { isProcessOfRun, ProcessRunner, signalGroup, type ProcessExit, type RunSpec } from "./process-runner";
import type { JobRecord, JobRunRecord } from "./records";
import { rayJobEnvOf } from "../ray/job-env";
import { buildRunEnv, RUN_MARKER_VAR } from "./run-env";
import { dataBucketFileUri } from "../uploads";
import { ensurePythonShimDir, prepareWorkdir, type RunPackages } from "./workdir";

const RUNS_DIR = "job-runs";

export class RunLauncher {
  private shimDir: string | undefined | null = null;

  constructor(
    private readonly app: LocalApp,
    readonly runner = new ProcessRunner(),
  ) {}

  logFile(run: JobRunRecord): string {
    return path.join(this.app.options.dataDir, run.log_file);
  }

  isLive(runId: string): boolean {
    return this.runner.isRunning(runId);
  }

  /** The record of the job's next run (attempt = job.attempts + 1), not yet stored. */
  newRun(job: JobRecord, clusterId: string): JobRunRecord {
    const runId = this.app.newId("prodjobrun");
    return {
      id: runId,
      name: `raysubmit_${randomToken(16)}`,
      ha_job_id: job.id,
      project_id: job.project_id,
      creator_id: job.creator_id,
      cluster_id: clusterId,
      status: "PENDING",
      attempt: job.attempts + 1,
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
      exit_code: null,
      error: null,
      pid: null,
      log_file: path.join(RUNS_DIR, runId, "job.log"),
    };
  }

  /** The process to start, or the setup error (also written to the run's log) when the runtime env cannot be built. */
  prepare(run: JobRunRecord, job: JobRecord): { spec: RunSpec } | { setupError: string } {
    const logFile = this.logFile(run);
    try {
      const runDir = path.dirname(logFile);
      fs.mkdirSync(runDir, { recursive: true });
      fs.writeFileSync(logFile, "");
      const runtimeEnv = (job.config.runtime_env ?? undefined) as (RunPackages & { env_vars?: Record<string, string> }) | undefined;
      const workdir = prepareWorkdir(runDir, runtimeEnv, { fileUri: (uri) => this.app.resolveFileUri(uri), bucketPathUri: dataBucketFileUri });
      const env = buildRunEnv({
        runId: run.id,
        jobId: job.id,
        hostEnv: process.env,
        shimDir: this.pythonShimDir(),
        cwd: workdir.cwd,
        pythonPath: workdir.pythonPath,
        userEnv: runtimeEnv?.env_vars,
        ray: rayJobEnvOf(this.app),
      });
      const timeoutS = job.config.timeout_s ?? 0;
      return { spec: { runId: run.id, command: job.config.entrypoint, cwd: workdir.cwd, env, logFile, timeoutMs: timeoutS > 0 ? timeoutS * 1000 : undefined } };
    } catch (err) {
      const message = (err as Error).message;
      fs.appendFileSync(logFile, `Runtime environment setup failed: ${message}\n`);
      return { setupError: message };
    }
  }

  start(spec: RunSpec, onExit: (exit: ProcessExit) => void): number | undefined {
    return this.runner.start(spec, onExit);
  }

  /** A process of an earlier plane that outlived it (found by its run marker) is killed. */
  killLeftover(run: JobRunRecord | undefined): void {
    if (run?.pid && isProcessOfRun(run.pid, run.id, RUN_MARKER_VAR)) {
      this.app.log(`killing leftover process group ${run.pid} of run ${run.id}`);
      signalGroup(run.pid, "SIGKILL");
    }
  }

  removeRunFiles(run: JobRunRecord): void {
    fs.rmSync(path.dirname(this.logFile(run)), { recursive: true, force: true });
  }

  private pythonShimDir(): string | undefined {
    if (this.shimDir === null) this.shimDir = ensurePythonShimDir(path.join(this.app.options.dataDir, RUNS_DIR, ".bin"), process.env.PATH ?? "");
    return this.shimDir;
  }
}
