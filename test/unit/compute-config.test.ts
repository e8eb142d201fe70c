// Compute configs: strict validation in both spellings, and the SDK's mapping onto the API model.
import * as service from "../../provider/service/dynamic";
import { computeConfigSchema, computeConfigToApi, toSnakeComputeConfig } from "../../provider/anyscale/compute-config";

const valid = { name: "svc", applications: [{ import_path: "main:app" }] };

async function failuresOf(computeConfig: unknown) {
  const result = await service.check({}, { ...valid, computeConfig });
  return (result.failures ?? []).map((failure) => failure.property).sort();
}

function issuesOf(value: unknown): string[] {
  const parsed = computeConfigSchema("camel").safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join("."));
}

describe("inline compute config (Service check)", () => {
  it("names an unknown key instead of dropping it", async () => {
    expect(await failuresOf({ head_node: { instance_type: "m5.large" }, gpus: 4 })).toEqual(["computeConfig"]);
    const result = await service.check({}, { ...valid, computeConfig: { worker_nodes: [{ instance_type: "m5.large", min_node: 1 }] } });
    expect(result.failures?.[0].reason).toMatch(/min_node/);
  });
  it("requires a worker group's instance type and ordered, non-negative node counts", async () => {
    expect(await failuresOf({ worker_nodes: [{ min_nodes: 1 }] })).toEqual(["computeConfig.worker_nodes[0].instance_type"]);
    expect(await failuresOf({ worker_nodes: [{ instance_type: "m5.large", min_nodes: -1 }] })).toEqual(["computeConfig.worker_nodes[0].min_nodes"]);
    expect(await failuresOf({ worker_nodes: [{ instance_type: "m5.large", min_nodes: 5, max_nodes: 2 }] })).toEqual(["computeConfig.worker_nodes[0].max_nodes"]);
  });
  it("accepts a MultiResourceComputeConfig and checks each config", async () => {
    const multi = { configs: [{ cloud_resource: "a", head_node: { instance_type: "m5.large" } }, { cloud_resource: "b", worker_nodes: [{ instance_type: "m5.xlarge" }] }] };
    expect(await failuresOf(multi)).toEqual([]);
    expect(await failuresOf({ configs: [] })).toEqual(["computeConfig.configs"]);
    expect(await failuresOf({ configs: [{ cloud_resource: "a" }, { cloud_resource: "a" }] })).toEqual(["computeConfig.configs[1].cloud_resource"]);
    expect(await failuresOf({ configs: [{ bogus: 1 }] })).toEqual(["computeConfig.configs[0]"]);
  });
});

describe("camelCase spelling (ComputeConfig resource)", () => {
  it("validates and converts to the SDK's keys, leaving the user's maps alone", () => {
    expect(issuesOf({ headNode: { instanceType: "m5.large" }, workerNodes: [{ instanceType: "g5.xlarge", minNodes: 0, maxNodes: 2 }], flags: { some_flag: 1 } })).toEqual([]);
    expect(issuesOf({ workerNodes: [{ maxNodes: 2 }] })).toEqual(["workerNodes.0.instanceType"]);
    expect(issuesOf({ head_node: {} })).toEqual([""]);
    expect(toSnakeComputeConfig({ headNode: { instanceType: "m5.large", advancedInstanceConfig: { KeyName: "x" } }, flags: { camelKey: 1 } })).toEqual({
      head_node: { instance_type: "m5.large", advanced_instance_config: { KeyName: "x" } },
      flags: { camelKey: 1 },
    });
  });
});

describe("mapping onto ComputeTemplateConfig", () => {
  it("maps every deployment of a multi-resource config, first one on top", () => {
    const api = computeConfigToApi(
      { flags: { base: 1 }, configs: [{ cloud_resource: "a", head_node: { instance_type: "m5.large" } }, { cloud_resource: "b", worker_nodes: [{ instance_type: "g5.xlarge", market_type: "PREFER_SPOT", resources: { CPU: 4, acc: 1 } }] }] },
      "cld_1",
      "m5.2xlarge",
    );
    expect(api.deployment_configs).toHaveLength(2);
    expect(api.deployment_configs[0]).toMatchObject({ cloud_deployment: "a", head_node_type: { instance_type: "m5.large" }, flags: { base: 1 } });
    expect(api.deployment_configs[1].head_node_type).toMatchObject({ instance_type: "m5.2xlarge", resources: { cpu: 0, gpu: 0 } });
    expect(api.deployment_configs[1].worker_node_types[0]).toMatchObject({ use_spot: true, fallback_to_ondemand: true, resources: { cpu: 4, custom_resources: { acc: 1 } } });
    expect(api.head_node_type).toEqual(api.deployment_configs[0].head_node_type);
  });
});
