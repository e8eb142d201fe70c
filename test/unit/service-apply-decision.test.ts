// The pure "look before re-sending" rules for a Service apply whose answer was lost (F1), over
// handwritten observations shaped like the local plane's GET /api/v2/services-v2 answers.
import type { ServiceModel, ServiceVersionModel } from "../../provider/anyscale/service-models";
import { decideAfterAmbiguousApply, intentFromBody, type ApplyIntent } from "../../provider/service/apply-decision";
import { desiredTags, OWNER_KEY_TAG, ownedBy, ownerKeyFor, ownerMarkTag, userTags } from "../../provider/service/ownership";

const serveA = { applications: [{ name: "default", import_path: "main:a" }] };
const serveB = { applications: [{ name: "default", import_path: "main:b" }] };

function version(id: string, serve: Record<string, unknown>, extra: Partial<ServiceVersionModel> = {}): ServiceVersionModel {
  return { id, version: id.slice(-4), current_state: "RUNNING", build_id: "bld_1", compute_config_id: "cpt_1", ray_serve_config: serve, weight: 100, target_weight: 100, ...extra };
}
function service(primary: ServiceVersionModel | null, canary: ServiceVersionModel | null = null, state = "RUNNING", id = "service2_1"): ServiceModel {
  return { id, name: "svc", project_id: "prj_1", current_state: state, primary_version: primary, canary_version: canary };
}
function intent(kind: ApplyIntent["kind"], serve: Record<string, unknown>, extra: Record<string, unknown> = {}): ApplyIntent {
  return intentFromBody(kind, { build_id: "bld_1", compute_config_id: "cpt_1", ...extra }, serve);
}

describe("decideAfterAmbiguousApply: create", () => {
  it("re-sends when no service of that name exists", () => {
    expect(decideAfterAmbiguousApply(intent("create", serveA), undefined, undefined).action).toBe("resend");
  });
  it("continues when the new service shows a version with the applied config (response lost)", () => {
    const after = service(version("ver_new1", serveA, { current_state: "STARTING" }), null, "STARTING");
    const verdict = decideAfterAmbiguousApply(intent("create", serveA), undefined, after);
    expect(verdict).toMatchObject({ action: "continue", service: after });
  });
  it("matches by version name when one was set", () => {
    const after = service(version("ver_new1", serveA, { version: "v7" }));
    expect(decideAfterAmbiguousApply(intent("create", serveA, { version: "v7" }), undefined, after).action).toBe("continue");
    expect(decideAfterAmbiguousApply(intent("create", serveA, { version: "v8" }), undefined, after).action).toBe("give-up");
  });
  it("gives up on a service of that name with another config (someone else's)", () => {
    expect(decideAfterAmbiguousApply(intent("create", serveA), undefined, service(version("ver_x", serveB))).action).toBe("give-up");
  });
  it("restart of a TERMINATED service: re-send while it is still the one seen before, continue on a new version", () => {
    const before = service(version("ver_old", serveA, { current_state: "TERMINATED" }), null, "TERMINATED");
    expect(decideAfterAmbiguousApply(intent("create", serveA), before, before).action).toBe("resend");
    const restarted = service(version("ver_new", serveA, { current_state: "STARTING" }), null, "STARTING");
    expect(decideAfterAmbiguousApply(intent("create", serveA), before, restarted).action).toBe("continue");
    // The old version has the same config but is not new: it does not count.
    expect(decideAfterAmbiguousApply(intent("create", serveA), before, service(before.primary_version!, null, "STARTING")).action).toBe("give-up");
  });
  it("re-sends when the TERMINATED service was archived away (no service by name)", () => {
    const before = service(version("ver_old", serveA, { current_state: "TERMINATED" }), null, "TERMINATED");
    expect(decideAfterAmbiguousApply(intent("create", serveA), before, undefined).action).toBe("resend");
  });
});

describe("decideAfterAmbiguousApply: rollout update", () => {
  const before = service(version("ver_p", serveA));
  it("re-sends when no new version appeared", () => {
    expect(decideAfterAmbiguousApply(intent("rollout", serveB), before, before).action).toBe("resend");
  });
  it("continues on a new canary carrying the applied config", () => {
    const after = service(before.primary_version!, version("ver_c", serveB, { weight: 0, target_weight: 100, current_state: "STARTING" }), "ROLLING_OUT");
    expect(decideAfterAmbiguousApply(intent("rollout", serveB), before, after)).toMatchObject({ action: "continue", service: after });
  });
  it("continues when the new version was already promoted", () => {
    expect(decideAfterAmbiguousApply(intent("rollout", serveB), before, service(version("ver_c", serveB))).action).toBe("continue");
  });
  it("an unchanged config still rolls out a new version: a new id with the same config counts", () => {
    const after = service(before.primary_version!, version("ver_c", serveA, { weight: 0 }), "ROLLING_OUT");
    expect(decideAfterAmbiguousApply(intent("rollout", serveA), before, after).action).toBe("continue");
  });
  it("gives up when another config is rolling out, or the service is gone", () => {
    const other = service(before.primary_version!, version("ver_z", { applications: [] }), "ROLLING_OUT");
    expect(decideAfterAmbiguousApply(intent("rollout", serveB), before, other).action).toBe("give-up");
    expect(decideAfterAmbiguousApply(intent("rollout", serveB), before, undefined).action).toBe("give-up");
  });
  it("re-applying the live canary's config judges the canary's target (resume of a held canary)", () => {
    const held = service(version("ver_p", serveA, { weight: 70, target_weight: 70 }), version("ver_c", serveB, { weight: 30, target_weight: 30 }), "ROLLING_OUT");
    expect(decideAfterAmbiguousApply(intent("rollout", serveB, { canary_percent: 50 }), held, held).action).toBe("resend");
    const moved = service(held.primary_version!, version("ver_c", serveB, { weight: 30, target_weight: 50 }), "ROLLING_OUT");
    expect(decideAfterAmbiguousApply(intent("rollout", serveB, { canary_percent: 50 }), held, moved).action).toBe("continue");
  });
});

