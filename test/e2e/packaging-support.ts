import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiEngineBinDir, REPO_ROOT, runCommand, type PulumiProject } from "../helpers/pulumi";

// What test/e2e/packaging.test.ts builds on: the plugin archive and the Python wheel (from the same
// scripts a release runs), a PATH with the engine and no Node.js, and the checks on secrets.

function assignments(stdout: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return values;
}

/** scripts/build-plugin.sh (a no-op when the archive is current; the test command runs it first). */
export async function pluginArchive(): Promise<{ archive: string; version: string }> {
  const { stdout } = await runCommand("bash", [path.join(REPO_ROOT, "scripts/build-plugin.sh")], { cwd: REPO_ROOT });
  const values = assignments(stdout);
  return { archive: values.PLUGIN_ARCHIVE, version: values.PLUGIN_VERSION };
}

/** scripts/gen-sdks.sh for some languages; its NAME=value lines. */
export async function generateSdks(...languages: string[]): Promise<Record<string, string>> {
  const { stdout } = await runCommand("bash", [path.join(REPO_ROOT, "scripts/gen-sdks.sh"), ...languages], { cwd: REPO_ROOT });
  return assignments(stdout);
}

/**
 * A PATH holding only the engine's directory (pulumi and its language hosts, as setup-pulumi.sh lays
 * them out): what a Python, Go or YAML team has. No node there, so the plugin can only run as the
 * single executable. Go programs add the `go` toolchain's directory.
 */
export async function pathWithoutNode(): Promise<string> {
  return pulumiEngineBinDir();
}

/** A venv with the generated wheel installed by pip, as a Python user installs a package. */
export async function venvWithWheel(wheel: string): Promise<string> {
  const venv = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-anyscale-wheel-venv-"));
  const python = process.env.PYTHON ?? "python3";
  await runCommand(python, ["-m", "venv", venv], { cwd: REPO_ROOT });
  await runCommand(path.join(venv, "bin/python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel], { cwd: REPO_ROOT });
  return venv;
}

/**
 * `pulumi stack export --show-secrets` shows each secret as {sig, plaintext: JSON text}. The query
 * token must be one secret whose plaintext is the token itself, not another secret envelope.
 */
export async function queryTokenSecretShape(project: PulumiProject, urnSuffix: string): Promise<unknown> {
  const { stdout } = await project.pulumi(["stack", "export", "--show-secrets", "--stack", project.stack]);
  const resource = JSON.parse(stdout).deployment.resources.find((r: { urn: string }) => r.urn.endsWith(urnSuffix));
  const secret = resource?.outputs?.queryAuthToken as { plaintext?: string } | undefined;
  if (!secret?.plaintext) throw new Error(`${urnSuffix} has no secret queryAuthToken in state`);
  return JSON.parse(secret.plaintext);
}

/** Fails naming the file that holds a secret (never printing the secret). */
export function assertNoSecretIn(files: Record<string, string>, secrets: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    for (const [what, value] of Object.entries(secrets)) {
      if (!value) throw new Error(`no value given for ${what}: the check would prove nothing`);
      if (text.includes(value)) throw new Error(`the ${what} appears in plaintext in ${file}`);
    }
  }
}
