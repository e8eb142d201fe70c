// Recorded from the local control plane (GET /api/v2/services-v2/{id} after each apply, distinct states only,
// trimmed to the fields the rules read). Replayed through the pure wait rules.
import type { ServiceModel } from "../../provider/anyscale/service-models";
import { replay } from "../../provider/core/waiter";
import { rolloutExpectation } from "../../provider/service/settle";
import { deployRules } from "../../provider/service/wait-rules";

interface Recording { previousPrimary: string | null; applied: ServiceModel; polls: ServiceModel[] }
const RECORDED: Record<string, Recording> = {
  create: {
    previousPrimary: null,
    applied: {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"STARTING","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"STARTING","weight":100},"canary_version":null},
    polls: [
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"STARTING","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"STARTING","weight":100},"canary_version":null},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"RUNNING","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"RUNNING","weight":100},"canary_version":null},
    ],
  },
  rollout: {
    previousPrimary: "service2_version_qwfygc13c9wkygwenb0jvkrp",
    applied: {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"RUNNING","weight":100},"canary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"STARTING","weight":0}},
    polls: [
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"RUNNING","weight":95},"canary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":5}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"RUNNING","weight":80},"canary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":20}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"RUNNING","weight":70},"canary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":30}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"RUNNING","weight":50},"canary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":50}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_qwfygc13c9wkygwenb0jvkrp","version":"4sx7q","current_state":"RUNNING","weight":25},"canary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":75}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"RUNNING","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":100},"canary_version":null},
    ],
  },
  heldCanary: {
    previousPrimary: "service2_version_k94lpnsrfksvi8a3eg30inpo",
    applied: {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":100},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"STARTING","weight":0}},
    polls: [
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":100},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"STARTING","weight":0}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":100},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":0}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":95},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":5}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":90},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":10}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":80},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":20}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":70},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":30}},
    ],
  },
  completeCanary: {
    previousPrimary: null,
    applied: {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":70},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":30}},
    polls: [
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":70},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":30}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":50},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":50}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_k94lpnsrfksvi8a3eg30inpo","version":"tcg25","current_state":"RUNNING","weight":25},"canary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":75}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"RUNNING","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":100},"canary_version":null},
    ],
  },
  platformRollback: {
    previousPrimary: "service2_version_ysfbes0cvqagiogdpi3and2a",
    applied: {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":100},"canary_version":{"id":"service2_version_8g5x8vsoy8g0e8igqgcessrg","version":"mo0ku","current_state":"STARTING","weight":0}},
    polls: [
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":100},"canary_version":{"id":"service2_version_8g5x8vsoy8g0e8igqgcessrg","version":"mo0ku","current_state":"STARTING","weight":0}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":100},"canary_version":{"id":"service2_version_8g5x8vsoy8g0e8igqgcessrg","version":"mo0ku","current_state":"RUNNING","weight":0}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_OUT","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":95},"canary_version":{"id":"service2_version_8g5x8vsoy8g0e8igqgcessrg","version":"mo0ku","current_state":"RUNNING","weight":5}},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"ROLLING_BACK","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":95},"canary_version":null},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"RUNNING","error_message":"Version 'mo0ku' became unhealthy during the rollout; rolled back to version 'txt1c'.","primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":100},"canary_version":null},
    ],
  },
  inPlace: {
    previousPrimary: null,
    applied: {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"UPDATING","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"UPDATING","weight":100,"ray_serve_config":{"applications":[{"name":"default","import_path":"main:v5"}]}},"canary_version":null},
    polls: [
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"UPDATING","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"UPDATING","weight":100,"ray_serve_config":{"applications":[{"name":"default","import_path":"main:v5"}]}},"canary_version":null},
      {"id":"service2_9vl8g96tl9l6pr719r6nbmpg","name":"rec","project_id":"prj_t87kdxvw6rukscjjm3krgexx","current_state":"RUNNING","error_message":null,"primary_version":{"id":"service2_version_ysfbes0cvqagiogdpi3and2a","version":"txt1c","current_state":"RUNNING","weight":100,"ray_serve_config":{"applications":[{"name":"default","import_path":"main:v5"}]}},"canary_version":null},
    ],
  },
};

