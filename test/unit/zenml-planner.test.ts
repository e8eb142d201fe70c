import { planServiceChange } from "../../provider/zenml/planner";
import type { ServiceInputs } from "../../provider/zenml/schema";
import { UNKNOWN_VALUE, isUnknown } from "../../provider/core/dynamic-support";

const base: ServiceInputs = {
  name: "sentiment",
  project: "default",
  projectId: "2d7b1fc4-0624-4801-a1cb-11289a9ce847",
  serviceType: { type: "model-serving", flavor: "anyscale" },
  config: { model_name: "sentiment" },
  labels: { team: "ml" },
  status: { state: "active" },
  predictionUrl: "https://svc.example/",
};

describe("planServiceChange", () => {
  test("no change", () => {
    expect(planServiceChange(base, { ...base })).toEqual({ changes: false, replaces: [], updates: [] });
  });

  test("fields ZenML's update accepts change in place", () => {
    const plan = planServiceChange(base, { ...base, name: "renamed", labels: { team: "ml", v: "2" }, status: { state: "pending_startup" }, predictionUrl: "https://other/" });
    expect(plan.replaces).toEqual([]);
    expect(plan.updates).toEqual(["name", "labels", "status", "predictionUrl"]);
  });

  test("config, serviceType, project and pipelineRunId replace", () => {
    const plan = planServiceChange(base, {
      ...base,
      config: { model_name: "other" },
      serviceType: { type: "model-serving", flavor: "mlflow" },
      project: "research",
      projectId: "3d7b1fc4-0624-4801-a1cb-11289a9ce847",
      pipelineRunId: "4d7b1fc4-0624-4801-a1cb-11289a9ce847",
    });
    expect(plan.replaces).toEqual(["project", "serviceType", "config", "pipelineRunId"]);
  });

  test("a project named by its id is the same project", () => {
    expect(planServiceChange(base, { ...base, project: base.projectId }).changes).toBe(false);
  });

  test("server-filled service type defaults and key order cause no drift", () => {
    const olds = { ...base, serviceType: { type: "model-serving", flavor: "anyscale", name: "", description: "" }, config: { b: 1, a: 2 } };
    expect(planServiceChange(olds, { ...base, config: { a: 2, b: 1 } }).changes).toBe(false);
  });

  test("removing a scalar ZenML cannot clear replaces; removing a map clears it in place", () => {
    expect(planServiceChange(base, { ...base, predictionUrl: undefined }).replaces).toEqual(["predictionUrl"]);
    const plan = planServiceChange(base, { ...base, labels: undefined });
    expect(plan).toEqual({ changes: true, replaces: [], updates: ["labels"] });
    expect(planServiceChange({ ...base, labels: {} }, { ...base, labels: undefined }).changes).toBe(false);
  });

  test("unknowns during preview count as changes", () => {
    expect(planServiceChange(base, { ...base, predictionUrl: UNKNOWN_VALUE }, isUnknown).updates).toEqual(["predictionUrl"]);
    expect(planServiceChange(base, { ...base, config: { model_name: UNKNOWN_VALUE } }, isUnknown).replaces).toEqual(["config"]);
  });
});
