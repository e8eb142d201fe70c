import type { z } from "zod";
import { LocalApiError } from "./types";

/**
 * Validates a request body (or query) against a zod schema. Failures become 422 (as the platform's
 * FastAPI backend answers request-validation errors) with a detail naming each offending field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = "body"): z.infer<S> {
  const result = schema.safeParse(input === undefined ? {} : input);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join(".") : what;
    return `${field}: ${issue.message}`;
  });
  throw new LocalApiError(422, `Invalid request ${what}: ${problems.join("; ")}`);
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
