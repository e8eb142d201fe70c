import { describeJobPlan, describeJobQueuePlan, describeNewVersionPlan, describeServicePlan, describeZenmlPlan } from "../../provider/hosts/native/plan-lines";
import { planContainerImageChange } from "../../provider/containerimage/planner";
import { planServiceUpdate } from "../../provider/service/planner";
import { describeGateSizes } from "../../provider/service/probe";
import { planJobChange } from "../../provider/job/planner";
import { planJobQueueChange } from "../../provider/jobqueue/planner";
import { planServiceChange } from "../../provider/zenml/planner";
import type { ServiceInputs } from "../../provider/service/schema";

const SERVICE_INTERNAL = new Set(["autoNamePrefix", "ownershipScope", "sourceHash"]);
const base: ServiceInputs = { name: "api", applications: [{ import_path: "main:app" }], imageUri: "anyscale/ray:2.48.0-py311", ownershipScope: "p/s/api" };

function serviceLine(olds: ServiceInputs, news: ServiceInputs, primaryName = "v1"): string | undefined {
  const oldCanaryPercent = olds.rollout?.canaryPercent ?? 100;
  return describeServicePlan(planServiceUpdate(olds, news), { primaryName, oldCanaryPercent, internal: SERVICE_INTERNAL });
}

describe("plan lines for a Service, from the planner's verdict", () => {
  test("a new image held at 10% names the version, the share and what the primary keeps", () => {
    expect(serviceLine(base, { ...base, imageUri: "anyscale/ray:2.49.0-py311", rollout: { canaryPercent: 10 } })).toBe(
      "rollout: new version (imageUri changed), held at 10% of traffic; v1 keeps 90%",
    );
  });

  test("a rollout on a schedule names every step, its pause, and whether it is gated", () => {
    const steps = [{ percent: 10, pause: "10m" }, { percent: 50, pause: "manual" }];
    const news: ServiceInputs = { ...base, imageUri: "anyscale/ray:2.49.0-py311", rollout: { steps, healthCheck: { path: "/" } } };
    const gateSizes = describeGateSizes({ path: "/" }, steps);
    expect(gateSizes).toBe("10%: 200 probes (~20 to the canary), 50%: 40 probes (~20 to the canary)");
    const line = describeServicePlan(planServiceUpdate(base, news), { primaryName: "v1", oldCanaryPercent: 100, internal: SERVICE_INTERNAL, schedule: { steps, gated: true }, gateSizes });
    expect(line).toBe(
      "rollout: new version (imageUri changed) on a schedule: 10% (10m) → 50% (manual hold) → 100%, each pause gated on the canary's own answers (a failed gate rolls back): 10%: 200 probes (~20 to the canary), 50%: 40 probes (~20 to the canary); v1 serves the rest until then",
    );
  });

  test("a rejected version: no rollout, and why; a released pause moves on", () => {
    const rejected = "v3 was rejected at step 1 (10%): canary success rate 0.50 < 0.99; change the program or set `rollout.retryRejected` to roll it out again";
    expect(describeServicePlan(planServiceUpdate(base, base), { oldCanaryPercent: 100, internal: SERVICE_INTERNAL, rejected })).toBe(`no rollout: ${rejected}`);
    const held: ServiceInputs = { ...base, rollout: { steps: [{ percent: 20, pause: "manual" }] } };
    expect(describeServicePlan(planServiceUpdate(held, held), { oldCanaryPercent: 100, internal: SERVICE_INTERNAL, heldSchedulePercent: 20, releasePause: true, schedule: { steps: held.rollout!.steps!, gated: false } })).toBe(
      "pause released (ANYSCALE_PROMOTE): the canary held at 20% moves on, no new version: 20% (manual hold) → 100%",
    );
  });

  test("a schedule held at a manual pause continues on a settings change, or completes when the schedule is removed", () => {
    const held: ServiceInputs = { ...base, rollout: { steps: [{ percent: 20, pause: "manual" }] } };
    const lifted: ServiceInputs = { ...base, rollout: { steps: [{ percent: 20 }, { percent: 60, pause: "5m" }] } };
    const context = { primaryName: "v1", oldCanaryPercent: 100, internal: SERVICE_INTERNAL, heldSchedulePercent: 20 };
    expect(describeServicePlan(planServiceUpdate(held, lifted), { ...context, schedule: { steps: lifted.rollout!.steps!, gated: false } })).toBe(
      "schedule continues from the canary held at 20%, no new version: 20% → 60% (5m) → 100%",
    );
    expect(describeServicePlan(planServiceUpdate(held, base), context)).toBe("canary 20% → 100%, no new version (the schedule was removed: completes the rollout)");
  });

  test("a rollout to 100% says the primary is retired", () => {
    expect(serviceLine(base, { ...base, envVars: { A: "1" } })).toBe("rollout: new version (envVars changed), takes 100% of traffic once healthy; v1 is retired");
  });

  test("in place names the changed fields", () => {
    const inPlace = { ...base, rollout: { strategy: "inPlace" as const } };
    expect(serviceLine(inPlace, { ...inPlace, applications: [{ import_path: "main:app2" }] })).toBe("in place: applications changed");
  });

  test("a canary move and its completion make no new version", () => {
    const held = { ...base, rollout: { canaryPercent: 10 } };
    expect(serviceLine(held, { ...base, rollout: { canaryPercent: 50 } })).toBe("canary 10% → 50%, no new version");
    expect(serviceLine(held, base)).toBe("canary 10% → 100%, no new version (completes the rollout)");
  });

  test("tags only, replace, provider settings, and nothing", () => {
    expect(serviceLine(base, { ...base, tags: { team: "a" } })).toBe("tags only");
    expect(serviceLine(base, { ...base, name: "api2" })).toMatch(/^replace: name changed/);
    expect(serviceLine(base, { ...base, deletionPolicy: "archive" })).toBe("provider settings only (deletionPolicy): no API call");
    expect(serviceLine(base, { ...base, ownershipScope: "other/scope" })).toBeUndefined();
  });

  test("internal inputs are never named: edited local files read as such", () => {
    expect(serviceLine({ ...base, sourceHash: "a" }, { ...base, sourceHash: "b" })).toBe("rollout: new version (local files changed), takes 100% of traffic once healthy; v1 is retired");
  });

  test("a failed last deploy with no edit converges", () => {
    expect(describeServicePlan(planServiceUpdate(base, base), { oldCanaryPercent: 100, needsConvergence: true, internal: SERVICE_INTERNAL })).toMatch(/^converge:/);
  });
});

