import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, runCommand, type PulumiProject } from "./pulumi";

// The Python side of e2e projects: scripts/gen-python-sdk.sh generates an SDK with the CLI's own
// codegen (through our Python language host) and installs it with `pulumi` into a venv; projects
// name `virtualenv: venv` in Pulumi.yaml, as a user's project would, and get a link to that venv.

export interface PythonSdk {
  /** The generated SDK (a directory outside git). */
  sdkDir: string;
  /** Its distribution name, e.g. pulumi_anyscale. */
  packageName: string;
  /** The venv holding `pulumi` and the SDK. */
  venv: string;
}

const generated = new Map<string, Promise<PythonSdk>>();

/** Generates (or reuses: the script skips unchanged work) the SDK for a plugin or schema file. */
export function pythonSdk(source?: string): Promise<PythonSdk> {
  const key = source ?? "";
  let found = generated.get(key);
  if (!found) {
    found = generatePythonSdk(source);
    generated.set(key, found);
  }
  return found;
}

async function generatePythonSdk(source?: string): Promise<PythonSdk> {
  const args = [path.join(REPO_ROOT, "scripts/gen-python-sdk.sh")];
  if (source) args.push(source);
  const { stdout } = await runCommand("bash", args, { cwd: REPO_ROOT });
  const values: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  const sdk = { sdkDir: values.PYTHON_SDK_DIR, packageName: values.PYTHON_SDK_PACKAGE, venv: values.PULUMI_PYTHON_VENV };
  if (!sdk.sdkDir || !sdk.venv || !fs.existsSync(path.join(sdk.venv, "bin/python"))) {
    throw new Error(`scripts/gen-python-sdk.sh printed no usable SDK and venv:\n${stdout}`);
  }
  return sdk;
}

/** Gives the project the venv its Pulumi.yaml names (`virtualenv: venv`). */
export function linkVenv(project: PulumiProject, sdk: PythonSdk): void {
  fs.symlinkSync(sdk.venv, path.join(project.dir, "venv"));
}
