import * as fs from "node:fs";
import * as path from "node:path";
import { request } from "undici";
import { defaultRayPython } from "../../local/ray";
import { api, startTestPlane, waitUntil, type TestPlane } from "../helpers/local-plane";
import { PulumiProject } from "../helpers/pulumi";
import { serveApplications, startPlaneProcess, startRayHead } from "../helpers/ray-cluster";
import { tearDownStacks } from "../helpers/e2e-teardown";
import { assertNoSecretsInState } from "./state-checks";

// The plane's Ray runtime with the real CLI: the user's own Serve apps answer on the query URL, and
// their real failures (a wrong import path, a regression under traffic) fail the up and roll back.
// Ray is slow on 2 cores, so one plane + cluster serves the whole file, and one more cluster, started
// apart with `ray start`, proves --ray-address.

jest.setTimeout(20 * 60_000);

const rayPython = process.env.RAY_BIN ? path.join(process.env.RAY_BIN, "python") : defaultRayPython();
// scripts/test.sh installs Ray (and exports RAY_BIN): there a missing Ray is a failure, not a skip.
const describeRay = fs.existsSync(rayPython) || process.env.RAY_BIN ? describe : describe.skip;

const SERVE_APP = (answer: string) => `from ray import serve


@serve.deployment
class Answer:
    def __call__(self, request) -> str:
        return "${answer}"


app = Answer.bind()
`;

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const config = new pulumi.Config();
const generation = config.get("generation") || "1";
const service = new anyscale.Service("svc", {
  name: config.require("serviceName"),
  versionName: "g" + generation,
  imageUri: "anyscale/ray:2.48.0-py311",
  workingDir: "app-" + (config.get("appDir") || generation),
  applications: [{ name: "answer", import_path: config.get("importPath") || "main:app", route_prefix: "/" }],
  rollout: { canaryPercent: config.getNumber("canaryPercent") },
});
exports.queryUrl = service.queryUrl;
exports.queryAuthToken = service.queryAuthToken;
exports.serviceId = service.id;
`;

const serviceFiles = (name: string): Record<string, string> => ({
  "Pulumi.yaml": `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`,
  "index.js": PROGRAM,
  "app-1/main.py": SERVE_APP("answer from g1"),
  "app-2/main.py": SERVE_APP("answer from g2"),
});

async function ask(outputs: Record<string, any>, suffix = ""): Promise<{ status: number; text: string }> {
  const res = await request(`${outputs.queryUrl}${suffix}`, { headers: { authorization: `Bearer ${outputs.queryAuthToken}` } });
  return { status: res.statusCode, text: await res.body.text() };
}

describeRay("the local plane's Ray runtime (real CLI)", () => {
  let plane: TestPlane;
  const projects: PulumiProject[] = [];
  const project = async (make: () => Promise<PulumiProject>) => {
    const p = await make();
    projects.push(p);
    return p;
  };
  const options = () => ({ config: { "anyscale:host": plane.url }, secrets: { "anyscale:token": plane.token }, env: { ANYSCALE_POLL_INTERVAL_MS: "200" } });

  beforeAll(async () => {
    plane = await startTestPlane({ runtime: "ray", ray: { python: rayPython }, startupMs: 200, rolloutStepMs: 100 });
  });
  afterAll(() => tearDownStacks(projects, plane));

  test("the quickstart's query URL answers with its own app's text, with the token; its job runs on Ray", async () => {
    const quickstart = await project(() => PulumiProject.fromExample("quickstart", { ...options(), config: { ...options().config, serviceName: "ray-quickstart", jobName: "ray-quickstart-job" } }));
    await quickstart.up();
    const outputs = await quickstart.outputs({ showSecrets: true });
    expect(outputs.jobState).toBe("SUCCEEDED");
    expect(await ask(outputs, "/")).toEqual({ status: 200, text: "hello from an Anyscale service managed by Pulumi" });
    expect((await request(outputs.queryUrl)).statusCode).toBe(401);
    const { text } = await quickstart.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token, "query auth token": outputs.queryAuthToken });

    // Destroy terminates the service: its app is gone from Serve, the query URL has nothing to serve.
    await quickstart.destroy();
    expect((await ask(outputs, "/")).status).toBe(503);
    await waitUntil(async () => ((await planeServeApps(plane)).some((name) => name.includes("ray-quickstart")) ? undefined : true), { timeoutMs: 120_000, intervalMs: 1000, what: "the quickstart's Serve app to be deleted" });
  });

  test("a constructor that raises fails the first version's up with the exception Serve reports", async () => {
    const files = { ...serviceFiles("ray-crash"), "app-1/main.py": SERVE_APP("never").replace("class Answer:", "class Answer:\n    def __init__(self):\n        raise RuntimeError('model weights not found')\n") };
    const stack = await project(() => PulumiProject.fromFiles("ray-crash", files, { ...options(), config: { ...options().config, serviceName: "ray-crash" } }));
    const up = await stack.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/RuntimeError: model weights not found/);
    const live = (await api(plane).get(`/api/v2/services-v2?name=ray-crash`)).body.results[0];
    expect(live.current_state).toBe("USER_ERROR_FAILURE");
  });

  test("a wrong import_path fails the up with Serve's error while v1 keeps 100%; a 25% canary splits real answers", async () => {
    const stack = await project(() => PulumiProject.fromFiles("ray-canary", serviceFiles("ray-canary"), { ...options(), config: { ...options().config, serviceName: "ray-canary" } }));
    await stack.up();
    const outputs = await stack.outputs({ showSecrets: true });
    expect(await ask(outputs)).toEqual({ status: 200, text: "answer from g1" });

    await stack.setConfig("generation", "bad");
    await stack.setConfig("appDir", "2");
    await stack.setConfig("importPath", "no_such_module:app");
    const failed = await stack.up({ allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/ModuleNotFoundError: No module named 'no_such_module'/);
    const live = (await api(plane).get(`/api/v2/services-v2/${outputs.serviceId}`)).body.result;
    expect(live.primary_version).toMatchObject({ version: "g1", weight: 100 });
    expect(live.canary_version).toBeNull();
    for (let i = 0; i < 4; i++) expect((await ask(outputs)).text).toBe("answer from g1");

    await stack.setConfig("generation", "2");
    await stack.pulumi(["config", "rm", "importPath", "--stack", stack.stack]);
    await stack.pulumi(["config", "rm", "appDir", "--stack", stack.stack]);
    await stack.setConfig("canaryPercent", "25");
    await stack.up();
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push((await ask(outputs)).text);
    expect(answers.filter((a) => a === "answer from g2")).toHaveLength(5);
    expect(answers.filter((a) => a === "answer from g1")).toHaveLength(15);
  });

  test("rollout rehearsal: a v2 failing half its requests is stopped by the gate and rolled back", async () => {
    const rehearsal = await project(() => PulumiProject.fromExample("rollout-rehearsal", { ...options(), config: { ...options().config, serviceName: "ray-rehearsal" } }));
    await rehearsal.up();
    await rehearsal.setConfig("appVersion", "v2");
    const up = await rehearsal.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/step 1 \(25%\): canary success rate 0\.\d+ < 0\.95 \(95% CI [^)]*\d+ requests, ~\d+ to the canary at 25%; primary alone/);
    const outputs = await rehearsal.outputs({ showSecrets: true });
    const live = (await api(plane).get(`/api/v2/services-v2?name=ray-rehearsal`)).body.results[0];
    expect(live.primary_version).toMatchObject({ version: "v1", weight: 100 });
    expect(live.canary_version).toBeNull();
    expect(JSON.parse((await ask(outputs, "/score")).text)).toEqual({ version: "v1", score: 0.5 });
  });

  test("a job's entrypoint calls ray.init(), runs remote tasks on the plane's cluster and prints their result", async () => {
    const files = {
      "Pulumi.yaml": "name: ray-job\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
      "index.js": `const anyscale = require("pulumi-anyscale");
