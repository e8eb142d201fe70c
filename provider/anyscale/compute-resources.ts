// A node's `resources` as the compute config API stores them (the generated Resources model: cpu,
// gpu, memory, object_store_memory, the system reservations, custom_resources for the rest) read back
// in Ray's names, as the SDK shows them (CPU, GPU, memory, custom keys). The forward direction is
// compute-config.ts (the SDK's _convert_resource_dict_to_api_model).

const RAY_NAMES: Record<string, string> = {
  cpu: "CPU",
  gpu: "GPU",
  memory: "memory",
  object_store_memory: "object_store_memory",
  system_reserved_cpu_millicpu: "system_reserved_cpu_millicpu",
  system_reserved_memory_bytes: "system_reserved_memory_bytes",
};

/** API resources in Ray's names; the SDK's unschedulable-head default (`{cpu: 0, gpu: 0}`) reads as none. */
export function resourcesFromApi(resources: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  if (!resources) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resources)) {
    if (value === null || value === undefined) continue;
    if (key === "custom_resources" && typeof value === "object") Object.assign(out, value);
    else out[RAY_NAMES[key] ?? key] = value;
  }
  const keys = Object.keys(out);
  if (keys.length === 0) return undefined;
  if (keys.length === 2 && out.CPU === 0 && out.GPU === 0) return undefined;
  return out;
}
