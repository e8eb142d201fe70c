import { execFile, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

// Drives the real `pulumi` CLI for e2e tests: temp projects that consume an installed copy of
// pulumi-anyscale (never a symlink: the closure serializer only writes a small
// `require("pulumi-anyscale/...")` into state for code under node_modules), a file backend per
// project, and --non-interactive/--json runs. Everything is async so an in-process local control
// plane keeps serving while the CLI runs.

const execFileAsync = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, "../..");
const PASSPHRASE = "e2e-passphrase";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Resolve instead of throwing when the command exits non-zero. */
  allowFailure?: boolean;
  env?: Record<string, string | undefined>;
  stdin?: string;
}

let engineBinDir: string | undefined;

/** Runs scripts/setup-pulumi.sh once per process (a cache hit takes well under a second). */
export async function pulumiEngineBinDir(): Promise<string> {
  if (engineBinDir) return engineBinDir;
  const { stdout } = await execFileAsync("bash", [path.join(REPO_ROOT, "scripts/setup-pulumi.sh")], {
    maxBuffer: 16 * 1024 * 1024,
    env: process.env,
  });
  const lines = stdout.trim().split("\n");
  engineBinDir = lines[lines.length - 1];
  if (!engineBinDir || !fs.existsSync(path.join(engineBinDir, "pulumi"))) {
    throw new Error(`scripts/setup-pulumi.sh did not print a directory holding pulumi (got '${stdout}')`);
  }
  return engineBinDir;
}

const shimBinDir = (): string =>
  path.join(process.env.PULUMI_ANYSCALE_CACHE ?? path.join(os.homedir(), ".cache/pulumi-anyscale"), "pulumi-nodejs-shim");

/** The dependencies every e2e project shares, installed once per build of the package. */
export interface PackageWorkspace {
  /** Projects live in subdirectories so Node resolves packages from the workspace's node_modules. */
  root: string;
  tarball: string;
}

let workspacePromise: Promise<PackageWorkspace> | undefined;

/**
 * Jest gives every test file a fresh module registry, so the workspace is found on disk by a
 * fingerprint of the compiled package: test files (and later runs) share one `npm install`.
 */
export function packageWorkspace(): Promise<PackageWorkspace> {
  workspacePromise ??= findOrCreatePackageWorkspace();
  return workspacePromise;
}

function packageFingerprint(): string {
  const hash = crypto.createHash("sha256");
  hash.update(fs.readFileSync(path.join(REPO_ROOT, "package.json")));
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(full).update(fs.readFileSync(full));
    }
  };
  walk(path.join(REPO_ROOT, "dist"));
  return hash.digest("hex").slice(0, 16);
}

async function findOrCreatePackageWorkspace(): Promise<PackageWorkspace> {
  if (!fs.existsSync(path.join(REPO_ROOT, "dist/sdk/index.js"))) {
    throw new Error("dist/sdk/index.js is missing: run `npm run build` first (scripts/test.sh does)");
  }
  const root = path.join(os.tmpdir(), `pulumi-anyscale-e2e-${packageFingerprint()}`);
  const readyMarker = path.join(root, ".ready");
  if (fs.existsSync(readyMarker)) {
    const now = new Date();
    fs.utimesSync(readyMarker, now, now);
    return JSON.parse(fs.readFileSync(readyMarker, "utf8"));
  }
  removeUnusedWorkspaces();
  const staging = fs.mkdtempSync(`${root}.staging-`);
  const workspace = await installPackageWorkspace(staging);
  try {
    fs.renameSync(staging, root);
  } catch {
    // Another test file finished the same install first; use that one.
    fs.rmSync(staging, { recursive: true, force: true });
    if (fs.existsSync(readyMarker)) return JSON.parse(fs.readFileSync(readyMarker, "utf8"));
    throw new Error(`could not set up the e2e package workspace at ${root}`);
  }
  const ready = { root, tarball: workspace.tarball.replace(staging, root) };
  fs.writeFileSync(readyMarker, JSON.stringify(ready));
  return ready;
}

/** Workspaces of earlier builds (~130 MB each) go once nobody has used them for a day. */
function removeUnusedWorkspaces(): void {
  const dayMs = 24 * 60 * 60 * 1000;
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!/^pulumi-anyscale-e2e-[0-9a-f]{16}$/.test(name)) continue;
    const marker = path.join(os.tmpdir(), name, ".ready");
    try {
      if (Date.now() - fs.statSync(marker).mtimeMs > dayMs) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    } catch {
      // Being created or removed by another run: leave it alone.
    }
  }
}

