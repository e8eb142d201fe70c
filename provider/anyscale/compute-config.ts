// Compute configs as the SDK defines them: ComputeConfig (one cloud resource) or
// MultiResourceComputeConfig (`configs: [...]`), validated strictly (an unknown key is an error
// naming it, never dropped) and mapped onto the API's ComputeTemplateConfig as the SDK maps them.
// One definition serves two spellings: snake_case (a Service's or Job's inline `computeConfig`, like
// the SDK's YAML) and camelCase (the ComputeConfig resource's inputs).
import { z } from "zod";
import type { AnyscaleClient } from "./client";

export type Spelling = "snake" | "camel";

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const keyOf = (spelling: Spelling, name: string) => (spelling === "snake" ? name : camel(name));
const shape = (spelling: Spelling, fields: Record<string, z.ZodType>) =>
  z.strictObject(Object.fromEntries(Object.entries(fields).map(([name, schema]) => [keyOf(spelling, name), schema])));

const freeMap = z.record(z.string(), z.unknown());
const nodeCount = z.number().int("must be an integer").min(0, "must not be negative");

function nodeFields(): Record<string, z.ZodType> {
  return {
    instance_type: z.string().min(1, "must not be empty").optional(),
    resources: freeMap.optional(),
    required_resources: freeMap.optional(),
    labels: z.record(z.string(), z.string()).optional(),
    required_labels: z.record(z.string(), z.unknown()).optional(),
    advanced_instance_config: freeMap.optional(),
    flags: freeMap.optional(),
    cloud_deployment: z.record(z.string(), z.string()).optional(),
  };
}

function workerSchema(spelling: Spelling) {
  const k = (name: string) => keyOf(spelling, name);
  return shape(spelling, {
    ...nodeFields(),
    name: z.string().min(1, "must not be empty").optional(),
    min_nodes: nodeCount.optional(),
    max_nodes: nodeCount.min(1, "must be at least 1").optional(),
    market_type: z.enum(["ON_DEMAND", "SPOT", "PREFER_SPOT"]).optional(),
  }).superRefine((worker: Record<string, unknown>, context) => {
    // The SDK: a worker group needs an instance type unless required_resources makes it 'custom'.
    if (worker[k("instance_type")] === undefined && worker[k("required_resources")] === undefined) {
      context.addIssue({ code: "custom", path: [k("instance_type")], message: `is required for a worker group (or give ${k("required_resources")})` });
    }
    const min = (worker[k("min_nodes")] as number | undefined) ?? 0;
    const max = (worker[k("max_nodes")] as number | undefined) ?? 10;
    if (max < min) context.addIssue({ code: "custom", path: [k("max_nodes")], message: `must be >= ${k("min_nodes")} (${min})` });
  });
}

function singleFields(spelling: Spelling): Record<string, z.ZodType> {
  return {
    cloud: z.string().min(1).optional(),
    cloud_resource: z.string().min(1).optional(),
    head_node: shape(spelling, nodeFields()).optional(),
    worker_nodes: z.array(workerSchema(spelling)).optional(),
    min_resources: freeMap.optional(),
    max_resources: freeMap.optional(),
    zones: z.array(z.string().min(1)).optional(),
    enable_cross_zone_scaling: z.boolean().optional(),
    advanced_instance_config: freeMap.optional(),
    flags: freeMap.optional(),
    auto_select_worker_config: z.boolean().optional(),
  };
}

export function singleComputeConfigSchema(spelling: Spelling) {
  return shape(spelling, singleFields(spelling));
}

