import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { PulumiProject } from "../helpers/pulumi";
import { startTestPlane, type TestPlane } from "../helpers/local-plane";
import { tearDownStacks } from "../helpers/e2e-teardown";
import { assertNoSecretsInState } from "./state-checks";
import { ENV, TIMINGS, V1, V2 } from "./native-support";
import { assertNoSecretIn, generateSdks, pathWithoutNode, pluginArchive, queryTokenSecretShape, venvWithWheel } from "./packaging-support";

// The package as a YAML or Python team gets it: the plugin installed from its release archive with
// `pulumi plugin install --file` (no `path:` in Pulumi.yaml) and run by an engine whose PATH has no
// Node.js; a Python program on the wheel installed with pip; the Go SDK compiled. Each lifecycle runs
// create -> canary held at 25% -> completed -> two refreshes -> destroy against the local plane, and
// no token shows in `stack export`, the outputs or the `--event-log` files.

jest.setTimeout(20 * 60_000);

interface Step {
  image: string;
  canary?: number;
  tags?: Record<string, string>;
}

function yamlProgram(step: Step): string {
  return stringify({
    name: "pkg-yaml",
    runtime: "yaml",
    resources: {
      api: {
        type: "anyscale:Service",
        properties: {
          name: "pkg-yaml-api",
          applications: [{ name: "default", import_path: "main:app", route_prefix: "/" }],
          imageUri: step.image,
          ...(step.canary !== undefined ? { rollout: { canaryPercent: step.canary } } : {}),
          ...(step.tags ? { tags: step.tags } : {}),
        },
      },
    },
    outputs: { queryUrl: "${api.queryUrl}", queryAuthToken: "${api.queryAuthToken}", primaryVersion: "${api.primaryVersion}", canaryVersion: "${api.canaryVersion}" },
  });
}

const PYTHON_PROGRAM = `import pulumi
import pulumi_anyscale as anyscale

config = pulumi.Config()
canary = config.get_int("canaryPercent")
api = anyscale.Service(
    "api",
    name="pkg-python-api",
    image_uri=config.get("imageUri") or "${V1}",
    applications=[{"name": "default", "import_path": "main:app", "route_prefix": "/"}],
    rollout=anyscale.ServiceRolloutArgs(canary_percent=canary) if canary is not None else None,
)
pulumi.export("queryUrl", api.query_url)
pulumi.export("queryAuthToken", api.query_auth_token)
pulumi.export("primaryVersion", api.primary_version)
pulumi.export("canaryVersion", api.canary_version)
`;

const GO_PROGRAM = `package main

import (
	"github.com/pulumi-anyscale/pulumi-anyscale/sdk/go/anyscale"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		api, err := anyscale.NewService(ctx, "api", &anyscale.ServiceArgs{
			Name:         pulumi.StringPtr("pkg-go-api"),
			ImageUri:     pulumi.StringPtr("${V1}"),
			Applications: pulumi.MapArray{pulumi.Map{"name": pulumi.String("default"), "import_path": pulumi.String("main:app"), "route_prefix": pulumi.String("/")}},
		})
		if err != nil {
			return err
		}
		ctx.Export("queryUrl", api.QueryUrl)
		ctx.Export("queryAuthToken", api.QueryAuthToken)
		return nil
	})
}
`;

