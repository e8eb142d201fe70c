// The plane's Ray runtime over real HTTP: one plane with a real local Ray cluster for the whole file
// (Ray is slow to start on 2 cores). Service versions run under Ray Serve from their uploaded
// working dir; readiness and failures are Serve's; jobs reach the same cluster.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { startLocalControlPlane } from "../../local";
import { defaultRayPython } from "../../local/ray";
import { applyBody, planeDefaults, api, waitUntil, type PlaneDefaults } from "../helpers/local-plane";
import { jobBody, logsOf, runsOf, submit, uploadWorkingDir, waitForJob, type Plane } from "./local-jobs-harness";

const hasRay = fs.existsSync(defaultRayPython());
const describeRay = hasRay ? describe : describe.skip;
jest.setTimeout(300_000);

const APP = (text: string, extra = "") => `from ray import serve
${extra}
@serve.deployment
class App:
    def __call__(self, request) -> str:
        return "${text} " + request.url.path.rsplit("/", 1)[-1]

app = App.bind()
`;

describeRay("local plane with the Ray runtime", () => {
  let p: Plane;
  let d: PlaneDefaults;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-ray-"));

  beforeAll(async () => {
    const plane = await startLocalControlPlane({ dataDir, token: "sss_local_ray_test_token", startupMs: 50, rolloutStepMs: 30, jobStartupMs: 20, quiet: true, runtime: "ray" });
    p = {
      plane,
      dataDir,
      async api(method, urlPath, body) {
        const res = await request(`${plane.url}${urlPath}`, { method: method as any, headers: { authorization: `Bearer ${plane.token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.body.text();
        return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
      },
      restart: async () => undefined,
      stop: () => plane.stop(),
    };
    d = await planeDefaults(api(plane));
  });
  afterAll(async () => {
    await p?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const apply = async (name: string, workingDir: string, extra: Record<string, unknown> = {}, importPath = "main:app") => {
    const body = applyBody(d, name, extra, importPath) as any;
    body.ray_serve_config.applications[0].runtime_env = { working_dir: workingDir };
    const res = await p.api("PUT", "/api/v2/services-v2/apply", body);
    expect(res.status).toBe(202);
    return res.body.result;
  };
  const get = async (id: string) => (await p.api("GET", `/api/v2/services-v2/${id}`)).body.result;
  const query = async (service: any, suffix = "x") => {
    const res = await request(`${service.base_url}/${suffix}`, { headers: { authorization: `Bearer ${service.auth_token}` } });
    return { status: res.statusCode, text: await res.body.text() };
  };

  test("a version answers with its own app; a 25% canary splits real answers; a wrong import_path fails the canary with Serve's error", async () => {
    const v1 = await uploadWorkingDir(p, { "main.py": APP("v1 says") });
    const created = await apply("ray-svc", v1, { version: "one" });
    const running = await waitUntil(async () => ((await get(created.id)).current_state === "RUNNING" ? get(created.id) : undefined), { timeoutMs: 240_000, intervalMs: 500, what: "v1 RUNNING" });
    expect(await query(running, "hello")).toEqual({ status: 200, text: "v1 says hello" });
    expect((await request(`${running.base_url}/x`)).statusCode).toBe(401);

    const v2 = await uploadWorkingDir(p, { "main.py": APP("v2 says") });
    await apply("ray-svc", v2, { version: "two", canary_percent: 25 });
    await waitUntil(async () => {
      const s = await get(created.id);
      return s.canary_version?.current_state === "RUNNING" && s.canary_version?.weight === 25 ? s : undefined;
    }, { timeoutMs: 240_000, intervalMs: 500, what: "canary at 25%" });
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) answers.push((await query(running, "q")).text);
    expect(answers.filter((a) => a === "v2 says q")).toHaveLength(2);
    expect(answers.filter((a) => a === "v1 says q")).toHaveLength(6);

    // Completing the canary retires v1 and its application.
    await apply("ray-svc", v2, { version: "two" });
    await waitUntil(async () => ((await get(created.id)).current_state === "RUNNING" && !(await get(created.id)).canary_version ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, what: "v2 at 100%" });
    expect((await query(running, "z")).text).toBe("v2 says z");

    await apply("ray-svc", v2, { version: "three" }, "nope:app");
    const failed = await waitUntil(async () => {
      const s = await get(created.id);
      return s.current_state === "RUNNING" && !s.canary_version && /nope/.test(s.error_message ?? "") ? s : undefined;
    }, { timeoutMs: 240_000, intervalMs: 500, what: "the bad canary rolled back" });
    expect(failed.error_message).toMatch(/ModuleNotFoundError: No module named 'nope'/);
    expect(failed.primary_version.version).toBe("two");
    expect((await query(running, "after")).text).toBe("v2 says after");

    await p.api("POST", `/api/v2/services-v2/${created.id}/terminate`);
    await waitUntil(async () => ((await get(created.id)).current_state === "TERMINATED" ? true : undefined), { timeoutMs: 30_000, intervalMs: 200, what: "terminated" });
    expect((await query(running)).status).toBe(503);
  });

  test("a constructor that raises fails a first version with USER_ERROR_FAILURE and Serve's message", async () => {
    const bad = await uploadWorkingDir(p, { "main.py": APP("never", "") .replace("class App:", "class App:\n    def __init__(self):\n        raise RuntimeError('model file missing')\n") });
    const created = await apply("ray-crash", bad);
    const failed = await waitUntil(async () => ((await get(created.id)).current_state === "USER_ERROR_FAILURE" ? get(created.id) : undefined), { timeoutMs: 240_000, intervalMs: 500, what: "USER_ERROR_FAILURE" });
    expect(failed.error_message).toMatch(/model file missing/);
  });

  test("a job's entrypoint reaches the plane's cluster with ray.init() and runs a remote task", async () => {
    const script = `import ray\nray.init()\n@ray.remote\ndef square(x):\n    return x * x\nprint("squares:", ray.get([square.remote(i) for i in range(4)]))\n`;
    const workingDir = await uploadWorkingDir(p, { "job.py": script });
    const id = await submit(p, jobBody("ray-job", "python job.py", { config: { runtime_env: { working_dir: workingDir } } }));
    const job = await waitForJob(p, id, undefined, 2400);
    const [run] = await runsOf(p, id);
    const logs = await logsOf(p, run.id);
    expect({ state: job.state.current_state, logs }).toEqual({ state: "SUCCESS", logs: expect.stringContaining("squares: [0, 1, 4, 9]") });
    expect(logs).toContain(`Connecting to existing Ray cluster at address: ${p.plane.ray!.address}`);
  });
});
