import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { pluginArchive } from "../../test/e2e/packaging-support";
import { PulumiProject, REPO_ROOT, runCommand } from "../../test/helpers/pulumi";
import type { BenchPlane } from "./waits";

// The two tools of the side-by-side bench (bench/terraform-peer.bench.ts), each driving N services
// on the same plane through its own CLI:
// - ours: a Pulumi YAML program (the closest to HCL) on the native plugin, installed from its release
//   archive with `pulumi plugin install --file` as test/e2e/packaging.test.ts does;
// - the peer: OpenTofu (scripts/setup-opentofu.sh) with Anyscale's Terraform provider, whose binary
//   the caller names in ANYSCALE_TF_PROVIDER (it is built outside this repository), found through a
//   CLI config's dev_overrides.
// Each Service is what the Terraform resource does: a plain rollout to 100% of the image, in the
// default project with the default cloud's default compute config. Terraform takes a build id and a
// compute config id where Pulumi takes the image URI: the bench resolves those once, the way the
// official client does (not counted in Terraform's requests).

const execFileAsync = promisify(execFile);

export interface PeerTool {
  label: string;
  /** Runs `up`/`apply` (image index 0 or 1) or `destroy`, at a parallelism or the tool's default. */
  run(action: "apply" | "destroy", image: number, parallelism: number | undefined): Promise<{ launchedAt: number; endedAt: number }>;
  dispose(): Promise<void>;
}

export const IMAGES = ["anyscale/ray:2.48.0-py311", "anyscale/ray:2.49.0-py311"] as const;
const APPLICATIONS = [{ name: "app", import_path: "main:app", route_prefix: "/" }];

/** Launch time and exit time of a command that must succeed. */
async function timedRun(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ launchedAt: number; endedAt: number }> {
  const launchedAt = Date.now();
  await runCommand(command, args, { cwd, env });
  return { launchedAt, endedAt: Date.now() };
}

export async function pulumiTool(plane: BenchPlane, services: number, prefix: string): Promise<PeerTool> {
  const archive = await pluginArchive();
  const program = (image: number) =>
    stringify({
      name: `peer-${prefix}`,
      runtime: "yaml",
      resources: Object.fromEntries(
        Array.from({ length: services }, (_, i) => [`svc${i}`, { type: "anyscale:Service", properties: { name: `${prefix}-svc-${i}`, imageUri: IMAGES[image], applications: APPLICATIONS } }]),
      ),
    }, { aliasDuplicateObjects: false });
  const project = await PulumiProject.fromFiles(`peer-${prefix}`, { "Pulumi.yaml": program(0) }, {
    config: { "anyscale:host": plane.url },
    secrets: { "anyscale:token": plane.token },
    // The real defaults: no test poll interval.
    env: { ANYSCALE_POLL_INTERVAL_MS: undefined } as unknown as Record<string, string>,
  });
  await project.pulumi(["plugin", "install", "resource", "anyscale", archive.version, "--file", archive.archive]);
  return {
    label: "Pulumi (native plugin, YAML)",
    async run(action, image, parallelism) {
      project.writeFile("Pulumi.yaml", program(image));
      const command = action === "apply" ? "up" : "destroy";
      const args = [command, "--yes", "--non-interactive", "--stack", project.stack, ...(parallelism ? ["--parallel", String(parallelism)] : [])];
      return timedRun("pulumi", args, project.dir, project.env);
    },
    async dispose() {
      await project.destroy({ allowFailure: true });
      project.remove();
    },
  };
}

export interface PeerIds {
  buildIds: [string, string];
  computeConfigId: string;
}

/** The ids Terraform's resource takes, resolved as the official client does. */
export async function resolvePeerIds(plane: BenchPlane): Promise<PeerIds> {
  const cloud = (await plane.api.get("/ext/v0/clouds/default")).body.result;
  const compute = (await plane.api.get(`/ext/v0/cluster_computes/default?cloud_id=${encodeURIComponent(cloud.id)}`)).body.result;
  const build = async (image: string) => (await plane.api.post("/api/v2/builds/get_or_create_build_from_image_uri", { image_uri: image })).body.result.id as string;
  return { buildIds: [await build(IMAGES[0]), await build(IMAGES[1])], computeConfigId: compute.id };
}

function hcl(services: number, prefix: string): string {
  return `terraform {
  required_providers {
    anyscale = { source = "anyscale/anyscale" }
  }
}

# api_url and token come from ANYSCALE_HOST and ANYSCALE_CLI_TOKEN.
provider "anyscale" {}

variable "build_id" { type = string }
variable "compute_config_id" { type = string }

resource "anyscale_service" "svc" {
  count             = ${services}
  name              = "${prefix}-svc-\${count.index}"
  build_id          = var.build_id
  compute_config_id = var.compute_config_id
  ray_serve_config = {
    applications = [{ name = "app", import_path = "main:app", route_prefix = "/" }]
  }
}
`;
}

/** `tofu` from scripts/setup-opentofu.sh (built once into the cache). */
export async function tofuBinDir(): Promise<string> {
  const { stdout } = await execFileAsync("bash", [path.join(REPO_ROOT, "scripts/setup-opentofu.sh")], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim().split("\n").pop()!;
}

export async function tofuTool(plane: BenchPlane, services: number, prefix: string, providerBinary: string, ids: PeerIds): Promise<PeerTool> {
  const binDir = await tofuBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `peer-${prefix}-`));
  const providerDir = path.join(dir, "providers");
  fs.mkdirSync(providerDir);
  // dev_overrides names a directory holding terraform-provider-<name>.
  fs.symlinkSync(path.resolve(providerBinary), path.join(providerDir, "terraform-provider-anyscale"));
  fs.writeFileSync(path.join(dir, "cli.tfrc"), `provider_installation {\n  dev_overrides {\n    "anyscale/anyscale" = ${JSON.stringify(providerDir)}\n  }\n  direct {}\n}\n`);
  const work = path.join(dir, "work");
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, "main.tf"), hcl(services, prefix));
  const env: NodeJS.ProcessEnv = {
    PATH: `${binDir}:${process.env.PATH}`,
    HOME: dir,
    TF_CLI_CONFIG_FILE: path.join(dir, "cli.tfrc"),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    ANYSCALE_HOST: plane.url,
    ANYSCALE_CLI_TOKEN: plane.token,
    NO_COLOR: "1",
  };
  const vars = (image: number) => ["-var", `build_id=${ids.buildIds[image]}`, "-var", `compute_config_id=${ids.computeConfigId}`];
  let lastImage = 0;
  return {
    label: "OpenTofu + Anyscale's Terraform provider",
    async run(action, image, parallelism) {
      lastImage = image;
      const flags = ["-auto-approve", "-input=false", "-no-color", ...(parallelism ? [`-parallelism=${parallelism}`] : []), ...vars(image)];
      return timedRun(path.join(binDir, "tofu"), [action, ...flags], work, env);
    },
    async dispose() {
      await runCommand(path.join(binDir, "tofu"), ["destroy", "-auto-approve", "-input=false", "-no-color", ...vars(lastImage)], { cwd: work, env, allowFailure: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
