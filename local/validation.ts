import type { z } from "zod";
import { LocalApiError, type FieldError } from "./types";

/** A JSON number written as a string ("5", "-1.5"): what FastAPI's models coerce where a number is expected. */
const NUMERIC_STRING = /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/;

/** The value at `path`, replaced by `replace(value)`; the input is copied, never changed in place. */
function replaceAt(input: unknown, path: readonly PropertyKey[], replace: (value: unknown) => unknown): unknown {
  if (path.length === 0) return replace(input);
  if (!input || typeof input !== "object") return input;
  const [head, ...rest] = path;
  const copy = (Array.isArray(input) ? [...input] : { ...(input as Record<PropertyKey, unknown>) }) as Record<PropertyKey, unknown>;
  copy[head] = replaceAt(copy[head], rest, replace);
  return copy;
}

/**
 * Numbers sent as strings are accepted, as the platform's FastAPI models accept them (pydantic
 * coerces "5" to 5 for a number field); anything else of the wrong type is still refused.
 */
function coerceNumericStrings(input: unknown, issues: readonly z.core.$ZodIssue[]): unknown | undefined {
  let coerced = input;
  let changed = false;
  for (const issue of issues) {
    if (issue.code !== "invalid_type" || issue.expected !== "number") continue;
    coerced = replaceAt(coerced, issue.path, (value) => {
      if (typeof value !== "string" || !NUMERIC_STRING.test(value)) return value;
      changed = true;
      return Number(value);
    });
  }
  return changed ? coerced : undefined;
}

/**
 * Validates a request body (or query) against a zod schema. Failures become 422 (as the platform's
 * FastAPI backend answers request-validation errors): a message naming each offending field, and
 * the field errors themselves (`loc` starts with "body" or "query", as FastAPI's do).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "body"): z.infer<S> {
  let candidate = input === undefined ? {} : input;
  let result = schema.safeParse(candidate);
  for (let round = 0; !result.success && round < 3; round++) {
    const coerced = coerceNumericStrings(candidate, result.error.issues);
    if (coerced === undefined) break;
    candidate = coerced;
    result = schema.safeParse(candidate);
  }
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5);
  const problems = issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join(".") : what;
    return `${field}: ${issue.message}`;
  });
  const fieldErrors: FieldError[] = issues.map((issue) => ({
    loc: [what, ...issue.path.map((part) => (typeof part === "number" ? part : String(part)))],
    msg: issue.message,
    type: issue.code === "invalid_type" ? `type_error.${String((issue as { expected?: unknown }).expected ?? "value")}` : `value_error.${issue.code}`,
  }));
  throw new LocalApiError(422, `Invalid request ${what}: ${problems.join("; ")}`, fieldErrors);
}

export function notFound(what: string, id: string): LocalApiError {
  return new LocalApiError(404, `${what} with id '${id}' not found.`);
}

/** URLSearchParams → plain object; keys listed in `arrayKeys` always become arrays (repeated query keys). */
export function queryToObject(query: URLSearchParams, arrayKeys: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = arrayKeys.includes(key) ? values : values[values.length - 1];
  }
  for (const key of arrayKeys) out[key] ??= [];
  return out;
}