/** The service as it was before the recorded apply: only its primary version matters to the expectation. */
const beforeOf = (recording: Recording): ServiceModel | undefined =>
  recording.previousPrimary ? { ...recording.applied, primary_version: { id: recording.previousPrimary, current_state: "RUNNING" }, canary_version: null } : undefined;

/** What the update path expects after this apply, built by the provider's own code (settle.ts). */
const expectationFor = (recording: Recording, canaryPercent: number) => rolloutExpectation(beforeOf(recording), recording.applied, canaryPercent);

describe("wait rules over recorded control-plane sequences", () => {
  it("create", () => {
    const { applied, polls } = RECORDED.create;
    expect(replay(deployRules({ kind: "create", targetVersionId: applied.primary_version!.id, canaryPercent: 100 }), polls)).toMatchObject({ decision: { kind: "success" }, index: polls.length - 1 });
  });

  it("clean rollout to 100%", () => {
    const recording = RECORDED.rollout;
    const rules = deployRules(expectationFor(recording, 100));
    expect(replay(rules, recording.polls)).toMatchObject({ decision: { kind: "success" }, index: recording.polls.length - 1 });
  });

  it("held canary at 30%, then completed by a later apply", () => {
    const held = RECORDED.heldCanary;
    const expectation = expectationFor(held, 30);
    const target = expectation.targetVersionId!;
    expect(target).toBe(held.applied.canary_version!.id);
    const rules = deployRules(expectation);
    expect(replay(rules, held.polls)).toMatchObject({ decision: { kind: "success", result: { targetVersionId: target } }, index: held.polls.length - 1 });
    const complete = RECORDED.completeCanary;
    expect(replay(deployRules({ kind: "canaryWeight", targetVersionId: target, canaryPercent: 100 }), complete.polls)).toMatchObject({
      decision: { kind: "success", result: { targetVersionId: target } },
      index: complete.polls.length - 1,
    });
  });

  it("automatic rollback by the platform fails the update with its reason", () => {
    const recording = RECORDED.platformRollback;
    const rules = deployRules(expectationFor(recording, 100));
    const outcome = replay(rules, recording.polls);
    expect(outcome.decision).toMatchObject({ kind: "failure", reason: expect.stringMatching(/rolled back.*became unhealthy/) });
  });

  it("a stale RUNNING (the old primary, before the new version shows) is not success", () => {
    const recording = RECORDED.rollout;
    const stale = RECORDED.create.polls[RECORDED.create.polls.length - 1];
    const rules = deployRules({ kind: "rollout", previousPrimaryVersionId: recording.previousPrimary!, canaryPercent: 100 });
    expect(replay(rules, [stale]).decision.kind).toBe("retry");
    expect(replay(rules, [stale, ...recording.polls])).toMatchObject({ decision: { kind: "success" }, index: recording.polls.length });
  });

  it("in place", () => {
    const { polls } = RECORDED.inPlace;
    const expected = polls[polls.length - 1].primary_version!.ray_serve_config!;
    expect(replay(deployRules({ kind: "inPlace", canaryPercent: 100, expectedRayServeConfig: expected }), polls)).toMatchObject({ decision: { kind: "success" }, index: polls.length - 1 });
  });

  it("timeout: a canary still climbing never decides before the sequence ends", () => {
    const recording = RECORDED.rollout;
    const rules = deployRules({ kind: "rollout", previousPrimaryVersionId: recording.previousPrimary!, canaryPercent: 100 });
    expect(replay(rules, recording.polls.slice(0, -1)).decision).toMatchObject({ kind: "retry", progress: expect.stringContaining("heading to 100%") });
  });
});
