import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiProject, stepsFor } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { describeRun, runAnyscaleCli } from "../helpers/anyscale-cli";
import { assertNoSecretsInState } from "./state-checks";
import { tearDownStacks } from "../helpers/e2e-teardown";

// ComputeConfig and ContainerImage with the real `pulumi` CLI against the local control plane: a
// Service on the config's ref and the image, a Job on the image; a config change registers the next
// version and rolls the service out; a containerfile edit builds the next image version; a failed
// build shows its log; bad input stops preview; the official CLI reads what the program made.

jest.setTimeout(20 * 60_000);

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const config = new pulumi.Config();
const cc = new anyscale.ComputeConfig("cc", {
  name: "e2e-cc",
  headNode: { instanceType: "m5.large" },
  workerNodes: [{ instanceType: config.get("workerType") || "m5.xlarge", minNodes: 0, maxNodes: 2 }],
});
const image = new anyscale.ContainerImage("img", { name: "e2e-img", containerfile: "Containerfile" });
const service = new anyscale.Service("svc", {
  name: "e2e-cc-svc",
  computeConfig: cc.ref,
  imageUri: image.imageUri,
  applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }],
});
const job = new anyscale.Job("job", { name: "e2e-img-job", entrypoint: "echo on-image", imageUri: image.imageUri, maxRetries: 0 });
if (config.get("badNodes")) {
  new anyscale.ComputeConfig("bad", { workerNodes: [{ instanceType: "m5.large", minNodes: 3, maxNodes: 1 }] });
}
if (config.get("brokenImage")) {
  new anyscale.ContainerImage("broken", { name: "e2e-broken", containerfile: "Containerfile" });
}
exports.ref = cc.ref;
exports.computeConfigId = cc.computeConfigId;
exports.imageUri = image.imageUri;
exports.buildState = image.buildState;
exports.serviceId = service.id;
exports.jobState = job.state;
`;

describe("ComputeConfig and ContainerImage with the real pulumi CLI", () => {
  let plane: TestPlane;
  let project: PulumiProject;
  const a = () => api(plane);

  beforeAll(async () => {
    plane = await startTestPlane({ buildMs: 300 });
    project = await PulumiProject.fromFiles(
      "images-compute-configs",
      {
        "Pulumi.yaml": "name: images-compute-configs\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
        "index.js": PROGRAM,
        Containerfile: "FROM anyscale/ray:2.49.0-py311\nRUN pip install emoji\n",
      },
      { config: { "anyscale:host": plane.url }, secrets: { "anyscale:token": plane.token }, env: { ANYSCALE_POLL_INTERVAL_MS: "50" } },
    );
  });

  afterAll(() => tearDownStacks(project, plane));

  test("up registers the config, builds the image, deploys the service and runs the job on them", async () => {
    await project.up();
    const outputs = await project.outputs();
    expect(outputs).toMatchObject({ ref: "e2e-cc:1", imageUri: "anyscale/image/e2e-img:1", buildState: "succeeded", jobState: "SUCCEEDED" });
    const live = (await a().get(`/api/v2/services-v2/${outputs.serviceId}`)).body.result;
    expect(live.primary_version.compute_config_id).toBe(outputs.computeConfigId);
    const { text } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token });
  });

  test("the official CLI reads the config and the image the program made", async () => {
    const config = await runAnyscaleCli(plane, ["compute-config", "get", "-n", "e2e-cc"]);
    expect(describeRun(["compute-config", "get"], config)).toContain("exit 0");
    expect(config.stdout).toContain("name: e2e-cc:1");
    const image = await runAnyscaleCli(plane, ["image", "get", "-n", "e2e-img"]);
    expect(image.code).toBe(0);
    expect(image.stdout).toContain("e2e-img");
  });

  test("a config change registers version 2 and rolls the service out onto it; the old version is archived", async () => {
    const before = await project.outputs();
    await project.setConfig("workerType", "m5.2xlarge");
    const preview = await project.preview();
    expect(stepsFor(preview, "cc").map((s) => s.op)).toEqual(["replace"]);
    await project.up();
    const after = await project.outputs();
    expect(after.ref).toBe("e2e-cc:2");
    const live = (await a().get(`/api/v2/services-v2/${after.serviceId}`)).body.result;
    expect(live.primary_version.compute_config_id).toBe(after.computeConfigId);
    const old = (await a().get(`/api/v2/compute_templates/${before.computeConfigId}`)).body.result;
    expect(old.archived_at).toEqual(expect.any(String));
  });

  test("a containerfile edit builds version 2 of the image and the service and job follow", async () => {
    fs.writeFileSync(path.join(project.dir, "Containerfile"), "FROM anyscale/ray:2.49.0-py311\nRUN pip install emoji==2.0\n");
    const preview = await project.preview();
    expect(stepsFor(preview, "img").map((s) => s.op)).toEqual(["update"]);
    await project.up();
    expect(await project.outputs()).toMatchObject({ imageUri: "anyscale/image/e2e-img:2", jobState: "SUCCEEDED" });
  });

  test("bad input stops preview at check, naming the field", async () => {
    await project.setConfig("badNodes", "true");
    const preview = await project.preview({ allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(JSON.stringify(preview.diagnostics ?? preview.stdout)).toContain("workerNodes[0].maxNodes");
    await project.pulumi(["config", "rm", "badNodes", "--stack", project.stack]);
  });

  test("a failed build fails the up with the build log", async () => {
    await a().post("/_local/images/e2e-broken/next-build-fails", { reason: "RUN pip install emoji: exit code 1" });
    await project.setConfig("brokenImage", "true");
    const up = await project.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toContain("Step 2/2 : RUN pip install emoji");
    expect(up.stdout + up.stderr).toContain("RUN pip install emoji: exit code 1");
    expect(up.stdout + up.stderr).not.toContain(plane.token);
    await project.pulumi(["config", "rm", "brokenImage", "--stack", project.stack]);
  });
});
