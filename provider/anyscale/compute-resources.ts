// A node's `resources` as the SDK's ComputeConfig takes them (Ray's names: CPU, GPU, memory, custom
// keys) and as the compute config API stores them (the generated Resources model: cpu, gpu, memory,
// object_store_memory, the system reservations, and custom_resources for every other key). Mirrors
// the official SDK's _convert_resource_dict_to_api_model.

const TYPED_FIELDS: Record<string, string> = {
  CPU: "cpu",
  GPU: "gpu",
  memory: "memory",
  object_store_memory: "object_store_memory",
  system_reserved_cpu_millicpu: "system_reserved_cpu_millicpu",
  system_reserved_memory_bytes: "system_reserved_memory_bytes",
};

/** The head node's resources when it should run no workloads (the SDK's UNSCHEDULABLE_RESOURCES). */
export const UNSCHEDULABLE_RESOURCES = Object.freeze({ cpu: 0, gpu: 0 });

export function resourcesToApi(resources: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (resources === undefined) return undefined;
  const api: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resources)) {
    const field = TYPED_FIELDS[key];
    if (field) api[field] = value;
    else custom[key] = value;
  }
  if (Object.keys(custom).length > 0) api.custom_resources = custom;
  return api;
}

/** The inverse: API resources back to Ray's names (what the SDK shows); the unschedulable default reads as none. */
export function resourcesFromApi(resources: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  if (!resources) return undefined;
  const names = Object.fromEntries(Object.entries(TYPED_FIELDS).map(([ray, api]) => [api, ray]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resources)) {
    if (value === null || value === undefined) continue;
    if (key === "custom_resources" && value && typeof value === "object") Object.assign(out, value);
    else out[names[key] ?? key] = value;
  }
  const keys = Object.keys(out);
  if (keys.length === 0) return undefined;
  if (keys.length === 2 && out.CPU === 0 && out.GPU === 0) return undefined;
  return out;
}
