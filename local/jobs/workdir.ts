// Prepares where a job run executes: the extracted working_dir, py_modules on PYTHONPATH, and a PATH
// whose `python` is python3. Runtime-env packages are zips with a single top-level directory (Ray's
// requirement, which the SDK's zipper meets); like Ray, that directory becomes the working directory.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { extractZipFile } from "./zip-reader";

export interface PreparedWorkdir {
  cwd: string;
  pythonPath: string[];
}

export interface RunPackages {
  working_dir?: unknown;
  py_modules?: unknown;
  /** A path inside the cloud's data bucket, sent instead of working_dir for multi-resource compute configs. */
  relative_working_dir?: unknown;
  relative_py_modules?: unknown;
}

export interface PackageResolvers {
  /** A package URI (`s3://…`) → the local file, if it was uploaded here. */
  fileUri(uri: string): string | undefined;
  /** A path relative to the data bucket → its URI. */
  bucketPathUri(bucketPath: string): string;
}

/** Extracts the run's packages under runDir. Throws an Error saying which URI failed. */
export function prepareWorkdir(runDir: string, runtimeEnv: RunPackages | undefined, resolvers: PackageResolvers): PreparedWorkdir {
  const scratch = path.join(runDir, "workdir");
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  let cwd = scratch;
  const resolveFileUri = (uri: string) => resolvers.fileUri(uri);
  const workingDir = nonEmpty(runtimeEnv?.working_dir) ?? mapDefined(nonEmpty(runtimeEnv?.relative_working_dir), resolvers.bucketPathUri);
  if (workingDir) cwd = unpack(workingDir, path.join(runDir, "working_dir"), resolveFileUri);
  const pythonPath: string[] = [];
  const relativeModules = Array.isArray(runtimeEnv?.relative_py_modules) ? runtimeEnv.relative_py_modules : [];
  const modules = [
    ...(Array.isArray(runtimeEnv?.py_modules) ? runtimeEnv.py_modules : []),
    ...relativeModules.filter((p): p is string => typeof p === "string").map(resolvers.bucketPathUri),
  ];
  modules.forEach((uri, index) => {
    if (typeof uri !== "string") return;
    const dest = path.join(runDir, "py_modules", String(index));
    unpack(uri, dest, resolveFileUri);
    // The module's top-level directory must be importable by its name, so its parent goes on the path.
    pythonPath.push(dest);
  });
  return { cwd, pythonPath };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function mapDefined<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}

function unpack(uri: string, dest: string, resolveFileUri: (uri: string) => string | undefined): string {
  const zipPath = resolveFileUri(uri);
  if (!zipPath || !fs.existsSync(zipPath)) {
    throw new Error(`runtime_env package '${uri}' was not uploaded to this control plane.`);
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  extractZip(zipPath, dest);
  const entries = fs.readdirSync(dest, { withFileTypes: true });
  if (entries.length === 1 && entries[0].isDirectory()) return path.join(dest, entries[0].name);
  return dest;
}

let systemUnzip: boolean | undefined;

function extractZip(zipPath: string, dest: string): void {
  if (systemUnzip === undefined) systemUnzip = commandExists("unzip");
  if (systemUnzip) {
    execFileSync("unzip", ["-q", "-o", zipPath, "-d", dest], { stdio: ["ignore", "ignore", "pipe"] });
    return;
  }
  extractZipFile(zipPath, dest);
}

/**
 * A directory holding `python` and `python3` shims that exec the host's python3, so entrypoints such
 * as `python main.py` work where only python3 is installed.
 */
export function ensurePythonShimDir(dir: string, hostPath: string): string | undefined {
  const python3 = resolvePython3(hostPath);
  if (!python3) return undefined;
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ["python", "python3"]) {
    const shim = path.join(dir, name);
    fs.writeFileSync(shim, `#!/bin/sh\nexec '${python3.replace(/'/g, "'\\''")}' "$@"\n`, { mode: 0o755 });
  }
  return dir;
}

function resolvePython3(hostPath: string): string | undefined {
  try {
    const out = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], {
      env: { PATH: hostPath, HOME: process.env.HOME ?? "/tmp", ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}) },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 15000,
    }).trim();
    return out.length > 0 ? out : undefined;
  } catch {
    return undefined;
  }
}

function commandExists(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
