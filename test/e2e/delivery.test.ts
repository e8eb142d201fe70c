import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, waitUntil, type TestPlane } from "../helpers/local-plane";
import { startUpInOwnGroup } from "../fixtures/reliability/killable-pulumi";
import { tearDownStacks } from "../helpers/e2e-teardown";
import { assertNoSecretsInState, resourcesOf } from "./state-checks";

// Progressive delivery with the real CLI against the local plane: gated step schedules probing the
// plane's query URL (whose per-version faults fail or slow one version through the real weight
// routing), rollback on a failed gate or a missed progress deadline, a manual pause, and an up
// killed mid-schedule that the next up resumes without a new version. One service throughout; each
// generation is its own version name, so faults can be armed for it before the up.

jest.setTimeout(20 * 60_000);

const SERVICE = "delivery-svc";
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
  rollout: { steps: json("steps"), healthCheck: json("healthCheck"), progressDeadline: config.get("progressDeadline") },
});
exports.serviceId = service.id;
exports.primaryVersion = service.primaryVersion;
exports.canaryVersion = service.canaryVersion;
exports.rolloutStatus = service.rolloutStatus;
`;

const GATED_STEPS = JSON.stringify([{ percent: 20, pause: "1s" }, { percent: 50, pause: "1s" }, { percent: 100 }]);

describe("progressive delivery (real CLI)", () => {
  let plane: TestPlane;
  let project: PulumiProject;
  let serviceId: string;
  const a = () => api(plane);
  const live = async () => (await a().get(`/api/v2/services-v2/${serviceId}`)).body.result;
  const versionCount = async () => (await a().get(`/api/v2/services-v2/${serviceId}/versions?count=50`)).body.results.length;

  beforeAll(async () => {
    plane = await startTestPlane({ startupMs: 500, rolloutStepMs: 50 });
    project = await PulumiProject.fromFiles("delivery", { "Pulumi.yaml": "name: delivery\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": PROGRAM }, {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50" },
    });
    await project.up();
    serviceId = (await project.outputs()).serviceId;
  });

  afterAll(() => tearDownStacks(project, plane));

  /** The service as state records it equals the platform (no refresh needed: every outcome writes it). */
  async function expectStateMatchesPlatform(): Promise<any> {
    const service = await live();
    const { deployment, text } = await project.exportStack();
    const inState = resourcesOf(deployment).filter((r) => r.urn.endsWith("::svc"));
    expect(inState).toHaveLength(1);
    const outputs = inState[0].outputs as any;
    expect(outputs.primaryVersion?.id).toBe(service.primary_version.id);
    expect(outputs.canaryVersion?.id ?? null).toBe(service.canary_version?.id ?? null);
    assertNoSecretsInState(text, { "query auth token": service.auth_token });
    return { service, outputs };
  }

  async function upFor(generation: string, config: Record<string, string | undefined>) {
    await project.setConfig("generation", generation);
    for (const [key, value] of Object.entries(config)) {
      if (value === undefined) await project.pulumi(["config", "rm", key, "--stack", project.stack], { allowFailure: true });
      else await project.setConfig(key, value);
    }
    return project.up({ allowFailure: true });
  }

  test("a good version passes a 3-step gated schedule and ends primary at 100%", async () => {
    const up = await upFor("2", { steps: GATED_STEPS, healthCheck: JSON.stringify({ requests: 10, minSuccessRate: 0.99, maxP95LatencyMs: 2000 }) });
    expect(up.code).toBe(0);
    const { service, outputs } = await expectStateMatchesPlatform();
    expect(service.primary_version).toMatchObject({ version: "g2", weight: 100 });
    expect(service.canary_version ?? null).toBeNull();
    expect(outputs.rolloutStatus).toMatchObject({ phase: "completed", step: 3, steps: 3, percent: 100, lastGate: { step: 2, percent: 50, passed: true, requests: 40 } });
  });

  test("a version failing 50% of its queries is stopped at the first gate; the old version serves 100%", async () => {
    await a().post(`/_local/services/${SERVICE}/query-faults`, { version: "g3", errorRate: 0.5 });
    const count = await versionCount();
    const up = await upFor("3", {});
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/step 1 \(20%\): canary success rate 0\.\d\d < 0\.99 \(95% CI/);
    const { service, outputs } = await expectStateMatchesPlatform();
    expect(service.primary_version).toMatchObject({ version: "g2", weight: 100 });
    expect(service.canary_version ?? null).toBeNull();
    expect(outputs.rolloutStatus).toMatchObject({ phase: "rolledBack", step: 1, lastGate: { passed: false } });
    expect(await versionCount()).toBe(count + 1);
    expect(up.stdout + up.stderr).not.toContain(service.auth_token);
  });

  test("a slow version fails the latency gate", async () => {
    await a().post(`/_local/services/${SERVICE}/query-faults`, { version: "g4", latencyMs: 400 });
    const up = await upFor("4", { healthCheck: JSON.stringify({ requests: 10, minSuccessRate: 0.99, maxP95LatencyMs: 200 }) });
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/step 1 \(20%\): canary p95 latency \d+ms > 200ms/);
    const { service } = await expectStateMatchesPlatform();
    expect(service.primary_version.version).toBe("g2");
  });

  test("a manual pause holds; the next up (with the pause lifted) completes it", async () => {
    const held = await upFor("5", { steps: JSON.stringify([{ percent: 30, pause: "manual" }, { percent: 100 }]), healthCheck: undefined });
    expect(held.code).toBe(0);
    const first = await expectStateMatchesPlatform();
    expect(first.service.canary_version).toMatchObject({ version: "g5", weight: 30 });
    expect(first.outputs.rolloutStatus).toMatchObject({ phase: "paused", step: 1, percent: 30 });
    const count = await versionCount();

    const done = await upFor("5", { steps: JSON.stringify([{ percent: 30 }, { percent: 100 }]) });
    expect(done.code).toBe(0);
    const { service, outputs } = await expectStateMatchesPlatform();
    expect(service.primary_version).toMatchObject({ id: first.service.canary_version.id, weight: 100 });
    expect(outputs.rolloutStatus.phase).toBe("completed");
    expect(await versionCount()).toBe(count);
  });

  test("an up killed mid-schedule resumes from the platform's step without a new version", async () => {
    await project.setConfig("steps", JSON.stringify([{ percent: 20, pause: "20s" }, { percent: 100 }]));
    await project.setConfig("generation", "6");
    const run = startUpInOwnGroup(project);
    const atStep = await waitUntil(async () => {
      const service = await live();
      return service.canary_version?.version === "g6" && service.canary_version.weight === 20 ? service : undefined;
    }, { timeoutMs: 180_000, intervalMs: 50, what: "the canary to reach its first step" });
    await run.killGroup();
    const count = await versionCount();

    // What Pulumi documents after an interrupted update: cancel the dead run's lock, refresh, up again.
    await project.pulumi(["cancel", "--yes", "--stack", project.stack], { allowFailure: true });
    const refresh = await project.pulumi(["refresh", "--yes", "--skip-preview", "--clear-pending-creates", "--stack", project.stack], { allowFailure: true });
    expect(refresh.code).toBe(0);
    await project.setConfig("steps", JSON.stringify([{ percent: 20, pause: "1s" }, { percent: 100 }]));
    const up = await project.up({ allowFailure: true });
    if (up.code !== 0) throw new Error(`up after the kill failed:\n${up.stdout.slice(-3000)}\n${up.stderr.slice(-2000)}`);
    const { service } = await expectStateMatchesPlatform();
    expect(service.primary_version).toMatchObject({ id: atStep.canary_version.id, version: "g6", weight: 100 });
    expect(await versionCount()).toBe(count);
  });

  test("a stuck canary hits the progress deadline and is rolled back", async () => {
    await a().post(`/_local/services/${SERVICE}/next-version-fails`, { mode: "stuck" });
    const up = await upFor("7", { steps: JSON.stringify([{ percent: 20, pause: "1s" }, { percent: 100 }]), progressDeadline: "3s" });
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/step 1 of 2 \(20%\): the canary was not RUNNING at 20% within progressDeadline 3s; it stopped at 0% \(STARTING\)/);
    const { service, outputs } = await expectStateMatchesPlatform();
    expect(service.primary_version.version).toBe("g6");
    expect(service.canary_version ?? null).toBeNull();
    expect(outputs.rolloutStatus.phase).toBe("rolledBack");
  });
});
