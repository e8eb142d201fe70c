// Node resources read back from the compute config API in Ray's names, as the SDK's status shows them.
import { resourcesFromApi } from "../../provider/anyscale/compute-resources";
import { computeConfigFromApi } from "../../provider/functions/compute-config-view";

describe("resourcesFromApi", () => {
  it("maps the typed fields back to Ray's names and spreads custom_resources", () => {
    expect(resourcesFromApi({ cpu: 8, gpu: 1, memory: 1024, object_store_memory: null, custom_resources: { accelerator_a100: 1 } })).toEqual({
      CPU: 8,
      GPU: 1,
      memory: 1024,
      accelerator_a100: 1,
    });
  });

  it("reads the unschedulable-head default and empty resources as none", () => {
    expect(resourcesFromApi({ cpu: 0, gpu: 0 })).toBeUndefined();
    expect(resourcesFromApi({})).toBeUndefined();
    expect(resourcesFromApi(undefined)).toBeUndefined();
    expect(resourcesFromApi({ cpu: 0 })).toEqual({ CPU: 0 });
  });
});

describe("computeConfigFromApi", () => {
  const deployment = (resource: string, instance: string) => ({
    cloud_deployment: resource,
    head_node_type: { name: "head-node", instance_type: instance, resources: { cpu: 0, gpu: 0 } },
    worker_node_types: [{ name: "w", instance_type: "m5.2xlarge", min_workers: 0, max_workers: 2, use_spot: true, fallback_to_ondemand: true }],
    flags: { "allow-cross-zone-autoscaling": true, "max-cpus": 64 },
    allowed_azs: ["any"],
  });

  it("one deployment config reads as a ComputeConfig", () => {
    expect(computeConfigFromApi({ deployment_configs: [deployment("vm-a", "m5.xlarge")] }, "cloud-a")).toEqual({
      cloud: "cloud-a",
      cloud_resource: "vm-a",
      head_node: { instance_type: "m5.xlarge" },
      worker_nodes: [{ instance_type: "m5.2xlarge", name: "w", min_nodes: 0, max_nodes: 2, market_type: "PREFER_SPOT" }],
      max_resources: { CPU: 64 },
      enable_cross_zone_scaling: true,
      flags: {},
      auto_select_worker_config: false,
    });
  });

  it("several read as a MultiResourceComputeConfig", () => {
    const view = computeConfigFromApi({ deployment_configs: [deployment("vm-a", "m5.xlarge"), deployment("vm-b", "m5.4xlarge")] }, "cloud-a");
    expect(view.cloud).toBe("cloud-a");
    expect((view.configs as Array<Record<string, unknown>>).map((config) => config.cloud_resource)).toEqual(["vm-a", "vm-b"]);
  });
});