describe("the packaged plugin and SDKs, with no Node.js on the program's side", () => {
  let plane: TestPlane;
  let archive: { archive: string; version: string };
  let noNodePath: string;
  const projects: PulumiProject[] = [];
  const eventLogs: Record<string, string> = {};

  beforeAll(async () => {
    plane = await startTestPlane(TIMINGS);
    archive = await pluginArchive();
    noNodePath = await pathWithoutNode();
  });

  afterAll(() => tearDownStacks(projects, plane));

  async function newProject(name: string, files: Record<string, string>, env: Record<string, string> = {}): Promise<PulumiProject> {
    const project = await PulumiProject.fromFiles(name, files, {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: { ...ENV, PATH: noNodePath, ...env },
    });
    projects.push(project);
    return project;
  }

  /** `pulumi <command>` with an event log kept for the secrets check. */
  async function withEventLog(project: PulumiProject, label: string, args: string[]): Promise<void> {
    const file = path.join(project.dir, `${label}.events.jsonl`);
    // The flag exists with PULUMI_DEBUG_COMMANDS, which the Automation API sets.
    await project.pulumi([...args, "--stack", project.stack, "--event-log", file], { env: { PULUMI_DEBUG_COMMANDS: "true" } });
    eventLogs[`${path.basename(project.dir)} ${label} event log`] = fs.readFileSync(file, "utf8");
  }

  async function installPlugin(project: PulumiProject): Promise<void> {
    const install = await project.pulumi(["plugin", "install", "resource", "anyscale", archive.version, "--file", archive.archive]);
    expect(install.code).toBe(0);
    const listed = await project.pulumi(["plugin", "ls", "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: "anyscale", kind: "resource", version: archive.version })]));
  }

  /** create -> canary 25% -> complete -> two refreshes, each step applied by `apply`. */
  async function lifecycle(project: PulumiProject, label: string, apply: (step: Step) => Promise<void>): Promise<void> {
    await apply({ image: V1 });
    await withEventLog(project, "create", ["up", "--yes", "--skip-preview"]);
    const created = await project.outputs();
    expect(created.primaryVersion.weight).toBe(100);
    expect(created.queryAuthToken).toBe("[secret]");

    await apply({ image: V2, canary: 25 });
    await withEventLog(project, "canary", ["up", "--yes", "--skip-preview"]);
    const held = await project.outputs();
    expect(held.canaryVersion.weight).toBe(25);
    expect(held.primaryVersion.weight).toBe(75);

    await apply({ image: V2 });
    await project.up();
    const completed = await project.outputs();
    expect(completed.primaryVersion.weight).toBe(100);
    // A Python program's None output is left out of the stack outputs; YAML's null is kept.
    expect(completed.canaryVersion ?? null).toBeNull();

    // Two refreshes of a healthy service leave the token one plain secret (not a secret in a secret).
    await withEventLog(project, "refresh-1", ["refresh", "--yes", "--skip-preview"]);
    await withEventLog(project, "refresh-2", ["refresh", "--yes", "--skip-preview"]);
    const token = (await project.outputs({ showSecrets: true })).queryAuthToken as string;
    expect(typeof token).toBe("string");
    expect(await queryTokenSecretShape(project, "::api")).toBe(token);

    const { text } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": token });
    const shown = await project.pulumi(["stack", "output", "--json", "--stack", project.stack]);
    assertNoSecretIn({ [`${label} stack output`]: shown.stdout, ...eventLogs }, { "Anyscale token": plane.token, "query auth token": token });
  }

  test("the engine runs with no node on PATH", () => {
    for (const dir of noNodePath.split(path.delimiter)) expect(fs.existsSync(path.join(dir, "node"))).toBe(false);
  });

  test("YAML: the plugin from its archive, found with no path entry, runs the lifecycle", async () => {
    const project = await newProject("pkg-yaml", { "Pulumi.yaml": yamlProgram({ image: V1 }) });
    await installPlugin(project);
    await lifecycle(project, "yaml", async (step) => project.writeFile("Pulumi.yaml", yamlProgram(step)));
    // supportsPreview: a tags-only update's preview already knows the outputs (none of them changes),
    // so the stack outputs derived from them show no change (without supportsPreview the engine shows
    // "+ canaryVersion: [unknown]" here).
    project.writeFile("Pulumi.yaml", yamlProgram({ image: V2, tags: { team: "ml" } }));
    const preview = await project.pulumi(["preview", "--diff", "--stack", project.stack]);
    expect(preview.stdout).toMatch(/~ anyscale:index:Service: \(update\)/);
    expect(preview.stdout).not.toMatch(/\[unknown\]|output</);

    // Import: forget the service and import it by id through the installed plugin.
    project.writeFile("Pulumi.yaml", yamlProgram({ image: V2 }));
    const { deployment } = await project.exportStack();
    const api = deployment.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::api"));
    await project.pulumi(["state", "delete", api.urn, "--yes", "--stack", project.stack]);
    await project.pulumi(["import", "anyscale:index:Service", "api", api.id, "--yes", "--protect=false", "--generate-code=false", "--stack", project.stack]);
    const afterImport = await project.preview();
    // The import records the live fields as inputs (computeConfig, versionName): a program that leaves
    // them out rolls out to its own declaration, but nothing is created or replaced.
    const imported = (await project.exportStack()).deployment.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::api"));
    expect(imported.id).toBe(api.id);
    expect(["same", "update"]).toContain(afterImport.steps.find((s) => s.urn.endsWith("::api"))?.op);
    await project.destroy();
  });

  test("Python: the wheel installed with pip, the plugin from its archive, runs the lifecycle", async () => {
    const { PYTHON_WHEEL: wheel } = await generateSdks("python");
    expect(path.basename(wheel)).toBe(`pulumi_anyscale-${archive.version}-py3-none-any.whl`);
    const venv = await venvWithWheel(wheel);
    const project = await newProject("pkg-python", {
      "Pulumi.yaml": stringify({ name: "pkg-python", runtime: { name: "python", options: { virtualenv: venv } } }),
      "__main__.py": PYTHON_PROGRAM,
    });
    await installPlugin(project);
    await lifecycle(project, "python", async (step) => {
      await project.setConfig("imageUri", step.image);
      if (step.canary !== undefined) await project.setConfig("canaryPercent", String(step.canary));
      else await project.pulumi(["config", "rm", "canaryPercent", "--stack", project.stack], { allowFailure: true });
    });
    await project.destroy();
    fs.rmSync(venv, { recursive: true, force: true });
  });

  test("Go: the generated SDK builds and vets, and a Go program creates and destroys a Service", async () => {
    const { GO_SDK_DIR: goSdk } = await generateSdks("go");
    expect(fs.existsSync(path.join(goSdk, "service.go"))).toBe(true);
    const sdkModule = path.dirname(path.dirname(goSdk));
    const goBin = path.dirname(fs.realpathSync(execFileSync("bash", ["-c", "command -v go"]).toString().trim()));
    const project = await newProject("pkg-go", {
      "Pulumi.yaml": "name: pkg-go\nruntime: go\n",
      "go.mod": `module example.com/pkggo\n\ngo 1.25\n\nrequire github.com/pulumi-anyscale/pulumi-anyscale/sdk v0.0.0\n\nreplace github.com/pulumi-anyscale/pulumi-anyscale/sdk => ${sdkModule}\n`,
      "go.sum": fs.readFileSync(path.join(sdkModule, "go.sum"), "utf8"),
      "main.go": GO_PROGRAM,
    }, { PATH: `${noNodePath}${path.delimiter}${goBin}`, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOSUMDB: "off" });
    expect(fs.existsSync(path.join(goBin, "node"))).toBe(false);
    await installPlugin(project);
    await withEventLog(project, "create", ["up", "--yes", "--skip-preview"]);
    const outputs = await project.outputs({ showSecrets: true });
    expect(outputs.queryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/serve\//);
    const { text } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": outputs.queryAuthToken });
    assertNoSecretIn(eventLogs, { "Anyscale token": plane.token, "query auth token": outputs.queryAuthToken });
    await project.destroy();
  });
});
