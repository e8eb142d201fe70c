import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { fleetProgramFiles } from "../fixtures/reliability/fleet-program";
import { assertNoSecretsInState, resourcesOf } from "./state-checks";

// `pulumi up` creating, then updating, 20 Services and 20 Jobs while the control plane answers 20% of
// requests with 429 (Retry-After) / 500 / 502 / 503 / connection resets: every up succeeds, no job is
// submitted twice, nothing is missing from state, and state matches the platform.

jest.setTimeout(30 * 60_000);

const PREFIX = "rf";
const SERVICES = 20;
const JOBS = 20;
const FAULTS = { kinds: ["429", "500", "502", "503", "reset"], rate: 0.2, seed: 9, retryAfterS: 1 };

describe("reliability: transient faults during pulumi up (20 services + 20 jobs)", () => {
  let plane: TestPlane;
  let project: PulumiProject;

  beforeAll(async () => {
    plane = await startTestPlane();
    project = await PulumiProject.fromFiles("reliability-faults", fleetProgramFiles(PREFIX, { services: SERVICES, jobs: JOBS }), {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50" },
    });
  });

  afterAll(async () => {
    if (project) {
      await api(plane).del("/_local/faults");
      await project.destroy({ allowFailure: true });
      project.remove();
    }
    await plane?.stop();
  });

  async function jobsNamed(name: string): Promise<any[]> {
    const res = await api(plane).get(`/api/v2/decorated_ha_jobs?name=${encodeURIComponent(name)}&archive_status=ALL&count=50`);
    expect(res.status).toBe(200);
    return (res.body.results as any[]).filter((j) => j.name === name);
  }

  async function servicesNamed(name: string): Promise<any[]> {
    const res = await api(plane).get(`/api/v2/services-v2/?name=${encodeURIComponent(name)}&archive_status=ALL&count=50`);
    expect(res.status).toBe(200);
    return (res.body.results as any[]).filter((s) => s.name === name);
  }

  /** State and platform agree: every declared object is in state, exists once, and is the one in state. */
  async function expectStateMatchesPlatform(generation: number): Promise<void> {
    const { text, deployment } = await project.exportStack();
    assertNoSecretsInState(text, { "Anyscale token": plane.token });
    const resources = resourcesOf(deployment).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    expect(resources).toHaveLength(SERVICES + JOBS);
    expect(deployment.deployment.pending_operations ?? []).toEqual([]);
    for (let i = 0; i < SERVICES; i++) {
      const inState = resources.find((r) => r.urn.endsWith(`::svc-${i}`));
      expect(inState?.id).toBeTruthy();
      const live = (await servicesNamed(`${PREFIX}-svc-${i}`)).filter((s) => s.current_state !== "TERMINATED");
      expect(live.map((s) => s.id)).toEqual([inState!.id]);
      expect(live[0].current_state).toBe("RUNNING");
      expect(JSON.stringify(live[0].primary_version)).toContain(`"GENERATION":"${generation}"`);
    }
    for (let i = 0; i < JOBS; i++) {
      const inState = resources.find((r) => r.urn.endsWith(`::job-${i}`));
      expect(inState?.id).toBeTruthy();
      // One submission per generation: a retried submit must never run the job twice.
      const submissions = await jobsNamed(`${PREFIX}-job-${i}`);
      expect(submissions).toHaveLength(generation);
      expect(submissions.map((j) => j.id)).toContain(inState!.id);
    }
  }

  /**
   * One `pulumi up` under faults. If it fails, the failure is kept for the final assertion and a
   * fault-free `pulumi up` runs first, so the "nothing lost, nothing duplicated" checks still run.
   */
  async function upUnderFaults(seed: number): Promise<string | undefined> {
    await api(plane).post("/_local/faults", { ...FAULTS, seed });
    const up = await project.up({ allowFailure: true });
    const injected = (await api(plane).get("/_local/faults")).body;
    await api(plane).del("/_local/faults");
    process.stdout.write(`[reliability] pulumi up under faults (seed ${seed}): exit ${up.code}; fault counters ${JSON.stringify(injected)}\n`);
    if (up.code === 0) return undefined;
    const errors = up.stdout.split("\n").filter((line) => /error:/.test(line) && !/update failed/.test(line));
    await project.up();
    return `pulumi up failed under transient faults:\n${[...new Set(errors.map((l) => l.trim()))].join("\n")}`;
  }

  test("create under 20% faults: up succeeds, everything in state once", async () => {
    const failure = await upUnderFaults(9);
    await expectStateMatchesPlatform(1);
    expect(failure).toBeUndefined();
  });

  test("update under 20% faults: up succeeds, new service versions, one new submission per job", async () => {
    await project.setConfig("generation", "2");
    const failure = await upUnderFaults(10);
    await expectStateMatchesPlatform(2);
    expect(failure).toBeUndefined();
  });
});
