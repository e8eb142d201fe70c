import { diffFromPlan, planServiceUpdate } from "../../provider/service/planner";
import type { ServiceInputs } from "../../provider/service/schema";

const base: ServiceInputs = { name: "svc", applications: [{ import_path: "main:app" }], imageUri: "anyscale/ray:2.59.0", tags: { team: "a" } };
const plan = (changes: Partial<ServiceInputs>, olds: ServiceInputs = base) => planServiceUpdate(olds, { ...olds, ...changes });

describe("rollout planner", () => {
  it("nothing changed, including server-defaulted fields written out", () => {
    expect(plan({}).kind).toBe("none");
    expect(plan({ queryAuthTokenEnabled: true, deletionPolicy: "terminate", adoptExisting: false, rollout: { strategy: "rollout", autoRollback: false } }).kind).toBe("none");
    expect(plan({ tags: undefined }, { ...base, tags: {} }).kind).toBe("none");
    expect(plan({ httpOptions: {}, excludes: [], connections: [], envVars: {} }).kind).toBe("none");
    expect(plan({ timeouts: { create: "1h" } }).kind).toBe("none");
  });

  it("replaces on name, cloud, project", () => {
    const result = plan({ name: "other", project: "p2" });
    expect(result).toMatchObject({ kind: "replace", replaces: ["name", "project"] });
    expect(diffFromPlan(result)).toEqual({ changes: true, replaces: ["name", "project"], deleteBeforeReplace: false });
  });

  it("tags only", () => {
    expect(plan({ tags: { team: "b" } })).toMatchObject({ kind: "tagsOnly", changed: ["tags"] });
    expect(plan({ tags: { team: "b" }, deletionPolicy: "delete" }).kind).toBe("tagsOnly");
  });

  it("provider-only settings rewrite state without touching the service", () => {
    expect(plan({ deletionPolicy: "archive" })).toMatchObject({ kind: "stateOnly", changed: ["deletionPolicy"] });
    expect(plan({ rollout: { maxSurgePercent: 50 } }).kind).toBe("stateOnly");
    // A schedule drives the next rollout; a change to it alone (e.g. lifting a manual pause) deploys nothing by itself.
    expect(plan({ rollout: { steps: [{ percent: 10, pause: "manual" }] } })).toMatchObject({ kind: "stateOnly", changed: ["rollout.steps"] });
    expect(plan({ rollout: { steps: [{ percent: 10 }], healthCheck: { requests: 5 }, progressDeadline: "1m" } }).changed).toEqual(["rollout.steps", "rollout.healthCheck", "rollout.progressDeadline"]);
  });

  it("version fields roll out, with the declared canary share", () => {
    expect(plan({ applications: [{ import_path: "main:app2" }] })).toMatchObject({ kind: "rollout", changed: ["applications"] });
    expect(plan({ envVars: { A: "1" }, rollout: { canaryPercent: 10 } })).toMatchObject({ kind: "rollout", canaryPercent: 10 });
    expect(plan({ sourceHash: "abc" }).kind).toBe("rollout");
    expect(plan({ queryAuthTokenEnabled: false }).kind).toBe("rollout");
  });

  it("in place when the strategy allows and nothing cluster-level changed", () => {
    const inPlace = { ...base, rollout: { strategy: "inPlace" as const } };
    expect(plan({ applications: [{ import_path: "main:app2" }] }, inPlace).kind).toBe("inPlace");
    expect(plan({ applications: [{ import_path: "main:app2" }], imageUri: "anyscale/ray:2.60.0" }, inPlace).kind).toBe("rollout");
  });

  it("moving a held canary is a weight update, not a new version", () => {
    const held = { ...base, rollout: { canaryPercent: 10 } };
    expect(plan({ rollout: { canaryPercent: 50 } }, held)).toMatchObject({ kind: "canaryWeight", canaryPercent: 50 });
    expect(plan({ rollout: undefined }, held)).toMatchObject({ kind: "canaryWeight", canaryPercent: 100 });
    // Declaring a canary share when none is held only affects the next rollout.
    expect(plan({ rollout: { canaryPercent: 10 } }).kind).toBe("stateOnly");
  });

  it("unknown values during preview count as changes", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(plan({ imageUri: unknown }).kind).toBe("rollout");
    expect(plan({ name: unknown }).kind).toBe("replace");
  });
});
