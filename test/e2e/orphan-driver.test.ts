// One driver per operation, with the real CLI: kill -9 of the `pulumi` CLI alone during a scheduled
// rollout (the language host and the provider plugin survive it). The provider notices its engine is
// gone (core/engine-watch.ts) and stops: traffic stops moving within 5 s. Then `pulumi cancel` + `up`
// continue the same rollout (the lease of the dead driver expires: service/rollout-lease.ts) with no
// second version.
import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, waitUntil, type TestPlane } from "../helpers/local-plane";
import { startUpInOwnGroup } from "../fixtures/reliability/killable-pulumi";
import { tearDownStacks } from "../helpers/e2e-teardown";

jest.setTimeout(20 * 60_000);

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const generation = new pulumi.Config().get("generation") || "1";
new anyscale.Service("svc", {
  name: "orphan-svc",
  imageUri: "anyscale/ray:2.48.0-py311",
  applications: [{ name: "app", import_path: "main:app", route_prefix: "/", runtime_env: { env_vars: { GENERATION: generation } } }],
  rollout: { steps: [{ percent: 10, pause: "4s" }, { percent: 30, pause: "4s" }, { percent: 60, pause: "4s" }, { percent: 100 }] },
});
`;

describe("kill -9 of the CLI alone during a schedule", () => {
  let plane: TestPlane;
  let project: PulumiProject;
  beforeAll(async () => {
    plane = await startTestPlane({ startupMs: 300, rolloutStepMs: 100 });
    project = await PulumiProject.fromFiles("orphan-driver", { "Pulumi.yaml": "name: orphan-driver\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": PROGRAM }, {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50", ANYSCALE_ROLLOUT_LEASE_TTL_MS: "4000" },
    });
    await project.up();
  });
  afterAll(() => tearDownStacks(project, plane));

  const service = async () => ((await api(plane).get("/api/v2/services-v2/?name=orphan-svc&count=50")).body.results as any[]).find((s) => s.current_state !== "TERMINATED");

  test("traffic stops moving within 5 s; cancel + up continue it with no second driver or version", async () => {
    await project.setConfig("generation", "2");
    const run = startUpInOwnGroup(project);
    await waitUntil(async () => ((await service())?.canary_version?.weight ?? 0) > 0, { timeoutMs: 120_000, intervalMs: 25, what: "the canary to take traffic" });
    process.kill(run.pid, "SIGKILL");
    await run.exited;
    // Whatever was in flight may land in the first seconds; after 5 s nothing moves any more.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const settled = (await service()).canary_version;
    await new Promise((resolve) => setTimeout(resolve, 9000));
    const later = (await service()).canary_version;
    expect(later?.id).toBe(settled?.id);
    expect(later?.target_weight).toBe(settled?.target_weight);

    await project.pulumi(["cancel", "--yes", "--stack", project.stack]);
    const refresh = await project.pulumi(["refresh", "--yes", "--skip-preview", "--clear-pending-creates", "--stack", project.stack], { allowFailure: true });
    expect(refresh.code).toBe(0);
    await project.up();
    const live = await service();
    expect(live.canary_version ?? null).toBeNull();
    const versions = (await api(plane).get(`/api/v2/services-v2/${live.id}/versions?count=50`)).body.results as any[];
    expect(versions.filter((version) => JSON.stringify(version).includes('"GENERATION":"2"'))).toHaveLength(1);
    expect(JSON.stringify(live.primary_version)).toContain('"GENERATION":"2"');
  });
});
