// Replays state sequences as the control plane reports them (shapes of GET /api/v2/services-v2/{id})
// through the pure deploy rules.
import type { ServiceModel, ServiceVersionModel } from "../../provider/anyscale/service-models";
import { replay } from "../../provider/core/waiter";
import { deployRules, rollbackRules, terminationRules } from "../../provider/service/wait-rules";

const v = (id: string, state: string, weight: number, extra: Partial<ServiceVersionModel> = {}): ServiceVersionModel => ({
  id,
  version: id.replace("ver_", ""),
  current_state: state,
  weight,
  build_id: "bld_1",
  compute_config_id: "cpt_1",
  ray_serve_config: { applications: [{ import_path: "main:app" }] },
  ...extra,
});

const svc = (state: string, primary: ServiceVersionModel, canary?: ServiceVersionModel, error_message?: string): ServiceModel => ({
  id: "service2_x",
  name: "svc",
  project_id: "prj_1",
  current_state: state,
  primary_version: primary,
  canary_version: canary ?? null,
  error_message: error_message ?? null,
});

describe("deploy wait rules", () => {
  it("create: waits through STARTING to RUNNING", () => {
    const rules = deployRules({ kind: "create", targetVersionId: "ver_v1", canaryPercent: 100 });
    const outcome = replay(rules, [svc("STARTING", v("ver_v1", "STARTING", 100)), svc("RUNNING", v("ver_v1", "RUNNING", 100))]);
    expect(outcome).toMatchObject({ decision: { kind: "success", result: { targetVersionId: "ver_v1" } }, index: 1 });
  });

  it("clean rollout: follows the canary to 100% and promotion", () => {
    const rules = deployRules({ kind: "rollout", previousPrimaryVersionId: "ver_v1", canaryPercent: 100 });
    const sequence = [
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 100), v("ver_v2", "STARTING", 0)),
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 90), v("ver_v2", "RUNNING", 10)),
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 50), v("ver_v2", "RUNNING", 50)),
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 0), v("ver_v2", "RUNNING", 100)),
      svc("RUNNING", v("ver_v2", "RUNNING", 100)),
    ];
    expect(replay(rules, sequence)).toMatchObject({ decision: { kind: "success", result: { targetVersionId: "ver_v2" } }, index: 4 });
  });

  it("stale RUNNING: the old version RUNNING before the new one shows up is never success", () => {
    const rules = deployRules({ kind: "rollout", previousPrimaryVersionId: "ver_v1", canaryPercent: 100 });
    const stale = svc("RUNNING", v("ver_v1", "RUNNING", 100));
    expect(replay(rules, [stale, stale, stale])).toMatchObject({ decision: { kind: "retry", progress: expect.stringContaining("waiting for the new version") } });
    const later = [stale, svc("ROLLING_OUT", v("ver_v1", "RUNNING", 100), v("ver_v2", "STARTING", 0)), svc("RUNNING", v("ver_v2", "RUNNING", 100))];
    expect(replay(rules, later)).toMatchObject({ decision: { kind: "success" }, index: 2 });
  });

  it("held canary: success once the canary holds the declared share", () => {
    const rules = deployRules({ kind: "rollout", previousPrimaryVersionId: "ver_v1", canaryPercent: 20 });
    const sequence = [
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 100), v("ver_v2", "STARTING", 0)),
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 90), v("ver_v2", "RUNNING", 10)),
      svc("RUNNING", v("ver_v1", "RUNNING", 80), v("ver_v2", "RUNNING", 20)),
    ];
    expect(replay(rules, sequence)).toMatchObject({ decision: { kind: "success", summary: expect.stringContaining("held at 20%") }, index: 2 });
  });

  it("completing a held canary: waits until the canary is promoted", () => {
    const rules = deployRules({ kind: "canaryWeight", targetVersionId: "ver_v2", canaryPercent: 100 });
    const sequence = [
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 80), v("ver_v2", "RUNNING", 20)),
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 0), v("ver_v2", "RUNNING", 100)),
      svc("RUNNING", v("ver_v2", "RUNNING", 100)),
    ];
    expect(replay(rules, sequence)).toMatchObject({ decision: { kind: "success" }, index: 2 });
  });

  it("automatic rollback by the platform is a failure that says why", () => {
    const rules = deployRules({ kind: "rollout", previousPrimaryVersionId: "ver_v1", canaryPercent: 100 });
    const sequence = [
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 100), v("ver_v2", "STARTING", 0)),
      svc("ROLLING_OUT", v("ver_v1", "RUNNING", 100), v("ver_v2", "UNHEALTHY", 0)),
      svc("ROLLING_BACK", v("ver_v1", "RUNNING", 100), v("ver_v2", "UNHEALTHY", 0), "Replica failed health checks"),
      svc("RUNNING", v("ver_v1", "RUNNING", 100), undefined, "Replica failed health checks"),
    ];
    const outcome = replay(rules, sequence);
    expect(outcome.index).toBe(3);
    expect(outcome.decision).toMatchObject({ kind: "failure" });
    expect((outcome.decision as { reason: string }).reason).toMatch(/rolled back to v1.*Replica failed health checks/);
  });

  it("a target known from the apply response that stays missing is a rollback, a single miss is not", () => {
    const rules = deployRules({ kind: "rollout", targetVersionId: "ver_v2", previousPrimaryVersionId: "ver_v1", canaryPercent: 100 });
    const old = svc("RUNNING", v("ver_v1", "RUNNING", 100), undefined, "boom");
    expect(replay(rules, [old]).decision.kind).toBe("retry");
    expect(replay(rules, [old, old, old]).decision).toMatchObject({ kind: "failure", reason: expect.stringContaining("boom") });
  });

  it("failure states end the wait with the service's error", () => {
    const rules = deployRules({ kind: "create", targetVersionId: "ver_v1", canaryPercent: 100 });
    const outcome = replay(rules, [svc("STARTING", v("ver_v1", "STARTING", 100)), svc("USER_ERROR_FAILURE", v("ver_v1", "SYSTEM_FAILURE", 100), undefined, "ImportError: main")]);
    expect(outcome.decision).toMatchObject({ kind: "failure", reason: expect.stringContaining("ImportError: main") });
  });

  it("timeout: an UNHEALTHY service never decides (the waiter's deadline ends it)", () => {
    const rules = deployRules({ kind: "create", targetVersionId: "ver_v1", canaryPercent: 100 });
    const stuck = svc("UNHEALTHY", v("ver_v1", "UNHEALTHY", 100));
    expect(replay(rules, [stuck, stuck, stuck, stuck]).decision).toMatchObject({ kind: "retry", progress: expect.stringContaining("UNHEALTHY") });
  });

  it("in place: waits for the new config, fails if the platform reverts it", () => {
    const newConfig = { applications: [{ import_path: "main:app2" }] };
    const rules = deployRules({ kind: "inPlace", canaryPercent: 100, expectedRayServeConfig: newConfig, targetVersionId: "ver_v1" });
    const stale = svc("RUNNING", v("ver_v1", "RUNNING", 100));
    const updating = svc("UPDATING", v("ver_v1", "UPDATING", 100, { ray_serve_config: newConfig }));
    const done = svc("RUNNING", v("ver_v1", "RUNNING", 100, { ray_serve_config: newConfig }));
    expect(replay(rules, [stale, updating, done])).toMatchObject({ decision: { kind: "success" }, index: 2 });
    expect(replay(rules, [updating, svc("RUNNING", v("ver_v1", "RUNNING", 100), undefined, "update failed")]).decision).toMatchObject({
      kind: "failure",
      reason: expect.stringContaining("reverted"),
    });
  });

  it("rollback and termination rules", () => {
    expect(replay(rollbackRules(), [svc("ROLLING_BACK", v("ver_v1", "RUNNING", 100), v("ver_v2", "RUNNING", 10)), svc("RUNNING", v("ver_v1", "RUNNING", 100))]).decision).toMatchObject({
      kind: "success",
      result: { primaryVersionId: "ver_v1" },
    });
    expect(replay(terminationRules(), [svc("TERMINATING", v("ver_v1", "TERMINATING", 100)), svc("TERMINATED", v("ver_v1", "TERMINATED", 100))]).decision).toMatchObject({ kind: "success", result: "terminated" });
    expect(replay(terminationRules(), [undefined]).decision).toMatchObject({ kind: "success", result: "gone" });
  });
});
