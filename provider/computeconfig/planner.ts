// Pure: what a change of a ComputeConfig's inputs does. Versions are immutable on the platform, so any
// change of the name or the config registers a new version: a replacement (create the new version,
// then archive the old one once dependents moved). A change of timeouts alone is an update that sends
// nothing: the engine keeps the old outputs on an unchanged step, and delete reads its timeout there.
import { jsonEqual } from "../core/dynamic-support";
import { configOf } from "./schema";
import { COMPUTE_CONFIG_OUTPUT_NAMES } from "./output-schema";

export function planComputeConfigChange(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[] } {
  const replaces: string[] = [];
  if (olds.name !== news.name) replaces.push("name");
  const oldConfig = configOf(withoutOutputs(olds));
  const newConfig = configOf(news);
  for (const key of new Set([...Object.keys(oldConfig), ...Object.keys(newConfig)])) {
    if (!jsonEqual(oldConfig[key], newConfig[key])) replaces.push(key);
  }
  return { changes: replaces.length > 0 || !jsonEqual(olds.timeouts, news.timeouts), replaces };
}

/** What state holds beside the inputs: the declared outputs and the provider reference. */
export const COMPUTE_CONFIG_OUTPUTS: readonly string[] = [...COMPUTE_CONFIG_OUTPUT_NAMES, "__provider"];

function withoutOutputs(state: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(state).filter(([key]) => !COMPUTE_CONFIG_OUTPUTS.includes(key)));
}