export function multiComputeConfigSchema(spelling: Spelling) {
  const k = (name: string) => keyOf(spelling, name);
  return shape(spelling, {
    cloud: z.string().min(1).optional(),
    configs: z.array(singleComputeConfigSchema(spelling)).min(1, "must include at least one compute configuration"),
    flags: freeMap.optional(),
  }).superRefine((multi: Record<string, unknown>, context) => {
    const configs = multi.configs as Array<Record<string, unknown>>;
    const seen = new Set<string | undefined>();
    configs.forEach((config, index) => {
      const cloud = config.cloud as string | undefined;
      if (cloud !== undefined && multi.cloud !== undefined && cloud !== multi.cloud) {
        context.addIssue({ code: "custom", path: ["configs", index, "cloud"], message: "must be the same for all configs" });
      }
      const resource = config[k("cloud_resource")] as string | undefined;
      if (seen.has(resource)) context.addIssue({ code: "custom", path: ["configs", index, k("cloud_resource")], message: "must be unique for each compute configuration" });
      seen.add(resource);
    });
  });
}

/** Either form; `configs` picks the multi-resource one, so errors point at the right fields. */
export function computeConfigSchema(spelling: Spelling) {
  const single = singleComputeConfigSchema(spelling);
  const multi = multiComputeConfigSchema(spelling);
  return z.custom<Record<string, unknown>>().superRefine((value, context) => {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      context.addIssue({ code: "custom", message: "must be a compute config object" });
      return;
    }
    const parsed = ("configs" in value ? multi : single).safeParse(value);
    if (!parsed.success) for (const issue of parsed.error.issues) context.addIssue({ ...issue, code: "custom", path: issue.path as (string | number)[] } as never);
  });
}

/** The user-facing inline compute config of a Service or Job (snake_case, like the SDK's YAML). */
export const inlineComputeConfigSchema = computeConfigSchema("snake");

/** camelCase → the SDK's snake_case, for the structural keys only (flags, resources, labels… are the user's own maps). */
export function toSnakeComputeConfig(config: Record<string, unknown>): Record<string, unknown> {
  const snakeKey = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const rename = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).map(([key, value]) => [snakeKey(key), value]));
  const single = (c: Record<string, unknown>) => {
    const out = rename(c);
    if (out.head_node) out.head_node = rename(out.head_node as Record<string, unknown>);
    if (Array.isArray(out.worker_nodes)) out.worker_nodes = (out.worker_nodes as Array<Record<string, unknown>>).map(rename);
    return out;
  };
  if (Array.isArray(config.configs)) return { ...rename(config), configs: (config.configs as Array<Record<string, unknown>>).map(single) };
  return single(config);
}

type Snake = Record<string, any>;

/** The SDK's resource dict → API Resources (CPU/GPU/memory/object_store_memory typed, the rest custom). */
function resourcesToApi(resources: Snake | undefined): Snake | undefined {
  if (!resources) return undefined;
  const { CPU, GPU, memory, object_store_memory, system_reserved_cpu_millicpu, system_reserved_memory_bytes, ...custom } = resources;
  return { cpu: CPU, gpu: GPU, memory, object_store_memory, system_reserved_cpu_millicpu, system_reserved_memory_bytes, custom_resources: Object.keys(custom).length ? custom : undefined };
}

function nodeFlags(node: Snake): Snake | undefined {
  const flags = { ...(node.flags ?? {}) };
  if (node.cloud_deployment) flags.cloud_deployment = node.cloud_deployment;
  return Object.keys(flags).length ? flags : undefined;
}