async function installPackageWorkspace(root: string): Promise<PackageWorkspace> {
  const packDir = path.join(root, ".pack");
  fs.mkdirSync(packDir);
  const packed = await runCommand("npm", ["pack", "--silent", "--pack-destination", packDir, REPO_ROOT], { cwd: REPO_ROOT });
  const tarballName = packed.stdout.trim().split("\n").pop()!;
  const tarball = path.join(packDir, tarballName);
  const rootPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  fs.writeFileSync(
    path.join(root, "package.json"),
    JSON.stringify(
      {
        name: "pulumi-anyscale-e2e-workspace",
        private: true,
        dependencies: {
          "@pulumi/pulumi": rootPackage.devDependencies["@pulumi/pulumi"],
          // A tarball always installs as a copy (a file: directory would be a symlink).
          "pulumi-anyscale": `file:${path.relative(root, tarball)}`,
          typescript: rootPackage.devDependencies.typescript,
          "@types/node": rootPackage.devDependencies["@types/node"],
        },
      },
      null,
      2,
    ),
  );
  await runCommand("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: root });
  return { root, tarball };
}

export interface ProjectOptions {
  /** Stack name; default "e2e". */
  stack?: string;
  /** Plain config values, e.g. { "anyscale:host": url }. */
  config?: Record<string, string>;
  /** Secret config values, e.g. { "anyscale:token": token }. */
  secrets?: Record<string, string>;
  /** Extra environment for every CLI run (the local plane's host, for instance). */
  env?: Record<string, string | undefined>;
}

export interface PreviewStep {
  op: string;
  urn: string;
  type?: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff?: boolean }>;
  oldState?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  newState?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
}

export interface PreviewResult extends CommandResult {
  steps: PreviewStep[];
  diagnostics: { message: string; severity: string; urn?: string }[];
  changeSummary: Record<string, number>;
}