describe("decideAfterAmbiguousApply: canary weight move", () => {
  const before = service(version("ver_p", serveA, { weight: 80, target_weight: 80 }), version("ver_c", serveB, { weight: 20, target_weight: 20 }), "ROLLING_OUT");
  it("re-sends while the canary still heads to its old target", () => {
    expect(decideAfterAmbiguousApply(intent("canaryWeight", serveB, { canary_percent: 50 }), before, before).action).toBe("resend");
  });
  it("continues when the canary heads to the new target", () => {
    const after = service(before.primary_version!, version("ver_c", serveB, { weight: 30, target_weight: 50 }), "ROLLING_OUT");
    expect(decideAfterAmbiguousApply(intent("canaryWeight", serveB, { canary_percent: 50 }), before, after).action).toBe("continue");
  });
  it("completing (no canary_percent): a promoted canary means it took effect", () => {
    expect(decideAfterAmbiguousApply(intent("canaryWeight", serveB), before, service(version("ver_c", serveB))).action).toBe("continue");
  });
  it("gives up when the canary vanished (rolled back) or heads somewhere else", () => {
    expect(decideAfterAmbiguousApply(intent("canaryWeight", serveB, { canary_percent: 50 }), before, service(before.primary_version!)).action).toBe("give-up");
    const elsewhere = service(before.primary_version!, version("ver_c", serveB, { target_weight: 90 }), "ROLLING_OUT");
    expect(decideAfterAmbiguousApply(intent("canaryWeight", serveB, { canary_percent: 50 }), before, elsewhere).action).toBe("give-up");
  });
});

describe("decideAfterAmbiguousApply: in place", () => {
  const before = service(version("ver_p", serveA));
  it("re-sends while the primary keeps its previous Serve config", () => {
    expect(decideAfterAmbiguousApply(intent("inPlace", serveB), before, before).action).toBe("resend");
  });
  it("continues when the primary carries the applied Serve config", () => {
    const after = service(version("ver_p", serveB, { current_state: "UPDATING" }), null, "UPDATING");
    expect(decideAfterAmbiguousApply(intent("inPlace", serveB), before, after).action).toBe("continue");
  });
  it("gives up when the primary changed under it", () => {
    expect(decideAfterAmbiguousApply(intent("inPlace", serveB), before, service(version("ver_other", serveA))).action).toBe("give-up");
  });
});

describe("service ownership tags (F2)", () => {
  it("derives the legacy key from the scope alone, never the scope itself", () => {
    const key = ownerKeyFor("proj/dev/api")!;
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(ownerKeyFor("proj/dev/api#n1")).toBe(key);
    expect(ownerKeyFor("proj/prod/api")).not.toBe(key);
    expect(ownerKeyFor(undefined)).toBeUndefined();
  });
  it("recognises only this resource instance's mark (scope and nonce)", () => {
    const tags = { team: "ml", ...ownerMarkTag("proj/dev/api#n1") };
    expect(ownedBy(tags, "proj/dev/api#n1")).toBe(true);
    expect(ownedBy(tags, "proj/dev/api#n2")).toBe(false);
    expect(ownedBy(tags, "proj/dev/other#n1")).toBe(false);
    expect(ownedBy({ team: "ml" }, "proj/dev/api#n1")).toBe(false);
    expect(ownedBy(tags, undefined)).toBe(false);
    // The legacy key alone is not enough to take a service at create.
    expect(ownedBy({ [OWNER_KEY_TAG]: ownerKeyFor("proj/dev/api")! }, "proj/dev/api#n1")).toBe(false);
  });
  it("keeps provider tags out of the user's view and in every tag sync", () => {
    const live = { team: "ml", [OWNER_KEY_TAG]: "k" };
    expect(userTags(live)).toEqual({ team: "ml" });
    expect(desiredTags({ env: "dev" }, undefined, live)).toEqual({ env: "dev", [OWNER_KEY_TAG]: "k" });
    expect(desiredTags(undefined, "proj/dev/api#n1")).toEqual(ownerMarkTag("proj/dev/api#n1"));
    expect(Object.values(ownerMarkTag("proj/dev/api#n1"))).toEqual(["proj/dev/api"]);
  });
});
