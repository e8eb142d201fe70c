// The Service's decide step: tables over (plan, recorded state, live service) → action, the declared live
// comparison (every version-level field changed alone is "not live yet"), and a replay of a user session
// over live states recorded from the local control plane.
import type { ServiceModel, ServiceVersionModel } from "../../provider/anyscale/service-models";
import { decideCreate, decideDeploy, decideUpdate, refusesExisting, type UpdateFacts } from "../../provider/service/decide";
import { asksForPrimary, liveMatches, VERSION_WIRE, wireDifferences } from "../../provider/service/live-match";
import type { PreparedDeploy } from "../../provider/service/deploy";
import { buildApplyRequest, buildRayServeConfig } from "../../provider/service/apply-request";
import { planServiceUpdate } from "../../provider/service/planner";
import { SERVICE_FIELDS, isVersionField, type ServiceInputs } from "../../provider/service/schema";

const app = (path = "main:app") => [{ name: "default", import_path: path }];
const base: ServiceInputs = { name: "svc", applications: app() };
const ids = { projectId: "prj_1", cloudId: "cld_1", computeConfigId: "cpt_1", buildId: "bld_1" };

function prepare(inputs: ServiceInputs, overrides: Partial<typeof ids> & { connectionIds?: string[] } = {}): PreparedDeploy {
  const resolved = { ...ids, ...overrides };
  const rayServeConfig = buildRayServeConfig(inputs, inputs.applications);
  return { body: buildApplyRequest("svc", inputs, rayServeConfig, resolved, { rolloutStrategy: "ROLLOUT" }), ids: resolved, rayServeConfig };
}

/** The version a prepared request becomes on the platform (as the local plane stores it). */
function versionOf(prepared: PreparedDeploy, id: string, name: string, weight = 100): ServiceVersionModel {
  const body = JSON.parse(JSON.stringify(prepared.body));
  return {
    id,
    version: body.version ?? name,
    current_state: "RUNNING",
    weight,
    build_id: body.build_id,
    compute_config_id: body.compute_config_id,
    ray_serve_config: body.ray_serve_config,
    tracing_config: body.tracing_config ?? null,
    ray_gcs_external_storage_config: body.ray_gcs_external_storage_config ?? null,
    connection_ids: body.connection_ids ?? [],
  };
}

function running(primary: ServiceVersionModel, extra: Partial<ServiceModel> = {}): ServiceModel {
  return { id: "service2_1", name: "svc", project_id: "prj_1", current_state: "RUNNING", auth_token: "tok", primary_version: primary, canary_version: null, ...extra };
}

const deployed = prepare(base);
const live = running(versionOf(deployed, "v1", "a1b2c"));
const facts = (news: ServiceInputs, extra: Partial<UpdateFacts> = {}): UpdateFacts => ({
  plan: planServiceUpdate(base, news),
  inputs: news,
  live,
  deployment: { status: "succeeded", versionId: "v1" },
  rolloutStatus: undefined,
  ...extra,
});

