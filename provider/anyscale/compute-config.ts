// Inline compute configs: the SDK's user-facing ComputeConfig (snake_case) mapped onto the API's
// ComputeTemplateConfig, for the common fields, so it can be registered as an anonymous config.
import { z } from "zod";
import type { AnyscaleClient } from "./client";
import { resourcesToApi, UNSCHEDULABLE_RESOURCES } from "./compute-resources";

const inlineNodeSchema = z.looseObject({
  instance_type: z.string(),
  name: z.string().optional(),
  resources: z.record(z.string(), z.unknown()).optional(),
  flags: z.record(z.string(), z.unknown()).optional(),
  advanced_instance_config: z.record(z.string(), z.unknown()).optional(),
  min_nodes: z.number().int().min(0).optional(),
  max_nodes: z.number().int().min(0).optional(),
  market_type: z.enum(["ON_DEMAND", "SPOT", "PREFER_SPOT"]).optional(),
});

/** The user-facing inline compute config (the SDK's ComputeConfig, snake_case). */
export const inlineComputeConfigSchema = z.looseObject({
  cloud: z.string().optional(),
  cloud_resource: z.string().optional(),
  head_node: inlineNodeSchema.omit({ min_nodes: true, max_nodes: true, market_type: true }).optional(),
  worker_nodes: z.array(inlineNodeSchema).optional(),
  zones: z.array(z.string()).optional(),
  enable_cross_zone_scaling: z.boolean().optional(),
  min_resources: z.record(z.string(), z.unknown()).optional(),
  max_resources: z.record(z.string(), z.unknown()).optional(),
  auto_select_worker_config: z.boolean().optional(),
  flags: z.record(z.string(), z.unknown()).optional(),
  advanced_instance_config: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Maps the SDK's ComputeConfig onto the API's ComputeTemplateConfig for the common fields
 * (head/worker instance types, node counts, market type, zones, flags). A missing head node takes the
 * cloud default's instance type, as the SDK does.
 */
export async function inlineComputeConfigToApi(client: AnyscaleClient, inline: Record<string, unknown>, cloudId: string): Promise<Record<string, unknown>> {
  const parsed = inlineComputeConfigSchema.parse(inline);
  const flags: Record<string, unknown> = { ...parsed.flags, "allow-cross-zone-autoscaling": parsed.enable_cross_zone_scaling ?? false };
  if (parsed.min_resources) flags.min_resources = parsed.min_resources;
  if (parsed.max_resources) flags.max_resources = parsed.max_resources;
  let headInstanceType = parsed.head_node?.instance_type;
  if (!headInstanceType) {
    const fallback = await client.result(
      z.looseObject({ config: z.looseObject({ head_node_type: z.looseObject({ instance_type: z.string() }) }) }),
      "GET",
      "/ext/v0/cluster_computes/default",
      { query: { cloud_id: cloudId } },
    );
    headInstanceType = fallback.config.head_node_type.instance_type;
  }
  const headOnly = parsed.worker_nodes !== undefined && parsed.worker_nodes.length === 0 && !parsed.auto_select_worker_config;
  const head_node_type = {
    name: "head-node",
    instance_type: headInstanceType,
    // The head runs no workloads unless it is the only node (the SDK's rule).
    resources: resourcesToApi(parsed.head_node?.resources) ?? (headOnly ? undefined : { ...UNSCHEDULABLE_RESOURCES }),
    flags: parsed.head_node?.flags,
    advanced_configurations_json: parsed.head_node?.advanced_instance_config,
  };
  const worker_node_types = parsed.worker_nodes?.map((worker) => ({
    name: worker.name ?? worker.instance_type,
    instance_type: worker.instance_type,
    min_workers: worker.min_nodes ?? 0,
    max_workers: worker.max_nodes ?? 10,
    use_spot: worker.market_type === "SPOT" || worker.market_type === "PREFER_SPOT",
    fallback_to_ondemand: worker.market_type === "PREFER_SPOT",
    resources: resourcesToApi(worker.resources),
    flags: worker.flags,
    advanced_configurations_json: worker.advanced_instance_config,
  }));
  const deployment = {
    cloud_deployment: parsed.cloud_resource,
    allowed_azs: parsed.zones,
    head_node_type,
    worker_node_types,
    auto_select_worker_config: parsed.auto_select_worker_config ?? false,
    flags,
    advanced_configurations_json: parsed.advanced_instance_config,
  };
  return {
    cloud_id: cloudId,
    deployment_configs: [deployment],
    allowed_azs: deployment.allowed_azs,
    head_node_type,
    worker_node_types,
    auto_select_worker_config: deployment.auto_select_worker_config,
    flags,
    advanced_configurations_json: deployment.advanced_configurations_json,
  };
}
