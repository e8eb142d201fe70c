// Shared input rules (provider/workload/input-rules.ts), and that each resource's check applies them
// before anything else, naming the field, with no API call (no provider is configured here).
import { envVarNameProblem, inputRuleFailures, nameProblem } from "../../provider/workload/input-rules";
import * as service from "../../provider/service/dynamic";
import * as job from "../../provider/job/dynamic";
import * as jobQueue from "../../provider/jobqueue/dynamic";
import * as computeConfig from "../../provider/computeconfig/dynamic";
import * as image from "../../provider/containerimage/dynamic";

const app = [{ name: "default", import_path: "main:app" }];

describe("names", () => {
  it.each([
    ["a\u0000b", /control characters/],
    ["line\nbreak", /control characters/],
    ["tab\there", /control characters/],
    ["evil\u202egnp.exe", /bidirectional/],
    ["x".repeat(5000), /at most 128 characters/],
  ])("refuses %j", (name, reason) => {
    expect(nameProblem(name)).toMatch(reason);
  });
  it("accepts ordinary and non-Latin names", () => {
    expect(nameProblem("svc-1")).toBeUndefined();
    expect(nameProblem("サービス")).toBeUndefined();
  });
});

describe("env var names", () => {
  it("refuses empty, '=' and names starting with a digit; accepts Kubernetes-style names", () => {
    expect(envVarNameProblem("")).toMatch(/must not be empty/);
    expect(envVarNameProblem("A=B")).toMatch(/must not contain '='/);
    expect(envVarNameProblem("1ABC")).toMatch(/letters, digits/);
    expect(envVarNameProblem("A B")).toMatch(/letters, digits/);
    for (const ok of ["PATH", "_x", "my.var", "my-var"]) expect(envVarNameProblem(ok)).toBeUndefined();
  });
});

describe("inputRuleFailures", () => {
  it("names each field by its dotted path", () => {
    const failures = inputRuleFailures({
      name: "ok",
      applications: [{ name: "a\nb", runtime_env: { env_vars: { "": "x" } } }],
      envVars: { "A=B": "1" },
      computeConfig: { headNode: { resources: { CPU: -4 } }, workerNodes: [{ requiredResources: { GPU: -1 } }] },
      tags: { "t\u0000": "v" },
    });
    expect(failures.map((failure) => failure.property)).toEqual([
      "applications[0].name",
      "applications[0].runtime_env.env_vars",
      "envVars",
      "computeConfig.headNode.resources.CPU",
      "computeConfig.workerNodes[0].requiredResources.GPU",
      "tags.t\u0000",
    ]);
  });
});

describe("every resource's check applies them first", () => {
  it.each([
    ["Service", service, { name: "bad\nname", applications: app }, "name"],
    ["Service env", service, { name: "svc", applications: app, envVars: { "": "x" } }, "envVars"],
    ["Job", job, { name: "job\u202e", entrypoint: "python x.py" }, "name"],
    ["JobQueue", jobQueue, { name: "q".repeat(5000) }, "name"],
    ["ComputeConfig", computeConfig, { name: "cc\u0000", headNode: { instanceType: "m5.large" } }, "name"],
    ["ComputeConfig CPU", computeConfig, { name: "cc", headNode: { instanceType: "m5.large", resources: { CPU: -4 } } }, "headNode.resources.CPU"],
    ["ContainerImage", image, { name: "img\u0007", registryImageUri: "docker.io/a/b:1" }, "name"],
  ])("%s", async (_label, provider, news, property) => {
    const result = await (provider as { check(olds: object, news: object): Promise<{ failures?: { property: string }[] }> }).check({}, news);
    expect(result.failures?.map((failure) => failure.property)).toContain(property);
  });
});