describe("decideUpdate: the route from plan, record and live service", () => {
  const canary: ServiceVersionModel = { ...versionOf(prepare({ ...base, applications: app("main:v2") }), "v2", "d3e4f", 30) };
  const withCanary = running(live.primary_version!, { canary_version: canary, current_state: "ROLLING_OUT" });
  test.each<[string, UpdateFacts, string]>([
    ["no change", facts(base), "nothing"],
    ["provider-side setting only", facts({ ...base, deletionPolicy: "delete" }), "nothing"],
    ["tags only", facts({ ...base, tags: { a: "b" } }), "tagsOnly"],
    ["a version field", facts({ ...base, queryAuthTokenEnabled: false }), "deploy"],
    ["in place, no canary", facts({ ...base, applications: app("main:v3"), rollout: { strategy: "inPlace" } }), "inPlace"],
    ["in place while a canary is live rolls out", facts({ ...base, applications: app("main:v3"), rollout: { strategy: "inPlace" } }, { live: withCanary }), "deploy"],
    ["our held canary moved", { ...facts({ ...base, rollout: { canaryPercent: 60 } }), plan: planServiceUpdate({ ...base, rollout: { canaryPercent: 30 } }, { ...base, rollout: { canaryPercent: 60 } }), live: withCanary, deployment: { status: "succeeded", versionId: "v2" } }, "canaryMove"],
    ["a foreign canary's share is not ours to move", { ...facts({ ...base, rollout: { canaryPercent: 60 } }), plan: planServiceUpdate({ ...base, rollout: { canaryPercent: 30 } }, { ...base, rollout: { canaryPercent: 60 } }), live: withCanary }, "deploy"],
    ["a schedule held at a manual pause continues on a provider-side change", { ...facts({ ...base, rollout: { steps: [{ percent: 30, pause: "manual" }, { percent: 100 }] }, deletionPolicy: "archive" }), live: withCanary, rolloutStatus: { phase: "paused", versionId: "v2", step: 1, steps: 2, percent: 30, stepStartedAt: null, lastGate: null } }, "scheduleContinue"],
    ["a held schedule dropped: the canary completes", { ...facts({ ...base, deletionPolicy: "archive" }), live: withCanary, rolloutStatus: { phase: "paused", versionId: "v2", step: 1, steps: 2, percent: 30, stepStartedAt: null, lastGate: null } }, "canaryMove"],
    ["a failed deploy converges with nothing edited", facts(base, { deployment: { status: "failed" } }), "deploy"],
    ["an interrupted rollout converges", facts(base, { deployment: { status: "interrupted", versionId: "v1" } }), "deploy"],
    ["a terminated service restarts", facts(base, { live: { ...live, current_state: "TERMINATED" } }), "deploy"],
  ])("%s", (_label, input, kind) => {
    expect(decideUpdate(input).kind).toBe(kind);
  });

  test("restart and convergence say why; a restart holds no canary share", () => {
    expect(decideUpdate(facts({ ...base, rollout: { canaryPercent: 10 } }, { live: { ...live, current_state: "TERMINATED" } }))).toEqual({ kind: "deploy", reason: "restart", canaryPercent: undefined });
    expect(decideUpdate(facts({ ...base, rollout: { canaryPercent: 10 } }, { deployment: { status: "failed" } }))).toEqual({ kind: "deploy", reason: "converge", canaryPercent: 10 });
  });
});

describe("decideDeploy and decideCreate", () => {
  test.each<[string, Parameters<typeof decideDeploy>[0], string]>([
    ["restart always creates", { reason: "restart", inputs: base, live, asksForPrimary: true, liveMatches: true }, "apply"],
    ["back to the primary's config while a canary is live", { reason: "edited", inputs: base, live, asksForPrimary: true, liveMatches: false }, "rollbackToPrimary"],
    ["already live", { reason: "edited", inputs: base, live, asksForPrimary: false, liveMatches: true }, "alreadyLive"],
    ["already live but a share is declared", { reason: "edited", inputs: { ...base, rollout: { canaryPercent: 20 } }, live, asksForPrimary: false, liveMatches: true }, "apply"],
    ["a schedule drives it", { reason: "edited", inputs: { ...base, rollout: { steps: [{ percent: 100 }] } }, live, asksForPrimary: false, liveMatches: false }, "schedule"],
    ["otherwise a rollout", { reason: "converge", inputs: base, live, asksForPrimary: false, liveMatches: false }, "apply"],
  ])("%s", (_label, input, kind) => expect(decideDeploy(input).kind).toBe(kind));

  test("create: refuse, adopt, wait for our interrupted create, or apply", () => {
    expect(refusesExisting({ inputs: base, live, ours: false })).toBe(true);
    expect(refusesExisting({ inputs: { ...base, adoptExisting: true }, live, ours: false })).toBe(false);
    expect(refusesExisting({ inputs: base, live, ours: true })).toBe(false);
    expect(decideCreate({ inputs: base, live, ours: true, liveMatches: true, interruptedCreateStillStarting: false }).kind).toBe("adopt");
    expect(decideCreate({ inputs: base, live, ours: true, liveMatches: false, interruptedCreateStillStarting: true }).kind).toBe("awaitInterruptedCreate");
    expect(decideCreate({ inputs: { ...base, rollout: { canaryPercent: 5 } }, live, ours: true, liveMatches: false, interruptedCreateStillStarting: true })).toEqual({ kind: "apply", intent: "rollout" });
    expect(decideCreate({ inputs: base, live: undefined, ours: false, liveMatches: false, interruptedCreateStillStarting: false })).toEqual({ kind: "apply", intent: "create" });
  });
});

