// How `fromYaml` overrides combine with the file's values, as the CLI's flags do over `-f`:
// `--env` replaces per key, `--exclude` adds patterns to the file's `excludes` (the CLI reference:
// "appended to the 'excludes' list in the config file"), and `--tag` is read per key. Every other
// override replaces the file's value whole. An override given as an Output (or a promise) is merged
// once it resolves; secretness carries over.
import * as pulumi from "@pulumi/pulumi";

/** Overrides that merge into the file's value instead of replacing it, and how. */
export const MERGED_OVERRIDES = {
  envVars: "per key",
  tags: "per key",
  excludes: "appended",
} as const;

type Merge = (fromFile: unknown, override: unknown) => unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Per key: the override's keys win, the file's other keys stay. */
export function mergePerKey(fromFile: unknown, override: unknown): unknown {
  if (!isRecord(fromFile) || !isRecord(override)) return override;
  return { ...fromFile, ...override };
}

/** Appended: the file's patterns, then the override's that the file does not already list. */
export function mergeAppended(fromFile: unknown, override: unknown): unknown {
  if (!Array.isArray(fromFile) || !Array.isArray(override)) return override;
  return [...fromFile, ...override.filter((item) => !fromFile.includes(item))];
}

const MERGES: Record<keyof typeof MERGED_OVERRIDES, Merge> = {
  envVars: mergePerKey,
  tags: mergePerKey,
  excludes: mergeAppended,
};

/** Whether a value is already known here (neither an Output nor a promise), so it can be merged now. */
function isPlain(value: unknown): boolean {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/** The args of `fromYaml(name, file, overrides)`: the file's args with the overrides applied. */
export function applyYamlOverrides<T extends object>(fromFile: Record<string, unknown>, overrides: Record<string, unknown>): T {
  const result: Record<string, unknown> = { ...fromFile };
  for (const [key, override] of Object.entries(overrides)) {
    if (override === undefined) continue;
    const merge = MERGES[key as keyof typeof MERGES];
    const fileValue = fromFile[key];
    if (!merge || fileValue === undefined) {
      result[key] = override;
    } else if (isPlain(override)) {
      result[key] = merge(fileValue, override);
    } else {
      result[key] = pulumi.output(override).apply((resolved) => merge(fileValue, resolved));
    }
  }
  return result as T;
}
