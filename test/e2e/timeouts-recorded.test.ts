import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { tearDownStacks } from "../helpers/e2e-teardown";

// A change of customTimeouts alone, with the real `pulumi` CLI: the engine keeps a resource's old
// outputs on an unchanged step and delete reads its timeout from them, so the change must be an
// update to reach the state. Here it is: preview shows an update, `up` records the new delete timeout
// in the outputs, and the platform sees nothing new (the same job, no second submission).

jest.setTimeout(10 * 60_000);

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const config = new pulumi.Config();
const customTimeouts = { delete: config.get("deleteTimeout") || "10m" };
const job = new anyscale.Job("job", { name: "e2e-timeouts-job", entrypoint: "echo recorded", maxRetries: 0 }, { customTimeouts });
const queue = new anyscale.JobQueue("queue", { name: "e2e-timeouts-queue", idleTimeoutS: 60 }, { customTimeouts });
exports.jobId = job.id;
exports.queueId = queue.id;
`;

/** The outputs of the one resource whose type ends so (the dynamic type is pulumi-nodejs:dynamic/anyscale:Job). */
function outputsOf(state: any, type: string): any {
  return state.deployment.resources.find((resource: any) => String(resource.type).endsWith(type)).outputs;
}

describe("customTimeouts changed alone reach the state", () => {
  let plane: TestPlane;
  let project: PulumiProject;

  beforeAll(async () => {
    plane = await startTestPlane();
    project = await PulumiProject.fromFiles(
      "timeouts-recorded",
      { "Pulumi.yaml": "name: timeouts-recorded\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": PROGRAM },
      { config: { "anyscale:host": plane.url }, secrets: { "anyscale:token": plane.token }, env: { ANYSCALE_POLL_INTERVAL_MS: "50" } },
    );
  });

  afterAll(() => tearDownStacks(project, plane));

  test("a new delete timeout is an update that sends nothing, and the state holds it", async () => {
    await project.up();
    const first = await project.outputs();
    let state = (await project.exportStack()).deployment;
    expect(outputsOf(state, "anyscale:Job").timeouts).toEqual({ delete: "10m" });

    await project.setConfig("deleteTimeout", "45m");
    const preview = await project.preview();
    const ops = Object.fromEntries(preview.steps.filter((step: any) => /Job|JobQueue/.test(step.urn)).map((step: any) => [step.urn.split("::").pop(), step.op]));
    expect(ops).toEqual({ job: "update", queue: "update" });

    await api(plane).del("/_local/requests");
    await project.up();
    state = (await project.exportStack()).deployment;
    expect(outputsOf(state, "anyscale:Job").timeouts).toEqual({ delete: "45m" });
    expect(outputsOf(state, "anyscale:JobQueue").timeouts).toEqual({ delete: "45m" });
    expect(await project.outputs()).toEqual(first);
    const writes = (await api(plane).get("/_local/requests")).body.filter((r: any) => r.method !== "GET" && !r.path.endsWith("/search"));
    expect(writes).toEqual([]);
  });
});