/** A Pulumi project in a temp directory with its own file backend and stack. */
export class PulumiProject {
  private constructor(
    readonly dir: string,
    readonly stack: string,
    /** The environment every CLI run gets: engine on PATH, file backend, passphrase. */
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Copies examples/<name> (sources only) into the shared workspace and initialises a stack. */
  static async fromExample(example: string, options: ProjectOptions = {}): Promise<PulumiProject> {
    const source = path.join(REPO_ROOT, "examples", example);
    if (!fs.existsSync(path.join(source, "Pulumi.yaml"))) throw new Error(`examples/${example}/Pulumi.yaml does not exist`);
    const files: Record<string, string> = {};
    for (const relative of listSourceFiles(source)) files[relative] = fs.readFileSync(path.join(source, relative), "utf8");
    return PulumiProject.fromFiles(example, files, options);
  }

  /** Writes the given files (at least Pulumi.yaml and the program) and initialises a stack. */
  static async fromFiles(name: string, files: Record<string, string>, options: ProjectOptions = {}): Promise<PulumiProject> {
    const workspace = await packageWorkspace();
    const binDir = await pulumiEngineBinDir();
    const dir = fs.mkdtempSync(path.join(workspace.root, `${name}-`));
    for (const [relative, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      fs.writeFileSync(path.join(dir, relative), content);
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: [binDir, shimBinDir(), process.env.PATH].join(path.delimiter),
      PULUMI_HOME: path.join(dir, ".pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(dir, ".pulumi-state")}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      PULUMI_SUPPRESS_COPILOT_LINK: "true",
      // Type checking is `npm run typecheck`'s job; ts-node only transpiles here, which keeps each run short.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      // The engine must never reach for real Anyscale credentials of whoever runs the tests.
      ANYSCALE_CLI_TOKEN: undefined,
      ANYSCALE_HOST: undefined,
      NO_COLOR: "1",
      ...options.env,
    };
    fs.mkdirSync(path.join(dir, ".pulumi-state"), { recursive: true });
    const project = new PulumiProject(dir, options.stack ?? "e2e", env);
    await project.pulumi(["stack", "init", project.stack]);
    for (const [key, value] of Object.entries(options.config ?? {})) await project.setConfig(key, value);
    for (const [key, value] of Object.entries(options.secrets ?? {})) await project.setConfig(key, value, { secret: true });
    return project;
  }

  /** Runs `pulumi <args>` non-interactively in the project. */
  pulumi(args: string[], options: RunOptions = {}): Promise<CommandResult> {
    return runCommand("pulumi", [...args, "--non-interactive"], {
      cwd: this.dir,
      env: { ...this.env, ...options.env },
      allowFailure: options.allowFailure,
      stdin: options.stdin,
    });
  }

  async setConfig(key: string, value: string, options: { secret?: boolean; path?: boolean } = {}): Promise<void> {
    // The value goes through stdin so it never appears in a process listing.
    const args = ["config", "set", key, "--stack", this.stack];
    if (options.secret) args.push("--secret");
    if (options.path) args.push("--path");
    await this.pulumi(args, { stdin: value });
  }

  writeFile(relative: string, content: string): void {
    fs.writeFileSync(path.join(this.dir, relative), content);
  }

  readFile(relative: string): string {
    return fs.readFileSync(path.join(this.dir, relative), "utf8");
  }

  async preview(options: RunOptions & { refresh?: boolean } = {}): Promise<PreviewResult> {
    const args = ["preview", "--json", "--diff", "--stack", this.stack];
    if (options.refresh) args.push("--refresh");
    const result = await this.pulumi(args, options);
    return { ...result, ...parsePreviewJson(result) };
  }

  up(options: RunOptions = {}): Promise<CommandResult> {
    return this.pulumi(["up", "--yes", "--skip-preview", "--stack", this.stack], options);
  }

  refresh(options: RunOptions & { previewOnly?: boolean } = {}): Promise<CommandResult> {
    const args = options.previewOnly
      ? ["refresh", "--preview-only", "--diff", "--stack", this.stack]
      : ["refresh", "--yes", "--skip-preview", "--diff", "--stack", this.stack];
    return this.pulumi(args, options);
  }

  destroy(options: RunOptions = {}): Promise<CommandResult> {
    return this.pulumi(["destroy", "--yes", "--skip-preview", "--stack", this.stack], options);
  }

  /** Stack outputs; secret outputs come back as "[secret]" unless showSecrets is set. */
  async outputs(options: { showSecrets?: boolean } = {}): Promise<Record<string, any>> {
    const args = ["stack", "output", "--json", "--stack", this.stack];
    if (options.showSecrets) args.push("--show-secrets");
    const { stdout } = await this.pulumi(args);
    return JSON.parse(stdout);
  }

  /** `pulumi stack export` as text (what a user would inspect) and parsed. */
  async exportStack(): Promise<{ text: string; deployment: any }> {
    const { stdout } = await this.pulumi(["stack", "export", "--stack", this.stack]);
    return { text: stdout, deployment: JSON.parse(stdout) };
  }

  /** Removes the project directory (its state goes with it). Call after destroy. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function listSourceFiles(root: string, relative = ""): string[] {
  const skipped = new Set(["node_modules", ".pulumi-state", ".pulumi-home", "bin", "package-lock.json", "venv", "__pycache__"]);
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
    if (skipped.has(entry.name) || /^Pulumi\..+\.yaml$/.test(entry.name)) continue;
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) found.push(...listSourceFiles(root, child));
    else found.push(child);
  }
  return found;
}

function parsePreviewJson(result: CommandResult): Pick<PreviewResult, "steps" | "diagnostics" | "changeSummary"> {
  const text = result.stdout.trim();
  if (!text.startsWith("{")) return { steps: [], diagnostics: [], changeSummary: {} };
  try {
    const parsed = JSON.parse(text);
    return { steps: parsed.steps ?? [], diagnostics: parsed.diagnostics ?? [], changeSummary: parsed.changeSummary ?? {} };
  } catch {
    return { steps: [], diagnostics: [], changeSummary: {} };
  }
}

/** Steps of a preview for one resource type (e.g. "pulumi-nodejs:dynamic:Resource") or logical name. */
export function stepsFor(preview: PreviewResult, nameOrType: string): PreviewStep[] {
  return preview.steps.filter((step) => step.urn.endsWith(`::${nameOrType}`) || step.type === nameOrType || step.urn.includes(`$${nameOrType}::`));
}

export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean; stdin?: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      if (result.code !== 0 && !options.allowFailure) {
        const shown = [command, ...args].join(" ");
        reject(new Error(`\`${shown}\` exited with ${result.code} in ${options.cwd}\n--- stdout ---\n${tail(stdout)}\n--- stderr ---\n${tail(stderr)}`));
      } else {
        resolve(result);
      }
    });
    child.stdin.end(options.stdin ?? "");
  });
}

function tail(text: string, lines = 60): string {
  return text.split("\n").slice(-lines).join("\n");
}
