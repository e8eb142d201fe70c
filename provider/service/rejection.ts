// A rejected version stays rejected: after a gate or deadline rolls a version back, the stack keeps
// what was rejected (a digest of the version-defining inputs) and why, so the next `up` with the same
// program converges nothing and says so, instead of sending traffic to the known-bad version again.
// Changing the program (any version field) or setting rollout.retryRejected rolls out again. Pure.
import { createHash } from "node:crypto";
import { canonicalJson } from "../core/dynamic-support";
import { VERSION_FIELDS, withDefaults, type ServiceInputs } from "./schema";

export interface RejectionRecord {
  /** The rejected version's id and name on the platform (null when it never got one). */
  versionId: string | null;
  versionName: string | null;
  /** sha256 of the version-defining inputs: the same program has the same digest. */
  inputsDigest: string;
  step: number | null;
  percent: number | null;
  reason: string;
  at: string;
}

/** The digest of what defines a version (VERSION_FIELDS, defaults applied). */
export function versionInputsDigest(inputs: ServiceInputs): string {
  const normalized = withDefaults(inputs) as Record<string, unknown>;
  const picked = Object.fromEntries(VERSION_FIELDS.map((field) => [field, normalized[field] ?? null]));
  return createHash("sha256").update(canonicalJson(picked)).digest("hex");
}

export function rejectionRecord(inputs: ServiceInputs, version: { id: string | null; name: string | null }, where: { step: number | null; percent: number | null }, reason: string, at: Date): RejectionRecord {
  return { versionId: version.id, versionName: version.name, inputsDigest: versionInputsDigest(inputs), step: where.step, percent: where.percent, reason, at: at.toISOString() };
}

/** The reason alone from a rollback message: "step 1 (10%): <reason>. Rolled back: …". */
export function rejectionReason(message: string): string {
  return message.replace(/^step \d+[^:]*: /, "").replace(/\. Rolled back: .*$/s, "");
}

/** The rejection recorded in a resource's outputs, if any. */
export function recordedRejection(outputs: Record<string, unknown> | undefined): RejectionRecord | undefined {
  const status = outputs?.rolloutStatus as { rejected?: RejectionRecord } | undefined;
  const rejected = status?.rejected;
  return rejected && typeof rejected.inputsDigest === "string" ? rejected : undefined;
}

/** The rejection that stops this program from rolling out again: same version inputs, no retryRejected. */
export function standingRejection(outputs: Record<string, unknown> | undefined, inputs: ServiceInputs): RejectionRecord | undefined {
  const rejected = recordedRejection(outputs);
  if (!rejected || inputs.rollout?.retryRejected) return undefined;
  return rejected.inputsDigest === versionInputsDigest(inputs) ? rejected : undefined;
}

/** "v3 was rejected at step 1: …; change the program or set `rollout.retryRejected`". */
export function describeRejection(rejected: RejectionRecord): string {
  const version = rejected.versionName ?? rejected.versionId ?? "the new version";
  const where = rejected.step !== null ? ` at step ${rejected.step}${rejected.percent !== null ? ` (${rejected.percent}%)` : ""}` : "";
  return `${version} was rejected${where}: ${rejected.reason}; change the program or set \`rollout.retryRejected\` to roll it out again`;
}
