import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { tearDownStacks } from "../helpers/e2e-teardown";
import { assertNoSecretsInState, resourcesOf } from "./state-checks";

// Canary-attributed gates and a rejected version that stays rejected, with the real CLI against the
// local plane (the TypeScript classes, i.e. the dynamic host): a v2 failing half its answers is
// stopped at the first step of [10, 50, 100] with the canary's own rate near 0.5; the stack records
// the rejection and the query token (as a secret) with the failure; the next preview and up change
// nothing and say why; refresh then `preview --expect-no-changes` passes; a manual pause is released
// with ANYSCALE_PROMOTE and no program change.

jest.setTimeout(20 * 60_000);

const SERVICE = "rejection-svc";
const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const config = new pulumi.Config();
const generation = config.get("generation") || "1";
const json = (key) => (config.get(key) ? JSON.parse(config.get(key)) : undefined);
const service = new anyscale.Service("svc", {
  name: "${SERVICE}",
  versionName: "g" + generation,
  imageUri: "anyscale/ray:2.48.0-py311",
  applications: [{ name: "app", import_path: "main:app", route_prefix: "/", runtime_env: { env_vars: { GENERATION: generation } } }],
  rollout: { steps: json("steps"), healthCheck: json("healthCheck") },
});
exports.serviceId = service.id;
exports.rolloutStatus = service.rolloutStatus;
`;

describe("canary gates and rejection (real CLI)", () => {
  let plane: TestPlane;
  let project: PulumiProject;
  let serviceId: string;
  const a = () => api(plane);
  const live = async () => (await a().get(`/api/v2/services-v2/${serviceId}`)).body.result;
  const versionCount = async () => (await a().get(`/api/v2/services-v2/${serviceId}/versions?count=50`)).body.results.length;
  const recorded = async () => {
    const { deployment, text } = await project.exportStack();
    const svc = resourcesOf(deployment).find((r) => r.urn.endsWith("::svc"))!;
    return { outputs: svc.outputs as any, text };
  };

  beforeAll(async () => {
    plane = await startTestPlane({ startupMs: 500, rolloutStepMs: 50 });
    project = await PulumiProject.fromFiles("rejection", { "Pulumi.yaml": "name: rejection\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": PROGRAM }, {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50" },
    });
    await project.up();
    serviceId = (await project.outputs()).serviceId;
  });

  afterAll(() => tearDownStacks(project, plane));

  test("a v2 failing 50% is stopped at step 1 of [10, 50, 100]; the same program is then not rolled out again, and says why", async () => {
    await a().post(`/_local/services/${SERVICE}/query-faults`, { version: "g2", errorRate: 0.5 });
    await project.setConfig("generation", "2");
    await project.setConfig("steps", JSON.stringify([{ percent: 10, pause: "1s" }, { percent: 50, pause: "1s" }, { percent: 100 }]));
    await project.setConfig("healthCheck", JSON.stringify({ minSuccessRate: 0.99 }));
    const failed = await project.up({ allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/step 1 \(10%\): canary success rate 0\.[45]\d < 0\.99 \(95% CI/);
    const service = await live();
    expect(service.primary_version.version).toBe("g1");
    expect(service.canary_version ?? null).toBeNull();

    const { outputs, text } = await recorded();
    expect(outputs.rolloutStatus).toMatchObject({ phase: "rolledBack", step: 1, percent: 10, rejected: { versionName: "g2", step: 1, percent: 10 } });
    expect(outputs.rolloutStatus.lastGate.canary.successRate).toBeGreaterThan(0.35);
    expect(outputs.rolloutStatus.lastGate.canary.successRate).toBeLessThan(0.65);
    // The query token is recorded with the failure, encrypted.
    expect(outputs.queryAuthToken).toHaveProperty("ciphertext");
    assertNoSecretsInState(text, { "query auth token": service.auth_token });

    // The engine always runs an update for a resource its last operation left with init errors; that
    // update rolls nothing out, succeeds, and says why.
    const count = await versionCount();
    const again = await project.up({ allowFailure: true });
    if (again.code !== 0) throw new Error(`up after the rejection failed:\n${again.stdout.slice(-4000)}\n${again.stderr.slice(-2000)}`);
    expect(again.stdout + again.stderr).toContain("no rollout: g2 was rejected at step 1 (10%): canary success rate");
    expect(again.stdout + again.stderr).toContain("set `rollout.retryRejected`");
    expect(await versionCount()).toBe(count);
    expect((await live()).primary_version.version).toBe("g1");
    const preview = await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack], { allowFailure: true });
    if (preview.code !== 0) throw new Error(`preview found changes:\n${preview.stdout.slice(-4000)}\n${preview.stderr.slice(-2000)}`);
    expect(preview.stdout + preview.stderr).toContain("no rollout: g2 was rejected");

    const refresh = await project.refresh({ allowFailure: true });
    expect(refresh.code).toBe(0);
    const clean = await project.pulumi(["preview", "--expect-no-changes", "--stack", project.stack], { allowFailure: true });
    if (clean.code !== 0) throw new Error(`preview after refresh found changes:\n${clean.stdout.slice(-3000)}`);
  });

  test("a manual pause is released without a program change", async () => {
    await project.setConfig("generation", "3");
    await project.setConfig("steps", JSON.stringify([{ percent: 30, pause: "manual" }, { percent: 100 }]));
    await project.pulumi(["config", "rm", "healthCheck", "--stack", project.stack], { allowFailure: true });
    const held = await project.up({ allowFailure: true });
    expect(held.code).toBe(0);
    expect((await live()).canary_version).toMatchObject({ version: "g3", weight: 30 });
    const count = await versionCount();

    const released = await project.up({ allowFailure: true, env: { ANYSCALE_PROMOTE: SERVICE } });
    if (released.code !== 0) throw new Error(`release failed:\n${released.stdout.slice(-3000)}\n${released.stderr.slice(-2000)}`);
    const service = await live();
    expect(service.primary_version).toMatchObject({ version: "g3", weight: 100 });
    expect(service.canary_version ?? null).toBeNull();
    expect((await recorded()).outputs.rolloutStatus.phase).toBe("completed");
    expect(await versionCount()).toBe(count);
  });

  test("a v2 400 ms slower is stopped at 5%", async () => {
    await a().post(`/_local/services/${SERVICE}/query-faults`, { version: "g4", latencyMs: 400 });
    await project.setConfig("generation", "4");
    await project.setConfig("steps", JSON.stringify([{ percent: 5, pause: "1s" }, { percent: 100 }]));
    await project.setConfig("healthCheck", JSON.stringify({ maxP95LatencyMs: 250 }));
    const up = await project.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/step 1 \(5%\): canary p95 latency 4\d\dms > 250ms/);
    expect((await live()).primary_version.version).toBe("g3");
  });

  test("a golden-set check stops a v2 that answers the wrong value with 200", async () => {
    await a().post(`/_local/services/${SERVICE}/query-faults`, { version: "g5", answer: { application: "wrong" } });
    await project.setConfig("generation", "5");
    await project.setConfig("steps", JSON.stringify([{ percent: 10, pause: "1s" }, { percent: 50, pause: "1s" }, { percent: 100 }]));
    await project.setConfig("healthCheck", JSON.stringify({ golden: [{ path: "/predict", method: "POST", body: "{}", jsonPath: "$.application", equals: "app" }] }));
    const up = await project.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/step 1 \(10%\): canary success rate 0\.0\d < 0\.99/);
    expect((await live()).primary_version.version).toBe("g3");
    expect((await recorded()).outputs.rolloutStatus.rejected.versionName).toBe("g5");
  });

  test("one failed probe of the primary does not fail a gate with failureLimit 2", async () => {
    // The primary (g3) fails its 334th answer only: inside the second of three measurements of 200.
    await a().post(`/_local/services/${SERVICE}/query-faults`, { version: "g3", errorRate: 0.003 });
    await project.setConfig("generation", "6");
    await project.setConfig("steps", JSON.stringify([{ percent: 10, pause: "1s" }, { percent: 100 }]));
    await project.setConfig("healthCheck", JSON.stringify({ measurements: 3, failureLimit: 2 }));
    const up = await project.up({ allowFailure: true });
    if (up.code !== 0) throw new Error(`up failed:\n${up.stdout.slice(-3000)}\n${up.stderr.slice(-2000)}`);
    expect((await live()).primary_version).toMatchObject({ version: "g6", weight: 100 });
    expect((await recorded()).outputs.rolloutStatus).toMatchObject({ phase: "completed", lastGate: { passed: true, measurements: { planned: 3, taken: 3, notPassed: 1 } } });
  });
});
