// The rollout planner: a pure function from (old inputs, new inputs) to what an update must do.
// diff uses it to tell the engine (and so `pulumi preview`) the truth; update executes the plan.
import { canonicalJson } from "../core/dynamic-support";
import { pathsOf } from "../core/declaration";
import { declaredField, NOT_IN_PLACE_FIELDS, PROVIDER_ONLY_FIELDS, REPLACE_FIELDS, SERVICE_FIELDS, VERSION_FIELDS, withDefaults, type ServiceInputs } from "./schema";

export type ServicePlan =
  /** Nothing to do. */
  | { kind: "none"; changed: [] }
  /** Only provider-side settings changed (deletionPolicy, rollout settings for the next deploy): state is rewritten, no API call. */
  | { kind: "stateOnly"; changed: string[] }
  /** Only tags changed: the tags API, no new version. */
  | { kind: "tagsOnly"; changed: string[] }
  /** Only the held canary's share changed: re-apply the canary version with the new canary_percent. */
  | { kind: "canaryWeight"; changed: string[]; canaryPercent: number }
  /** Applied to the running version without new cluster (rollout_strategy IN_PLACE). */
  | { kind: "inPlace"; changed: string[] }
  /** A new version rolled out beside the old one. */
  | { kind: "rollout"; changed: string[]; canaryPercent?: number }
  /** A new service. */
  | { kind: "replace"; changed: string[]; replaces: string[] };

const FULL = 100;

/** Declared canary share: undefined and 100 both mean "complete the rollout". */
export function declaredCanaryPercent(inputs: ServiceInputs): number {
  return inputs.rollout?.canaryPercent ?? FULL;
}

/**
 * One side of a comparison: defaults applied once, and each field's canonical form computed once,
 * because a plan compares the same fields in several passes and `applications` can be large.
 */
class ComparableInputs {
  private readonly normalized: Record<string, unknown>;
  private readonly canonical = new Map<string, string>();

  constructor(readonly inputs: ServiceInputs) {
    this.normalized = withDefaults(inputs) as Record<string, unknown>;
  }

  canonicalOf(field: string): string {
    let text = this.canonical.get(field);
    if (text === undefined) {
      text = canonicalJson(this.fieldValue(field));
      this.canonical.set(field, text);
    }
    return text;
  }

  /** The value of a (possibly dotted) field with defaults applied. */
  private fieldValue(field: string): unknown {
    let value: unknown = this.normalized;
    for (const part of field.split(".")) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
    if (field === "rollout.strategy") return value ?? "rollout";
    if (field === "rollout.autoRollback") return value ?? false;
    // An empty map or list sends the same request as leaving the field out, so it must not diff.
    if (value && typeof value === "object" && Object.keys(value as object).length === 0) return undefined;
    return value;
  }
}

function changedFields(olds: ComparableInputs, news: ComparableInputs, fields: readonly string[]): string[] {
  return fields.filter((field) => olds.canonicalOf(field) !== news.canonicalOf(field));
}

/** Every declared field whose change is recorded (the declaration has no others to forget). */
const ALL_FIELDS = [...REPLACE_FIELDS, ...VERSION_FIELDS, ...pathsOf(SERVICE_FIELDS, "tags", "canary"), ...PROVIDER_ONLY_FIELDS];

/** State written before the containerfile digest existed: the first check after it records it without a change. */
function withRecordedDigest(olds: ServiceInputs, news: ServiceInputs): ServiceInputs {
  return olds.containerfileHash === undefined && olds.containerfile === news.containerfile ? { ...olds, containerfileHash: news.containerfileHash } : olds;
}

export function planServiceUpdate(recordedInputs: ServiceInputs, newInputs: ServiceInputs): ServicePlan {
  const oldInputs = withRecordedDigest(recordedInputs, newInputs);
  const olds = new ComparableInputs(oldInputs);
  const news = new ComparableInputs(newInputs);
  const replaces = changedFields(olds, news, REPLACE_FIELDS);
  const changed = changedFields(olds, news, ALL_FIELDS);
  if (replaces.length > 0) return { kind: "replace", changed, replaces };

  const versionChanges = changedFields(olds, news, VERSION_FIELDS);
  if (versionChanges.length > 0) {
    const inPlace = (newInputs.rollout?.strategy ?? "rollout") === "inPlace";
    const blocking = changedFields(olds, news, NOT_IN_PLACE_FIELDS);
    if (inPlace && blocking.length === 0) return { kind: "inPlace", changed };
    return { kind: "rollout", changed, canaryPercent: newInputs.rollout?.canaryPercent };
  }

  const oldPercent = declaredCanaryPercent(oldInputs);
  const newPercent = declaredCanaryPercent(newInputs);
  // A changed share matters only while a canary is held (the old declaration was below 100).
  if (oldPercent !== newPercent && oldPercent < FULL) {
    return { kind: "canaryWeight", changed, canaryPercent: newPercent };
  }
  if (changed.length === 0) return { kind: "none", changed: [] };
  if (changed.every((field) => field === "tags")) return { kind: "tagsOnly", changed };
  if (!changed.includes("tags")) return { kind: "stateOnly", changed };
  // Tags plus provider-side settings: the tags call is the only API work.
  return { kind: "tagsOnly", changed };
}

/** What `diff` reports to the engine. */
export function diffFromPlan(plan: ServicePlan): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  return {
    changes: plan.kind !== "none",
    replaces: plan.kind === "replace" ? plan.replaces : [],
    // A replacement lives in another project or under another name, so both can exist at once:
    // create the new service first, then retire the old one.
    deleteBeforeReplace: false,
  };
}

export interface InPlaceBlocker {
  /** The input the user changed (an internal digest is reported on the input it digests). */
  field: string;
  reason: string;
}

/**
 * Fields an in-place update would change but cannot, each with the declared reason (check reports
 * them on the field). Empty unless the new strategy is inPlace and the service already exists.
 */
export function inPlaceBlockers(olds: ServiceInputs | undefined, news: ServiceInputs): InPlaceBlocker[] {
  if (!olds || (news.rollout?.strategy ?? "rollout") !== "inPlace") return [];
  const blockers = changedFields(new ComparableInputs(withRecordedDigest(olds, news)), new ComparableInputs(news), NOT_IN_PLACE_FIELDS).map((path) => {
    const declared = declaredField(path);
    return { field: declared.reportedOn ?? path, reason: declared.reason ?? "it cannot change in place" };
  });
  // One failure per input (a changed containerfile path also changes its digest).
  return blockers.filter((blocker, index) => blockers.findIndex((other) => other.field === blocker.field) === index);
}
