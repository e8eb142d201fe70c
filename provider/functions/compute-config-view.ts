// An anonymous compute config as the SDK shows it in a status (its ComputeConfig, snake_case): the
// API's ComputeTemplateConfig mapped back, for the fields the provider's inline configs send
// (provider/anyscale/compute-config.ts is the forward direction). Pure.
import { resourcesFromApi } from "../anyscale/compute-resources";

type Row = Record<string, unknown>;

const CROSS_ZONE_FLAG = "allow-cross-zone-autoscaling";

function record(value: unknown): Row | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Row) : undefined;
}

function defined(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined && value !== null));
}

function marketType(worker: Row): string {
  if (!worker.use_spot) return "ON_DEMAND";
  return worker.fallback_to_ondemand ? "PREFER_SPOT" : "SPOT";
}

function node(api: Row): Row {
  return defined({
    instance_type: api.instance_type,
    resources: resourcesFromApi(record(api.resources)),
    flags: record(api.flags) && Object.keys(record(api.flags)!).length > 0 ? api.flags : undefined,
    advanced_instance_config: api.advanced_configurations_json,
  });
}

export function computeConfigFromApi(config: Row, cloudName: string | undefined): Row {
  const flags = { ...(record(config.flags) ?? {}) };
  const crossZone = flags[CROSS_ZONE_FLAG];
  delete flags[CROSS_ZONE_FLAG];
  const minResources = flags.min_resources;
  const maxResources = flags.max_resources;
  delete flags.min_resources;
  delete flags.max_resources;
  const workers = Array.isArray(config.worker_node_types) ? (config.worker_node_types as Row[]) : undefined;
  return defined({
    cloud: cloudName,
    zones: config.allowed_azs,
    head_node: record(config.head_node_type) ? node(record(config.head_node_type)!) : undefined,
    worker_nodes: workers?.map((worker) =>
      defined({
        ...node(worker),
        name: worker.name,
        min_nodes: worker.min_workers,
        max_nodes: worker.max_workers,
        market_type: marketType(worker),
      }),
    ),
    min_resources: minResources,
    max_resources: maxResources,
    enable_cross_zone_scaling: typeof crossZone === "boolean" ? crossZone : false,
    flags,
    auto_select_worker_config: config.auto_select_worker_config ?? false,
    advanced_instance_config: config.advanced_configurations_json,
  });
}
