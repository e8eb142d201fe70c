// Response checks of a golden set: whether one answer is right (status, a value at a JSON path, a
// number in a range, a regular expression on the body). Pure, so a model answering wrongly with 200
// is judged the same way in unit tests as on the wire.
import type { GoldenRequest } from "./rollout-schema";

/** The keys and indexes of `$.a.b[0]` / `a.b[0]`. */
export function jsonPathSteps(path: string): Array<string | number> {
  const steps: Array<string | number> = [];
  const pattern = /\.?([^.[\]\s]+)|\[(\d+)\]/g;
  for (const match of path.replace(/^\$/, "").matchAll(pattern)) steps.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  return steps;
}

export function valueAt(document: unknown, path: string): { found: boolean; value?: unknown } {
  let value = document;
  for (const step of jsonPathSteps(path)) {
    if (value === null || typeof value !== "object" || !(step in (value as object))) return { found: false };
    value = (value as Record<string | number, unknown>)[step];
  }
  return { found: true, value };
}

/** Why an answer is wrong, or undefined when it is right. Never quotes the body (it could echo a secret). */
export function answerProblem(request: GoldenRequest, status: number, body: string): string | undefined {
  const expected = request.expectedStatus ?? [200];
  if (!expected.includes(status)) return `status ${status}`;
  if (request.matches !== undefined && !new RegExp(request.matches).test(body)) return "body does not match";
  if (request.jsonPath === undefined) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return "answer is not JSON";
  }
  const { found, value } = valueAt(document, request.jsonPath);
  if (!found) return `${request.jsonPath} missing`;
  if (request.equals !== undefined && value !== request.equals) return `${request.jsonPath} is not ${JSON.stringify(request.equals)}`;
  if (request.min !== undefined || request.max !== undefined) {
    if (typeof value !== "number") return `${request.jsonPath} is not a number`;
    if (request.min !== undefined && value < request.min) return `${request.jsonPath} below ${request.min}`;
    if (request.max !== undefined && value > request.max) return `${request.jsonPath} above ${request.max}`;
  }
  return undefined;
}
