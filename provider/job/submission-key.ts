// Idempotent submission. A job is tagged at submission with a key derived from the resource's
// identity (project/stack/resource name) and everything that defines the run, so a create that is
// retried or resumed after a crash finds the job it already submitted instead of starting a second
// one. The key is released when the resource is deleted (the job is archived, deleted or untagged),
// so a later, identical resource submits afresh.
import { createHash } from "node:crypto";
import { canonicalJson } from "../core/dynamic-support";
import { JOB_REPLACE_FIELDS } from "./planner";

export { SUBMISSION_KEY_TAG } from "../core/reserved-tags";

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function definingFields(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(JOB_REPLACE_FIELDS.map((field) => [field, inputs[field]]));
}

/** Same scope and same run definition → same key; any replacing change → a new key. */
export function submissionKeyFor(inputs: Record<string, unknown>): string {
  const scope = typeof inputs.submissionScope === "string" ? inputs.submissionScope : "";
  return sha256Hex(canonicalJson({ scope, run: definingFields(inputs) })).slice(0, 40);
}

/**
 * The name given to a job whose program gave none: the resource name (the last part of the scope),
 * which is stable across runs, so a retried create computes the same key. Job names need not be unique.
 */
export function defaultJobName(inputs: Record<string, unknown>): string {
  const scope = typeof inputs.submissionScope === "string" ? inputs.submissionScope : "";
  const resourceName = scope.split("/").pop();
  if (resourceName) return resourceName;
  const { name: _name, ...rest } = definingFields(inputs);
  return `job-${sha256Hex(canonicalJson(rest)).slice(0, 8)}`;
}
