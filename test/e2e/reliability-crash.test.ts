import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, waitUntil, type TestPlane } from "../helpers/local-plane";
import { startUpInOwnGroup } from "../fixtures/reliability/killable-pulumi";
import { resourcesOf } from "./state-checks";
import { tearDownStacks } from "../helpers/e2e-teardown";

// SIGKILL of `pulumi up` (the CLI, its language host and the provider plugin, as one process group)
// during a canary rollout and during a job submission. Then what Pulumi documents for an interrupted
// update: `pulumi cancel` (the stale lock), `pulumi refresh --clear-pending-creates`, and the next `pulumi up` converges with no
// duplicate, no orphan and no lost version.

jest.setTimeout(20 * 60_000);

const SERVICE = "crash-svc";
const JOB = "crash-job";

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const config = new pulumi.Config();
const generation = config.get("serviceGeneration") || "1";
const service = new anyscale.Service("svc", {
  name: "${SERVICE}",
  imageUri: "anyscale/ray:2.48.0-py311",
  applications: [{ name: "app", import_path: "main:app", route_prefix: "/", runtime_env: { env_vars: { GENERATION: generation } } }],
});
exports.serviceId = service.id;
if (config.get("newService")) {
  const fresh = new anyscale.Service("fresh", {
    name: "${SERVICE}-fresh",
    imageUri: "anyscale/ray:2.48.0-py311",
    adoptExisting: !!config.get("adoptFresh"),
    applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }],
  });
  exports.freshId = fresh.id;
}
const jobRun = config.get("jobRun");
if (jobRun) {
  const job = new anyscale.Job("job", { name: "${JOB}", entrypoint: "sleep 3; echo run " + jobRun, waitFor: "succeeded" });
  exports.jobId = job.id;
}
`;

describe("reliability: pulumi up killed mid-flight converges after cancel + refresh", () => {
  let plane: TestPlane;
  let project: PulumiProject;
  const a = () => api(plane);

  beforeAll(async () => {
    // A slow start and slow canary steps leave a wide window to kill the update in.
    plane = await startTestPlane({ startupMs: 1500, rolloutStepMs: 600, jobStartupMs: 100 });
    project = await PulumiProject.fromFiles("reliability-crash", { "Pulumi.yaml": "name: reliability-crash\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": PROGRAM }, {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50" },
    });
    await project.up();
  });

  afterAll(() => tearDownStacks(project, plane));

  const liveServices = async () =>
    ((await a().get(`/api/v2/services-v2/?name=${SERVICE}&archive_status=ALL&count=50`)).body.results as any[]).filter((s) => s.name === SERVICE && s.current_state !== "TERMINATED");
  const jobsNamed = async () => ((await a().get(`/api/v2/decorated_ha_jobs?name=${JOB}&archive_status=ALL&count=50`)).body.results as any[]).filter((j) => j.name === JOB);

  /**
   * What Pulumi documents after an interrupted update: `pulumi cancel` removes the dead process's
   * stack lock (the message of the next command says so), `pulumi refresh --clear-pending-creates`
   * reconciles state and drops operations that never finished; then the next up.
   */
  async function recover(importing?: { urnSuffix: string; id: string; adoptConfig: string }): Promise<void> {
    const cancel = await project.pulumi(["cancel", "--yes", "--stack", project.stack], { allowFailure: true });
    if (cancel.code !== 0) throw new Error(`pulumi cancel failed:\n${cancel.stdout.slice(-2000)}\n${cancel.stderr.slice(-2000)}`);
    // A create that reached the platform is imported with the inputs Pulumi recorded for it (its owner
    // mark's nonce included: docs/ownership.md); the others are cleared.
    const pending = ((await project.exportStack()).deployment.deployment.pending_operations ?? []) as Array<{ resource: { urn: string }; type: string }>;
    const urn = importing && pending.find((op) => op.type === "creating" && op.resource.urn.endsWith(importing.urnSuffix))?.resource.urn;
    const mode = urn ? [`--import-pending-creates=${urn}`, `--import-pending-creates=${importing!.id}`] : [];
    const refresh = await project.pulumi(["refresh", "--yes", "--skip-preview", ...mode, "--clear-pending-creates", "--stack", project.stack], { allowFailure: true });
    if (refresh.code !== 0) throw new Error(`pulumi refresh --clear-pending-creates failed:\n${refresh.stdout.slice(-3000)}\n${refresh.stderr.slice(-2000)}`);
    let up = await project.up({ allowFailure: true });
    // When the pending create was cleared, its nonce went with it: the create cannot tell the service
    // from another backend's stack of the same names, refuses naming it, and one explicit adoption takes it.
    if (up.code !== 0 && importing && /already exists .*owned by .*adoptExisting/s.test(up.stdout + up.stderr)) {
      await project.setConfig(importing.adoptConfig, "true");
      up = await project.up({ allowFailure: true });
    }
    if (up.code !== 0) throw new Error(`pulumi up after the crash failed:\n${up.stdout.slice(-3000)}\n${up.stderr.slice(-2000)}`);
  }

  test("killed during a canary rollout: one service, the new version serves, both versions in history", async () => {
    const [before] = await liveServices();
    await project.setConfig("serviceGeneration", "2");
    const run = startUpInOwnGroup(project);
    await waitUntil(async () => {
      const [service] = await liveServices();
      return service?.current_state === "ROLLING_OUT" && service.canary_version && service.canary_version.weight > 0;
    }, { timeoutMs: 120_000, intervalMs: 25, what: "the canary to take traffic" });
    await run.killGroup();

    await recover();

    const live = await liveServices();
    expect(live.map((s) => s.id)).toEqual([before.id]);
    const { deployment } = await project.exportStack();
    expect(deployment.deployment.pending_operations ?? []).toEqual([]);
    const inState = resourcesOf(deployment).find((r) => r.urn.endsWith("::svc"))!;
    expect(inState.id).toBe(before.id);
    const service = live[0];
    expect(service.current_state).toBe("RUNNING");
    expect(service.canary_version ?? null).toBeNull();
    expect(JSON.stringify(service.primary_version)).toContain('"GENERATION":"2"');
    // No lost and no extra version: v1 and the one rollout to generation 2.
    const versions = (await a().get(`/api/v2/services-v2/${before.id}/versions?count=50`)).body.results as any[];
    const generationTwo = versions.filter((v) => JSON.stringify(v).includes('"GENERATION":"2"'));
    expect(versions.some((v) => v.id === before.primary_version.id)).toBe(true);
    expect(generationTwo).toHaveLength(1);
  });

  test("killed during a job submission: exactly one job, recorded in state", async () => {
    await project.setConfig("jobRun", "1");
    const run = startUpInOwnGroup(project);
    await waitUntil(async () => (await jobsNamed()).length > 0, { timeoutMs: 120_000, intervalMs: 25, what: "the job to be submitted" });
    await run.killGroup();

    await recover();

    const jobs = await jobsNamed();
    expect(jobs).toHaveLength(1);
    const { deployment } = await project.exportStack();
    const inState = resourcesOf(deployment).find((r) => r.urn.endsWith("::job"))!;
    expect(inState?.id).toBe(jobs[0].id);
    expect((await project.outputs()).jobId).toBe(jobs[0].id);
  });

  test("killed while a new service starts: one service, recorded in state, no orphan", async () => {
    const fresh = async () =>
      ((await a().get(`/api/v2/services-v2/?name=${SERVICE}-fresh&archive_status=ALL&count=50`)).body.results as any[]).filter((s) => s.name === `${SERVICE}-fresh` && s.current_state !== "TERMINATED");
    await project.setConfig("newService", "true");
    const run = startUpInOwnGroup(project);
    await waitUntil(async () => (await fresh()).length > 0, { timeoutMs: 120_000, intervalMs: 25, what: "the new service to be applied" });
    await run.killGroup();

    await recover({ urnSuffix: "::fresh", id: (await fresh())[0].id, adoptConfig: "adoptFresh" });

    const live = await fresh();
    expect(live).toHaveLength(1);
    const { deployment } = await project.exportStack();
    const inState = resourcesOf(deployment).find((r) => r.urn.endsWith("::fresh"));
    expect(inState?.id).toBe(live[0].id);
  });
});
