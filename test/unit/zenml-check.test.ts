// check() without any ZenML server: validation names the field and makes no request.
import { UNKNOWN_VALUE } from "../../provider/core/dynamic-support";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const provider = require("../../provider/zenml/dynamic");

const valid = {
  __provider: "serialized",
  name: "sentiment",
  serviceType: { type: "model-serving", flavor: "anyscale" },
  config: { model_name: "sentiment" },
};

beforeAll(async () => {
  // No URL and no credentials: any request attempt would throw, so passing tests prove none was made.
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith("ZENML_")) delete process.env[key];
  await provider.configure({ config: { get: () => undefined, require: () => "" } });
  Object.assign(process.env, saved);
});

describe("zenml.Service check", () => {
  test("valid inputs get the default project, a registration key and keep __provider", async () => {
    const result = await provider.check({}, valid);
    expect(result.failures).toEqual([]);
    expect(result.inputs).toMatchObject({ ...valid, project: "default" });
    expect(result.inputs.registrationKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("the key is stable across in-place updates and fresh on replacement", async () => {
    const first = (await provider.check({}, valid)).inputs;
    const update = (await provider.check(first, { ...valid, labels: { a: "b" } })).inputs;
    expect(update.registrationKey).toBe(first.registrationKey);
    const replace = (await provider.check(first, { ...valid, config: { model_name: "other" } })).inputs;
    expect(replace.registrationKey).not.toBe(first.registrationKey);
  });

  test.each([
    ["modelVersionId", { modelVersionId: "1234" }, /UUID/],
    ["pipelineRunId", { pipelineRunId: "not-a-uuid" }, /UUID/],
    ["adminState", { adminState: "RUNNING" }, /inactive, active, pending_startup/],
    ["status.state", { status: { state: "running" } }, /must be one of/],
    ["predictionUrl", { predictionUrl: "not a url" }, /http\(s\) URL/],
    ["healthCheckUrl", { healthCheckUrl: "ftp://host/health" }, /http\(s\) URL/],
    ["serviceType.flavor", { serviceType: { type: "model-serving", flavor: "" } }, /must not be empty/],
    ["labels.team", { labels: { team: 3 } }, /strings/],
    ["name", { name: "x".repeat(256) }, /255/],
  ])("%s is named in the failure", async (property, patch, reason) => {
    const result = await provider.check({}, { ...valid, ...patch });
    expect(result.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("previewing a rollout (state and versions unknown) plans an in-place update, not a replace", async () => {
    const first = (await provider.check({}, { ...valid, status: { state: "active" }, predictionUrl: "http://q/", labels: { v: "1" } })).inputs;
    const olds = { ...first, state: "active", projectId: undefined };
    const news = (await provider.check(first, { ...valid, status: UNKNOWN_VALUE, predictionUrl: UNKNOWN_VALUE, labels: UNKNOWN_VALUE })).inputs;
    expect(news.project).toBe("default");
    expect(news.registrationKey).toBe(first.registrationKey);
    const plan = await provider.diff("not-a-uuid", olds, news);
    expect(plan.changes).toBe(true);
    expect(plan.replaces ?? []).toEqual([]);
  });

  test("unknown values during preview are not failures", async () => {
    const result = await provider.check({}, { ...valid, predictionUrl: UNKNOWN_VALUE, modelVersionId: UNKNOWN_VALUE, status: UNKNOWN_VALUE });
    expect(result.failures).toEqual([]);
  });
});
