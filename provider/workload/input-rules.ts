// Rules every resource's inputs share, checked once here and hooked into each check: what the
// platform's names and env vars accept, where it documents it, and Kubernetes' rules where it does
// not (its workloads run on Kubernetes and Ray, which apply them downstream — failing there means
// failing after an upload and a build instead of at preview).
// - A name (`name`, `versionName`, an application's or tag's key) has no control characters
//   (NUL, newlines, C1), no bidirectional overrides (which make a name read differently from what it
//   is), and at most NAME_MAX characters (the platform's service and version name limit).
// - An env var name is a C identifier extended as Kubernetes allows (`-`, `.`): never empty, never `=`.
// - A resource amount (`resources`, `requiredResources` of a node: CPU, GPU, memory) is a number >= 0.
// Pure; returns failures naming the field (dotted path), and no API call.
import type { CheckFailure } from "../core/dynamic-support";

export const NAME_MAX = 128;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const NAME_FIELDS = new Set(["name", "versionName"]);
const ENV_FIELDS = new Set(["envVars", "env_vars"]);
const RESOURCE_FIELDS = new Set(["resources", "requiredResources", "required_resources"]);
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Why a name is refused, or undefined. */
export function nameProblem(value: string, max = NAME_MAX): string | undefined {
  if (value === UNKNOWN) return undefined;
  if (CONTROL.test(value)) return "must not contain control characters (NUL, newlines, tabs)";
  if (BIDI.test(value)) return "must not contain bidirectional text overrides";
  if ([...value].length > max) return `must be at most ${max} characters`;
  return undefined;
}

/** Why an environment variable name is refused, or undefined. */
export function envVarNameProblem(name: string): string | undefined {
  if (name.length === 0) return "environment variable names must not be empty";
  if (name.includes("=")) return `environment variable name '${name}' must not contain '='`;
  if (!ENV_VAR_NAME.test(name)) return `environment variable name '${printable(name)}' must consist of letters, digits, '_', '-' or '.', and not start with a digit`;
  return undefined;
}

function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1).slice(0, 60);
}

const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** Every shared-rule failure in a resource's inputs (internal inputs included: they name what the user wrote). */
export function inputRuleFailures(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const visit = (value: unknown, path: string, key: string | number | undefined) => {
    if (typeof value === "string" && typeof key === "string" && NAME_FIELDS.has(key)) {
      const problem = nameProblem(value);
      if (problem) failures.push({ property: path, reason: `${path}: ${problem}` });
    }
    if (!value || typeof value !== "object") return;
    if (Array.isArray(value)) return value.forEach((item, index) => visit(item, join(path, index), index));
    const record = value as Record<string, unknown>;
    if (typeof key === "string" && ENV_FIELDS.has(key)) {
      for (const name of Object.keys(record)) {
        const problem = envVarNameProblem(name);
        if (problem) failures.push({ property: path, reason: `${path}: ${problem}` });
      }
      return;
    }
    if (typeof key === "string" && RESOURCE_FIELDS.has(key)) {
      for (const [resource, amount] of Object.entries(record)) {
        if (typeof amount === "number" && (!Number.isFinite(amount) || amount < 0)) failures.push({ property: join(path, resource), reason: `${join(path, resource)}: must be a number >= 0` });
      }
    }
    if (key === "tags") {
      for (const [tag, tagValue] of Object.entries(record)) {
        const problem = nameProblem(tag) ?? (typeof tagValue === "string" && CONTROL.test(tagValue) ? "values must not contain control characters" : undefined);
        if (problem) failures.push({ property: join(path, tag), reason: `${join(path, tag)}: ${problem}` });
      }
      return;
    }
    for (const [child, childValue] of Object.entries(record)) if (child !== "__provider") visit(childValue, join(path, child), child);
  };
  visit(inputs, "", undefined);
  return failures;
}