describe("plan lines for Job, JobQueue and zenml.Service", () => {
  const job = { name: "etl", entrypoint: "python a.py", waitFor: "succeeded", submissionScope: "p/s/etl" };
  const internal = new Set(["submissionScope", "sourceHash", "secretEnvVarNames"]);

  test("a job whose entrypoint changes is re-run", () => {
    expect(describeJobPlan(planJobChange(job, { ...job, entrypoint: "python b.py" }), internal)).toBe("re-run: entrypoint changed; a new job is submitted");
  });

  test("job tags only, settings only, nothing", () => {
    expect(describeJobPlan(planJobChange(job, { ...job, tags: { a: "1" } }), internal)).toBe("tags only");
    expect(describeJobPlan(planJobChange(job, { ...job, waitFor: "running" }), internal)).toBe("provider settings only (waitFor)");
    expect(describeJobPlan(planJobChange(job, { ...job, submissionScope: "x" }), internal)).toBeUndefined();
  });

  test("queues: in place, replace, tags", () => {
    const queue = { name: "q", executionMode: "FIFO", maxConcurrency: 1, idleTimeoutS: 60 };
    const none = new Set<string>();
    expect(describeJobQueuePlan(planJobQueueChange(queue, { ...queue, maxConcurrency: 3 }), none)).toBe("in place: maxConcurrency changed");
    expect(describeJobQueuePlan(planJobQueueChange(queue, { ...queue, executionMode: "LIFO" }), none)).toMatch(/^replace: executionMode changed; the old queue is removed first/);
    expect(describeJobQueuePlan(planJobQueueChange(queue, { ...queue, tags: { a: "b" } }), none)).toBe("tags only");
  });

  test("zenml: update, replace, and a record deleted out of band", () => {
    const record = { name: "svc", serviceType: { type: "model-serving", flavor: "anyscale" }, labels: { a: "1" } };
    const internalZenml = new Set(["registrationKey", "projectId"]);
    expect(describeZenmlPlan(planServiceChange(record, { ...record, labels: { a: "2" } }), internalZenml, false)).toBe("in place: labels changed");
    expect(describeZenmlPlan(planServiceChange(record, { ...record, config: { x: 1 } }), internalZenml, false)).toMatch(/^replace: config changed/);
    expect(describeZenmlPlan(planServiceChange(record, record), internalZenml, true)).toMatch(/deleted outside Pulumi/);
  });
});

describe("plan lines for ContainerImage and ComputeConfig", () => {
  test("the next version of an image, or a new image", () => {
    const image = { name: "img", containerfile: "Containerfile", sourceHash: "a" };
    const edited = planContainerImageChange(image, { ...image, sourceHash: "b" });
    expect(describeNewVersionPlan(edited.replaces, edited.newVersion, "x")).toBe("new version: local files changed");
    const renamed = planContainerImageChange(image, { ...image, name: "img2" });
    expect(describeNewVersionPlan(renamed.replaces, renamed.newVersion, "a new image is created")).toBe("replace: name changed; a new image is created");
    expect(describeNewVersionPlan([], [], "x")).toBeUndefined();
  });
});