const job = new anyscale.Job("job", { name: "ray-e2e-job", entrypoint: "python job.py", workingDir: "job", waitFor: "succeeded" });
exports.jobId = job.id;
exports.jobState = job.state;
`,
      "job/job.py": "import ray\nray.init()\n\n@ray.remote\ndef square(x):\n    return x * x\n\nprint('squares on the cluster:', ray.get([square.remote(i) for i in range(5)]))\n",
    };
    const stack = await project(() => PulumiProject.fromFiles("ray-job", files, options()));
    await stack.up();
    const outputs = await stack.outputs();
    expect(outputs.jobState).toBe("SUCCEEDED");
    const logs = await jobLogs(plane, outputs.jobId);
    expect(logs).toContain("squares on the cluster: [0, 1, 4, 9, 16]");
    expect(logs).toContain(`Connecting to existing Ray cluster at address: ${plane.ray!.address}`);
  });

  test("--ray-address: services run on a Ray cluster started apart with `ray start`", async () => {
    const cluster = await startRayHead(rayPython);
    let other: { url: string; token: string; stop(): Promise<void> } | undefined;
    try {
      other = await startPlaneProcess(rayPython, ["--ray-address", cluster.address], cluster.env);
      const stack = await PulumiProject.fromFiles("ray-address", serviceFiles("ray-address"), { config: { "anyscale:host": other.url, serviceName: "ray-address-svc" }, secrets: { "anyscale:token": other.token }, env: { ANYSCALE_POLL_INTERVAL_MS: "200" } });
      try {
        await stack.up();
        expect(await ask(await stack.outputs({ showSecrets: true }))).toEqual({ status: 200, text: "answer from g1" });
        const serve = await serveApplications(cluster);
        expect(serve).toEqual([expect.stringMatching(/^alp[0-9a-f]{6}-ray-address-svc-g1-answer$/)]);
      } finally {
        await stack.destroy({ allowFailure: true });
        stack.remove();
      }
    } finally {
      await other?.stop();
      await cluster.stop();
    }
  });
});

/** The Serve applications on the plane's own cluster. */
function planeServeApps(plane: TestPlane): Promise<string[]> {
  return serveApplications({ address: plane.ray!.address, env: plane.ray!.driverEnv, python: rayPython });
}

/** A run's log as the SDK downloads it: chunk URLs from the plane, then each chunk without the token. */
async function jobLogs(plane: TestPlane, jobId: string): Promise<string> {
  const runs = await api(plane).post("/api/v2/decorated_ha_jobs/job_runs/search", { ha_job_ids: [jobId], max_runs_per_job: 10 });
  const run = runs.body.results[jobId].at(-1);
  const chunks = await api(plane).get(`/api/v2/logs/job_logs_download_v2/${run.id}?page_size=1000`);
  let text = "";
  for (const chunk of chunks.body.result.log_chunks) text += await (await request(chunk.chunk_url)).body.text();
  return text;
}
