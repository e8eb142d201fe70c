import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiProject, stepsFor } from "../helpers/pulumi";
import { startTestPlane, type TestPlane } from "../helpers/local-plane";
import { tearDownStacks } from "../helpers/e2e-teardown";
import { assertNoSecretsInState } from "./state-checks";
import { ENV, infoLines, TIMINGS, V1, V2 } from "./native-support";
import { assertNoSecretIn, pluginArchive } from "./packaging-support";

// TypeScript's two paths: the dynamic class (zero install) keeps the query token out of the
// `--event-log` file, and a program moves from it to the typed native SDK (`pulumi-anyscale/native`,
// generated from the schema) with `aliases` and no replacement, then gets the native host's plan
// line in preview and progress in up.

jest.setTimeout(20 * 60_000);

const PULUMI_YAML = "name: pkg-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n";
const APPS = `[{ name: "default", import_path: "main:app", route_prefix: "/" }]`;

const DYNAMIC = `const anyscale = require("pulumi-anyscale");
const api = new anyscale.Service("api", { name: "pkg-ts-api", imageUri: "${V1}", applications: ${APPS} });
exports.serviceId = api.serviceId;
exports.queryAuthToken = api.queryAuthToken;
`;

const native = (image: string, canary?: number) => `const anyscale = require("pulumi-anyscale/native");
const api = new anyscale.Service("api", {
  name: "pkg-ts-api",
  imageUri: "${image}",
  applications: ${APPS},
  ${canary !== undefined ? `rollout: { canaryPercent: ${canary} },` : ""}
}, { aliases: [{ type: "pulumi-nodejs:dynamic/anyscale:Service" }] });
exports.serviceId = api.serviceId;
exports.queryAuthToken = api.queryAuthToken;
exports.canaryVersion = api.canaryVersion;
`;

describe("TypeScript: the dynamic class, then the typed native SDK through aliases", () => {
  let plane: TestPlane;
  let project: PulumiProject;
  const eventLogs: Record<string, string> = {};

  async function withEventLog(label: string, args: string[]) {
    const file = path.join(project.dir, `${label}.events.jsonl`);
    const result = await project.pulumi([...args, "--stack", project.stack, "--event-log", file], { env: { PULUMI_DEBUG_COMMANDS: "true" } });
    eventLogs[`${label} event log`] = fs.readFileSync(file, "utf8");
    return result;
  }

  beforeAll(async () => {
    plane = await startTestPlane(TIMINGS);
    const { archive, version } = await pluginArchive();
    project = await PulumiProject.fromFiles("pkg-ts", { "Pulumi.yaml": PULUMI_YAML, "index.js": DYNAMIC }, {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: ENV,
    });
    await project.pulumi(["plugin", "install", "resource", "anyscale", version, "--file", archive]);
  });

  afterAll(() => tearDownStacks(project, plane));

  test("the dynamic class: no token in the event log at default verbosity", async () => {
    await withEventLog("dynamic-up", ["up", "--yes", "--skip-preview"]);
    const { queryAuthToken } = await project.outputs({ showSecrets: true });
    expect(typeof queryAuthToken).toBe("string");
    // The SDK's debug line is still there, without the values.
    expect(eventLogs["dynamic-up event log"]).toMatch(/RegisterResource RPC finished: resource:api.*RegisterResourceResponse\{urn=/);
    assertNoSecretIn(eventLogs, { "Anyscale token": plane.token, "query auth token": queryAuthToken });
  });

  test("moving to pulumi-anyscale/native with aliases replaces nothing and keeps the service", async () => {
    const { serviceId } = await project.outputs();
    project.writeFile("index.js", native(V1));
    const preview = await project.preview();
    const ops = stepsFor(preview, "api").map((step) => step.op);
    expect(ops).not.toContain("replace");
    expect(ops).not.toContain("create");
    expect(ops).not.toContain("create-replacement");
    await withEventLog("native-up", ["up", "--yes", "--skip-preview"]);
    const { text, deployment } = await project.exportStack();
    const api = deployment.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::api"));
    expect(api.type).toBe("anyscale:index:Service");
    expect(api.id).toBe(serviceId);
    expect((await project.outputs()).serviceId).toBe(serviceId);
    const { queryAuthToken } = await project.outputs({ showSecrets: true });
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": queryAuthToken });
  });

  test("on the native SDK: a plan line in preview, progress in up, no token anywhere", async () => {
    project.writeFile("index.js", native(V2, 25));
    const preview = await project.preview();
    expect(infoLines(preview)[0]).toMatch(/^rollout: new version \(imageUri changed\), held at 25% of traffic/);
    const up = await withEventLog("native-canary", ["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/api updating \(\d+s\)/);
    expect((await project.outputs()).canaryVersion.weight).toBe(25);
    const { queryAuthToken } = await project.outputs({ showSecrets: true });
    assertNoSecretIn(eventLogs, { "Anyscale token": plane.token, "query auth token": queryAuthToken });
  });
});
