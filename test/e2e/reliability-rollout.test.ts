import { request } from "undici";
import { PulumiProject } from "../helpers/pulumi";
import { api, startTestPlane, waitUntil, type TestPlane } from "../helpers/local-plane";
import { resourcesOf } from "./state-checks";

// Rollout faults: a canary that fails to start fails `pulumi up` with the platform's reason; with
// rollout.autoRollback a canary that does not become healthy in time is rolled back by the provider
// and the previous version serves all traffic again; afterwards state matches the platform.

jest.setTimeout(20 * 60_000);

const SERVICE = "rollout-faults";
const PROGRAM = `const pulumi = require("@pulumi/pulumi");
const anyscale = require("pulumi-anyscale");
const config = new pulumi.Config();
const service = new anyscale.Service("svc", {
  name: "${SERVICE}",
  imageUri: "anyscale/ray:2.48.0-py311",
  applications: [{ name: "app", import_path: "main:app", route_prefix: "/", runtime_env: { env_vars: { GENERATION: config.get("generation") || "1" } } }],
  rollout: { autoRollback: config.getBoolean("autoRollback") },
  timeouts: { update: config.get("updateTimeout") },
});
exports.serviceId = service.id;
exports.primaryVersion = service.primaryVersion;
exports.canaryVersion = service.canaryVersion;
exports.queryUrl = service.queryUrl;
exports.queryAuthToken = service.queryAuthToken;
`;

describe("reliability: rollout faults", () => {
  let plane: TestPlane;
  let project: PulumiProject;
  const a = () => api(plane);
  const live = async () => (await a().get(`/api/v2/services-v2/${(await project.outputs()).serviceId}`)).body.result;

  beforeAll(async () => {
    // A version takes 4 s to start, so a 1 s update timeout expires while the canary is still starting.
    plane = await startTestPlane({ startupMs: 4000, rolloutStepMs: 50 });
    project = await PulumiProject.fromFiles("reliability-rollout", { "Pulumi.yaml": "name: reliability-rollout\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.js": PROGRAM }, {
      config: { "anyscale:host": plane.url },
      secrets: { "anyscale:token": plane.token },
      env: { ANYSCALE_POLL_INTERVAL_MS: "50" },
    });
    await project.up();
  });

  afterAll(async () => {
    if (project) {
      await project.destroy({ allowFailure: true });
      project.remove();
    }
    await plane?.stop();
  });

  /** State's view of the versions equals the platform's, after a refresh. */
  async function expectStateMatchesPlatform(): Promise<any> {
    await project.refresh();
    const service = await live();
    const outputs = await project.outputs();
    expect(outputs.primaryVersion?.id).toBe(service.primary_version.id);
    expect(outputs.canaryVersion?.id ?? null).toBe(service.canary_version?.id ?? null);
    const { deployment } = await project.exportStack();
    expect(resourcesOf(deployment).filter((r) => r.urn.endsWith("::svc"))).toHaveLength(1);
    return service;
  }

  test("a canary that fails to start: up fails with the platform's reason, the old version keeps serving", async () => {
    const before = await live();
    expect((await a().post(`/_local/services/${SERVICE}/next-version-fails`, { mode: "fail_start" })).status).toBe(200);
    await project.setConfig("generation", "2");
    const up = await project.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    const settled = await waitUntil(async () => {
      const s = await live();
      return s.current_state === "RUNNING" && !s.canary_version ? s : undefined;
    }, { timeoutMs: 60_000, what: "the platform to roll the failed canary back" });
    // The platform's own reason reaches the user.
    expect(settled.error_message).toBeTruthy();
    expect(up.stdout + up.stderr).toContain(String(settled.error_message).slice(0, 40));
    expect(settled.primary_version.id).toBe(before.primary_version.id);
    await expectStateMatchesPlatform();
    await a().del(`/_local/services/${SERVICE}/next-version-fails`);
  });

  test("autoRollback: a canary still starting at the update timeout is rolled back; the previous version serves 100%", async () => {
    const before = await live();
    await project.setConfig("generation", "3");
    await project.setConfig("autoRollback", "true");
    await project.setConfig("updateTimeout", "1s");
    const up = await project.up({ allowFailure: true });
    expect(up.code).not.toBe(0);
    expect(up.stdout).toMatch(/autoRollback/);

    const service = await expectStateMatchesPlatform();
    expect(service.current_state).toBe("RUNNING");
    expect(service.primary_version.id).toBe(before.primary_version.id);
    expect(service.canary_version ?? null).toBeNull();

    // Every request is served by the previous version.
    const { queryUrl, queryAuthToken } = await project.outputs({ showSecrets: true });
    const served = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await request(queryUrl, { headers: { authorization: `Bearer ${queryAuthToken}` } });
      const body: any = await res.body.json();
      expect(res.statusCode).toBe(200);
      served.add(String(body.version_id));
    }
    expect(served.size).toBe(1);
    expect([...served]).toEqual([before.primary_version.id]);
  });
});
