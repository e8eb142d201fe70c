// The environment a job run sees. It is built from scratch rather than inherited, so nothing of the
// control plane's own environment (its API token in particular) leaks into user code.

/** Marks a process as belonging to a run, so a restarted plane can recognise leftovers by pid. */
export const RUN_MARKER_VAR = "ANYSCALE_LOCAL_JOB_RUN_ID";

const PASSTHROUGH = ["HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER", "PYENV_ROOT"];

export function buildRunEnv(opts: {
  runId: string;
  jobId: string;
  hostEnv: NodeJS.ProcessEnv;
  shimDir: string | undefined;
  cwd: string;
  pythonPath: readonly string[];
  userEnv: Record<string, string> | null | undefined;
  /** With the plane's Ray runtime: the Ray venv's bin (first on PATH) and RAY_ADDRESS + auth. */
  ray?: { binDir: string; vars: Record<string, string> };
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSTHROUGH) {
    const value = opts.hostEnv[key];
    if (value !== undefined) env[key] = value;
  }
  const hostPath = opts.hostEnv.PATH ?? "/usr/local/bin:/usr/bin:/bin";
  env.PATH = opts.shimDir ? `${opts.shimDir}:${hostPath}` : hostPath;
  if (opts.ray) {
    env.PATH = `${opts.ray.binDir}:${env.PATH}`;
    Object.assign(env, opts.ray.vars);
  }
  env.PYTHONUNBUFFERED = "1";
  env.ANYSCALE_JOB_ID = opts.jobId;
  const userEnv = opts.userEnv ?? {};
  Object.assign(env, userEnv);
  const pythonPath = [opts.cwd, ...opts.pythonPath, ...(userEnv.PYTHONPATH ? [userEnv.PYTHONPATH] : [])];
  env.PYTHONPATH = pythonPath.join(":");
  env[RUN_MARKER_VAR] = opts.runId;
  return env;
}
