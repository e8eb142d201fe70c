import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiProject, REPO_ROOT } from "../helpers/pulumi";
import { linkVenv, pythonSdk, type PythonSdk } from "../helpers/python-sdk";
import { assertNoSecretsInState } from "./state-checks";

// The Python and YAML language hosts that scripts/setup-pulumi.sh puts next to `pulumi`, proven
// without any provider: `pulumi package gen-sdk --language python` generates an SDK from a small
// fixture schema through the Python host's GeneratePackage (Pulumi's own codegen), the SDK installs
// into a venv, and Python and YAML programs run with the real CLI: config, secrets, exports, errors.

jest.setTimeout(10 * 60_000);

const FIXTURE_SCHEMA = path.join(REPO_ROOT, "test/fixtures/python-sdk/schema.json");
const SECRET_WORD = "fixture-secret-7f3a9c";

const pythonProgram = `import pulumi
import pulumi_anyscalefixture as fixture

config = pulumi.Config()
secret = config.require_secret("word")
pulumi.export("greeting", f"hello from {pulumi.get_project()}/{pulumi.get_stack()}")
pulumi.export("secretLength", secret.apply(len))
pulumi.export("sdkClass", fixture.Service.__name__)
if config.get_bool("fail"):
    raise ValueError("the program was asked to fail")
`;
import { tearDownStacks } from "../helpers/e2e-teardown";

describe("language hosts with the real pulumi CLI (no provider)", () => {
  let sdk: PythonSdk;
  const projects: PulumiProject[] = [];

  beforeAll(async () => {
    sdk = await pythonSdk(FIXTURE_SCHEMA);
  });

  afterAll(() => tearDownStacks(projects));

  test("gen-sdk --language python generates the SDK with Pulumi's codegen, and it installs", () => {
    expect(sdk.packageName).toBe("pulumi_anyscalefixture");
    const service = fs.readFileSync(path.join(sdk.sdkDir, "pulumi_anyscalefixture/service.py"), "utf8");
    expect(service).toMatch(/class Service\(pulumi\.CustomResource\)/);
    expect(service).toMatch(/image_uri/);
    expect(service).toMatch(/"anyscalefixture:index:Service"/);
    // The codegen's own marker file, and the secret output marked as such.
    expect(fs.existsSync(path.join(sdk.sdkDir, "pulumi_anyscalefixture/pulumi-plugin.json"))).toBe(true);
    expect(service).toContain(`additional_secret_outputs=["queryAuthToken"]`);
  });

  test("a Python program runs in its virtualenv: config, secret config, exports, the SDK import", async () => {
    const project = await PulumiProject.fromFiles(
      "python-host",
      {
        "Pulumi.yaml": "name: python-host\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
        "__main__.py": pythonProgram,
      },
      { secrets: { word: SECRET_WORD } },
    );
    projects.push(project);
    linkVenv(project, sdk);

    const preview = await project.preview();
    expect(preview.code).toBe(0);
    await project.up();
    const outputs = await project.outputs();
    expect(outputs.greeting).toBe("hello from python-host/e2e");
    expect(outputs.sdkClass).toBe("Service");
    expect(outputs.secretLength).toBe("[secret]");
    expect((await project.outputs({ showSecrets: true })).secretLength).toBe(SECRET_WORD.length);

    const { text } = await project.exportStack();
    assertNoSecretsInState(text, { "secret config value": SECRET_WORD });
  });

  test("an exception in a Python program fails up with its message, shown once", async () => {
    const project = projects[0];
    await project.setConfig("fail", "true");
    try {
      const failed = await project.up({ allowFailure: true });
      expect(failed.code).not.toBe(0);
      const output = failed.stdout + failed.stderr;
      expect(output).toContain("the program was asked to fail");
      expect(output).not.toMatch(/Program exited with non-zero exit code/);
    } finally {
      await project.pulumi(["config", "rm", "fail", "--stack", project.stack]);
    }
  });

  test("a missing virtualenv is named in the error", async () => {
    const project = await PulumiProject.fromFiles("python-novenv", {
      "Pulumi.yaml": "name: python-novenv\nruntime:\n  name: python\n  options:\n    virtualenv: missing-venv\n",
      "__main__.py": "import pulumi\n",
    });
    projects.push(project);
    const preview = await project.preview({ allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/virtualenv: .*missing-venv has no bin\/python/);
  });

  test("pulumi install creates the project's virtualenv and installs requirements.txt into it", async () => {
    const project = await PulumiProject.fromFiles("python-install", {
      "Pulumi.yaml": "name: python-install\nruntime:\n  name: python\n  options:\n    virtualenv: .venv-install\n",
      "__main__.py": "import pulumi\n",
      "requirements.txt": "# nothing to fetch: the point is the host's install path\n",
    });
    projects.push(project);
    const install = await project.pulumi(["install"]);
    expect(install.stdout + install.stderr).toContain("creating virtualenv");
    expect(install.stdout + install.stderr).toContain("installing requirements.txt");
    expect(fs.existsSync(path.join(project.dir, ".venv-install/bin/python"))).toBe(true);
  });

  test("a YAML program runs in the YAML host: config, secret config, outputs", async () => {
    const project = await PulumiProject.fromFiles(
      "yaml-host",
      {
        "Pulumi.yaml": [
          "name: yaml-host",
          "runtime: yaml",
          "config:",
          "  word:",
          "    type: string",
          "    secret: true",
          "variables:",
          "  greeting: hello from ${pulumi.project}/${pulumi.stack}",
          "outputs:",
          "  greeting: ${greeting}",
          "  word: ${word}",
          "",
        ].join("\n"),
      },
      { secrets: { word: SECRET_WORD } },
    );
    projects.push(project);
    await project.up();
    const outputs = await project.outputs();
    expect(outputs.greeting).toBe("hello from yaml-host/e2e");
    expect(outputs.word).toBe("[secret]");
    const { text } = await project.exportStack();
    assertNoSecretsInState(text, { "secret config value": SECRET_WORD });
  });
});
