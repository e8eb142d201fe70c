// Queue names are unique within a project (and, on the platform as locally, a sealed queue keeps its
// name). An unnamed queue therefore gets its name at creation: the resource name plus a short hash of
// what defines it, with a counter when that name is already taken. Ownership is recorded with a tag
// whose value is derived from the resource instance (its scope with the nonce check keeps from its
// previous inputs: core/owner-mark.ts), so a retried create adopts the queue it made and a stack of
// the same names in another backend never does.
import { createHash } from "node:crypto";
import { canonicalJson } from "../core/dynamic-support";
import { scopeBase } from "../core/owner-mark";
import { QUEUE_DEFINING_FIELDS } from "./planner";

/** How many generated names are tried before giving up (each taken by an older, sealed queue). */
export const GENERATED_NAME_ATTEMPTS = 5;

type Inputs = Record<string, unknown>;

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function scopeOf(inputs: Inputs): string {
  return typeof inputs.submissionScope === "string" ? inputs.submissionScope : "";
}

function definition(inputs: Inputs): Record<string, unknown> {
  return Object.fromEntries(QUEUE_DEFINING_FIELDS.map((field) => [field, inputs[field]]));
}

/** Same resource, same explicit name (or none) and same definition → same key. */
export function queueOwnershipKey(inputs: Inputs): string {
  return sha256Hex(canonicalJson({ scope: scopeOf(inputs), name: inputs.name, definition: definition(inputs) })).slice(0, 40);
}

/** Names to try, in order: the explicit name only, or generated candidates. */
export function candidateQueueNames(inputs: Inputs): string[] {
  if (typeof inputs.name === "string") return [inputs.name];
  // Generated names stay readable and stable per resource: from the scope without its nonce.
  const scope = scopeBase(scopeOf(inputs));
  const resourceName = scope.split("/").pop() || "job-queue";
  const base = `${resourceName}-${sha256Hex(canonicalJson({ scope, definition: definition(inputs) })).slice(0, 7)}`;
  return Array.from({ length: GENERATED_NAME_ATTEMPTS }, (_, index) => (index === 0 ? base : `${base}-${index + 1}`));
}

/** Pure plan of a create: the ownership key that finds a queue an interrupted create made, and the names to try in order. */
export function decideQueueCreate(inputs: Inputs): { key: string; names: string[] } {
  return { key: queueOwnershipKey(inputs), names: candidateQueueNames(inputs) };
}