function deploymentToApi(config: Snake, defaultHeadInstanceType: string, baseFlags: Snake | undefined): Snake {
  const flags: Snake = { ...baseFlags, ...config.flags, "allow-cross-zone-autoscaling": config.enable_cross_zone_scaling ?? false };
  if (config.min_resources) flags.min_resources = config.min_resources;
  if (config.max_resources) flags.max_resources = config.max_resources;
  // The head runs no workloads unless it is the only node (the SDK's rule).
  const schedulable = Array.isArray(config.worker_nodes) && config.worker_nodes.length === 0 && !config.auto_select_worker_config;
  const head = config.head_node as Snake | undefined;
  const head_node_type = {
    name: "head-node",
    instance_type: head?.instance_type ?? (head?.required_resources ? "custom" : defaultHeadInstanceType),
    resources: head?.resources !== undefined || schedulable ? resourcesToApi(head?.resources) : { cpu: 0, gpu: 0 },
    required_resources: head?.required_resources,
    labels: head?.labels,
    required_labels: head?.required_labels,
    flags: head ? nodeFlags(head) : undefined,
    advanced_configurations_json: head?.advanced_instance_config,
  };
  const worker_node_types = (config.worker_nodes as Snake[] | undefined)?.map((worker) => ({
    name: worker.name ?? worker.instance_type ?? "custom",
    instance_type: worker.instance_type ?? "custom",
    resources: resourcesToApi(worker.resources),
    required_resources: worker.required_resources,
    labels: worker.labels,
    required_labels: worker.required_labels,
    min_workers: worker.min_nodes ?? 0,
    max_workers: worker.max_nodes ?? 10,
    use_spot: worker.market_type === "SPOT" || worker.market_type === "PREFER_SPOT",
    fallback_to_ondemand: worker.market_type === "PREFER_SPOT",
    flags: nodeFlags(worker),
    advanced_configurations_json: worker.advanced_instance_config,
  }));
  return {
    cloud_deployment: config.cloud_resource,
    allowed_azs: config.zones,
    head_node_type,
    worker_node_types,
    auto_select_worker_config: config.auto_select_worker_config ?? false,
    flags,
    advanced_configurations_json: config.advanced_instance_config,
  };
}

/** Pure: a validated snake_case config → ComputeTemplateConfig (top-level fields from the first deployment, as the SDK sets them). */
export function computeConfigToApi(config: Snake, cloudId: string, defaultHeadInstanceType: string): Snake {
  const deployments = Array.isArray(config.configs)
    ? (config.configs as Snake[]).map((c) => deploymentToApi(c, defaultHeadInstanceType, config.flags))
    : [deploymentToApi(config, defaultHeadInstanceType, undefined)];
  const first = deployments[0];
  return {
    cloud_id: cloudId,
    deployment_configs: deployments,
    allowed_azs: first.allowed_azs,
    head_node_type: first.head_node_type,
    worker_node_types: first.worker_node_types,
    auto_select_worker_config: first.auto_select_worker_config,
    flags: first.flags,
    advanced_configurations_json: first.advanced_configurations_json,
  };
}

function needsDefaultHead(config: Snake): boolean {
  const configs = Array.isArray(config.configs) ? (config.configs as Snake[]) : [config];
  return configs.some((c) => !c.head_node?.instance_type && !c.head_node?.required_resources);
}

/**
 * Maps a snake_case config onto the API's ComputeTemplateConfig. A missing head node takes the
 * cloud default's instance type, as the SDK does (one GET /ext/v0/cluster_computes/default).
 */
export async function inlineComputeConfigToApi(client: AnyscaleClient, inline: Record<string, unknown>, cloudId: string): Promise<Record<string, unknown>> {
  let defaultHead = "";
  if (needsDefaultHead(inline)) {
    const fallback = await client.result(
      z.looseObject({ config: z.looseObject({ head_node_type: z.looseObject({ instance_type: z.string() }) }) }),
      "GET",
      "/ext/v0/cluster_computes/default",
      { query: { cloud_id: cloudId } },
    );
    defaultHead = fallback.config.head_node_type.instance_type;
  }
  return computeConfigToApi(inline, cloudId, defaultHead);
}

/**
 * A Service's or Job's `computeConfig`: a registered `name[:version]` (checked by `nameSchema`) or an
 * inline definition. Dispatched by type (not a zod union) so an error points into the inline config,
 * e.g. `computeConfig.worker_nodes[0].instance_type`.
 */
export function nameOrInlineComputeConfig(nameSchema: z.ZodType) {
  return z.custom<string | Record<string, unknown>>().superRefine((value, context) => {
    const schema = typeof value === "string" ? nameSchema : value && typeof value === "object" && !Array.isArray(value) ? inlineComputeConfigSchema : undefined;
    if (!schema) {
      context.addIssue({ code: "custom", message: 'must be "name[:version]" of a registered compute config or an inline compute config object' });
      return;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) for (const issue of parsed.error.issues) context.addIssue({ code: "custom", path: issue.path as (string | number)[], message: issue.message });
  });
}
