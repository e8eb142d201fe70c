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

/** One deployment's config (the top-level fields, or one entry of `deployment_configs`). */
function singleConfig(config: Row, cloudName: string | undefined, cloudResource: unknown): Row {
  const flags = { ...(record(config.flags) ?? {}) };
  const crossZone = flags[CROSS_ZONE_FLAG];
  delete flags[CROSS_ZONE_FLAG];
  const minResources = flags.min_resources;
  let maxResources = flags.max_resources as Row | undefined;
  delete flags.min_resources;
  delete flags.max_resources;
  if (maxResources === undefined) {
    // Older configs carry the limits as flags.
    const limits: Row = {};
    if (flags["max-cpus"]) limits.CPU = flags["max-cpus"];
    if (flags["max-gpus"]) limits.GPU = flags["max-gpus"];
    delete flags["max-cpus"];
    delete flags["max-gpus"];
    maxResources = Object.keys(limits).length > 0 ? limits : undefined;
  }
  const autoSelect = config.auto_select_worker_config === true;
  const workers = Array.isArray(config.worker_node_types) ? (config.worker_node_types as Row[]) : undefined;
  const zones = Array.isArray(config.allowed_azs) && config.allowed_azs.length > 0 && !(config.allowed_azs.length === 1 && config.allowed_azs[0] === "any") ? config.allowed_azs : undefined;
  return defined({
    cloud: cloudName,
    cloud_resource: cloudResource,
    zones,
    head_node: record(config.head_node_type) ? node(record(config.head_node_type)!) : undefined,
    // Auto-selected workers show as none; an explicit head-only cluster as an empty list.
    worker_nodes: autoSelect
      ? undefined
      : (workers ?? []).map((worker) =>
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
    auto_select_worker_config: autoSelect,
    advanced_instance_config: record(config.advanced_configurations_json) && Object.keys(record(config.advanced_configurations_json)!).length > 0 ? config.advanced_configurations_json : undefined,
  });
}

/**
 * As the SDK's _convert_api_model_to_compute_config_version: the deployment configs when the
 * template has them (one: that config; several: a MultiResourceComputeConfig `{cloud, configs}`),
 * else the top-level fields.
 */
export function computeConfigFromApi(config: Row, cloudName: string | undefined): Row {
  const deployments = Array.isArray(config.deployment_configs) ? (config.deployment_configs as Row[]) : [];
  if (deployments.length === 0) return singleConfig(config, cloudName, undefined);
  const configs = deployments.map((deployment) => singleConfig(deployment, cloudName, deployment.cloud_deployment));
  return configs.length === 1 ? configs[0] : defined({ cloud: cloudName, configs });
}
