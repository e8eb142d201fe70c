// Helpers shared by every dynamic provider: preview unknowns, check failures named after the input
// field, plain-JSON outputs, and the created-but-failed-to-initialize error shape.
import type { z } from "zod";
import { ResourceInitError } from "./errors";

/** The value the engine sends for inputs not yet known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface CheckFailure {
  property: string;
  reason: string;
}

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** "rollout.canaryPercent", "applications[0].runtimeEnv" — the way users write the input. */
export function formatPropertyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): { reachedUnknown: boolean } {
  let current: unknown = root;
  for (const segment of path) {
    if (isUnknown(current)) return { reachedUnknown: true };
    if (current === null || typeof current !== "object") return { reachedUnknown: false };
    current = (current as Record<PropertyKey, unknown>)[segment as never];
  }
  return { reachedUnknown: isUnknown(current) || containsUnknown(current) };
}

/** Failures from zod issues, each naming the input field with a dotted camelCase path. */
export function failuresFromZodIssues(issues: ReadonlyArray<z.core.$ZodIssue>, pathPrefix: ReadonlyArray<PropertyKey> = []): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of issues) {
    const property = formatPropertyPath([...pathPrefix, ...(issue.path as PropertyKey[])]) || "(inputs)";
    failures.push({ property, reason: `${property}: ${issue.message}` });
  }
  return dedupeFailures(failures);
}

function dedupeFailures(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((failure) => {
    const key = `${failure.property}\u0000${failure.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type ValidationResult<T> = { ok: true; value: T; hasUnknowns: false } | { ok: false; failures: CheckFailure[]; hasUnknowns: boolean };

/**
 * Validates inputs that may hold preview unknowns. Issues on (or under) an unknown value are dropped,
 * since the real value is checked again when known; when unknowns remain, `ok` is false with no
 * failures, and the caller passes the inputs through unchanged.
 */
export function validateAllowingUnknowns<S extends z.ZodType>(schema: S, inputs: unknown): ValidationResult<z.output<S>> {
  const parsed = schema.safeParse(inputs);
  const hasUnknowns = containsUnknown(inputs);
  if (parsed.success) {
    return hasUnknowns ? { ok: false, failures: [], hasUnknowns } : { ok: true, value: parsed.data, hasUnknowns: false };
  }
  const relevant = parsed.error.issues.filter((issue) => !valueAt(inputs, issue.path as PropertyKey[]).reachedUnknown);
  return { ok: false, failures: failuresFromZodIssues(relevant), hasUnknowns };
}

/** Deep copy without undefined values, functions or class instances: what may go into Pulumi state. */
export function toPlainJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Drops keys whose value is undefined or null (the API omits nulls; state should too). */
export function withoutEmpty<T extends Record<string, unknown>>(record: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined && value !== null) out[key] = value;
  return out as Partial<T>;
}

/**
 * Throws the error shape that makes the engine record the object as "created but failed to
 * initialize" (so the next `pulumi up` continues from it) instead of orphaning it.
 */
export function throwInitFailure(
  id: string,
  outputs: Record<string, unknown>,
  inputs: Record<string, unknown>,
  message: string,
): never {
  throw new ResourceInitError(id, toPlainJson(outputs), inputs, message);
}

/** Pulumi's wire marker of a secret value: the engine keeps it secret (encrypted in state) from any host. */
export const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/**
 * A value the engine records as a secret. For outputs sent with an init failure: the engine reads those
 * keeping secrets even from a dynamic provider, whereas `additionalSecretOutputs` applies only on success.
 */
export function secretValue(value: unknown): Record<string, unknown> {
  return { [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

export function isSecretValue(value: unknown): value is { value?: unknown } {
  return !!value && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** A stable deep-equality over JSON values (key order ignored). */
export function jsonEqual(left: unknown, right: unknown): boolean {
  return canonicalJson(left) === canonicalJson(right);
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined) out[key] = sortKeys(inner);
    }
    return out;
  }
  return value;
}