describe("the live comparison covers every version-level field of the declaration", () => {
  test("each declared version field has a wire path the comparison reads", () => {
    for (const declared of SERVICE_FIELDS.filter(isVersionField)) expect(VERSION_WIRE.map((w) => w.wire)).toContain(declared.wire);
  });

  test("the service as deployed matches; a platform-chosen version name matches", () => {
    expect(liveMatches(live, deployed)).toBe(true);
  });

  test.each<[string, PreparedDeploy, string]>([
    ["queryAuthTokenEnabled", prepare({ ...base, queryAuthTokenEnabled: false }), "config.access.use_bearer_token"],
    ["tracingConfig", prepare({ ...base, tracingConfig: { enabled: true } }), "tracing_config"],
    ["rayGcsExternalStorageConfig", prepare({ ...base, rayGcsExternalStorageConfig: { enabled: true, address: "redis:6379" } }), "ray_gcs_external_storage_config"],
    ["connections", prepare(base, { connectionIds: ["dbxconn_1"] }), "connection_ids"],
    ["versionName", prepare({ ...base, versionName: "mine" }), "version"],
    ["build", prepare(base, { buildId: "bld_2" }), "build_id"],
    ["compute config", prepare(base, { computeConfigId: "cpt_2" }), "compute_config_id"],
    ["envVars", prepare({ ...base, applications: [{ ...app()[0], runtime_env: { env_vars: { A: "1" } } }] }), "ray_serve_config"],
  ])("%s changed alone is not live yet", (_field, prepared, wire) => {
    expect(wireDifferences(live, live.primary_version!, prepared)).toEqual([wire]);
    expect(liveMatches(live, prepared)).toBe(false);
  });
});

describe("replay: a session over live states recorded from the local plane", () => {
  // Live states as GET /api/v2/services-v2/{id} showed them, trimmed to what decide and the comparison read.
  const v1 = versionOf(deployed, "service2_version_qwfy", "4sx7q");
  const v2prepared = prepare({ ...base, applications: app("main:v2") });
  const recorded: ServiceModel[] = [
    running(v1),
    running(v1, { current_state: "ROLLING_OUT", primary_version: { ...v1, weight: 70 }, canary_version: versionOf(v2prepared, "service2_version_k94l", "tcg25", 30) }),
    running(versionOf(v2prepared, "service2_version_k94l", "tcg25")),
  ];

  test("auth switched alone on the running service deploys (it used to be taken for already live)", () => {
    const news = { ...base, queryAuthTokenEnabled: false };
    const route = decideUpdate(facts(news, { live: recorded[0] }));
    expect(route).toMatchObject({ kind: "deploy", reason: "edited" });
    const prepared = prepare(news);
    expect(decideDeploy({ reason: "edited", inputs: news, live: recorded[0], asksForPrimary: asksForPrimary(recorded[0], prepared), liveMatches: liveMatches(recorded[0], prepared) })).toEqual({ kind: "apply", intent: "rollout" });
  });

  test("held canary at 30%: moving it, then going back to the primary's config rolls back without a third version", () => {
    const held = { ...base, applications: app("main:v2"), rollout: { canaryPercent: 30 } };
    const deployment = { status: "succeeded" as const, versionId: "service2_version_k94l" };
    const moved = decideUpdate({ plan: planServiceUpdate(held, { ...held, rollout: { canaryPercent: 60 } }), inputs: { ...held, rollout: { canaryPercent: 60 } }, live: recorded[1], deployment, rolloutStatus: undefined });
    expect(moved).toMatchObject({ kind: "canaryMove", percent: 60, canary: { id: "service2_version_k94l" } });
    const back = decideUpdate({ plan: planServiceUpdate(held, base), inputs: base, live: recorded[1], deployment, rolloutStatus: undefined });
    expect(back.kind).toBe("deploy");
    expect(decideDeploy({ reason: "edited", inputs: base, live: recorded[1], asksForPrimary: asksForPrimary(recorded[1], deployed), liveMatches: liveMatches(recorded[1], deployed) })).toEqual({ kind: "rollbackToPrimary" });
  });

  test("after the canary completed, re-declaring what now runs is already live", () => {
    expect(decideDeploy({ reason: "converge", inputs: base, live: recorded[2], asksForPrimary: asksForPrimary(recorded[2], v2prepared), liveMatches: liveMatches(recorded[2], v2prepared) })).toEqual({ kind: "alreadyLive" });
  });
});
