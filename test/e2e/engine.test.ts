import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiProject, stepsFor } from "../helpers/pulumi";
import { tearDownStacks } from "../helpers/e2e-teardown";

// The engine itself, independent of the Anyscale resources: a throwaway dynamic resource goes
// through preview, up, refresh and destroy with the real CLI, and we record what its provider's
// configure() receives and what lands in state.

jest.setTimeout(15 * 60_000);

const fixtureDir = path.join(__dirname, "fixtures/engine-probe");
const fixtureFiles = (): Record<string, string> =>
  Object.fromEntries(["Pulumi.yaml", "program/package.json", "program/index.js"].map((f) => [f, fs.readFileSync(path.join(fixtureDir, f), "utf8")]));

describe("the real pulumi engine with a dynamic provider", () => {
  const token = `sss_probe_${crypto.randomBytes(12).toString("hex")}`;
  let project: PulumiProject;

  beforeAll(async () => {
    project = await PulumiProject.fromFiles("engine-probe", fixtureFiles(), {
      config: { "anyscale:host": "http://127.0.0.1:9", "probe:note": "one", "other:plain": "x" },
      secrets: { "anyscale:token": token },
    });
  });

  afterAll(() => tearDownStacks(project));

  test("preview of a new stack plans a create", async () => {
    const preview = await project.preview();
    expect(preview.code).toBe(0);
    expect(stepsFor(preview, "probe").map((s) => s.op)).toEqual(["create"]);
  });

  test("up creates; configure() receives the stack config with secrets unwrapped", async () => {
    await project.up();
    const outputs = await project.outputs();
    expect(outputs.label).toBe("first");
    expect(outputs.tokenDigest).toBe(crypto.createHash("sha256").update(token).digest("hex"));
    expect(outputs.configKeys).toEqual(expect.arrayContaining(["anyscale:host", "anyscale:token"]));
    // Relative paths in inputs must mean the same in the program and in the provider.
    expect(outputs.pluginCwd).toBe(outputs.programCwd);
    process.stdout.write(`[e2e] config keys reaching a dynamic provider's configure(): ${JSON.stringify(outputs.configKeys)}\n`);
  });

  test("stack export holds no plaintext token", async () => {
    const { text, deployment } = await project.exportStack();
    expect(text).not.toContain(token);
    const probe = deployment.deployment.resources.find((r: any) => r.urn.endsWith("::probe"));
    process.stdout.write(`[e2e] probe resource state: ${JSON.stringify(probe).length} bytes (provider inlined by value)\n`);
  });

  test("invalid input fails in preview naming the field", async () => {
    await project.setConfig("probe:label", "");
    const preview = await project.preview({ allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/label/);
    expect(preview.stdout + preview.stderr).toMatch(/non-empty string/);
    await project.pulumi(["config", "rm", "probe:label", "--stack", project.stack]);
  });

  test("a replace-on-change field shows a replacement in preview", async () => {
    await project.setConfig("probe:label", "second");
    const preview = await project.preview();
    expect(stepsFor(preview, "probe").map((s) => s.op)).toEqual(expect.arrayContaining(["replace"]));
    await project.pulumi(["config", "rm", "probe:label", "--stack", project.stack]);
  });

  test("an in-place change is an update", async () => {
    await project.setConfig("probe:note", "two");
    const preview = await project.preview();
    expect(stepsFor(preview, "probe").map((s) => s.op)).toEqual(["update"]);
    await project.up();
  });

  test("refresh and destroy run clean", async () => {
    const refreshed = await project.refresh();
    expect(refreshed.code).toBe(0);
    const destroyed = await project.destroy();
    expect(destroyed.code).toBe(0);
    const { deployment } = await project.exportStack();
    expect((deployment.deployment.resources ?? []).filter((r: any) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
