// Never touch what another stack owns. update and delete refuse a service whose marks are all
// another's; a create re-checks the name right before its apply (uploads and builds widen the
// window), and after it inspects whether the service already belonged to someone else — the
// platform's apply is an upsert by name, so two stacks racing on one name both "succeed". The
// intruder undoes what it can (the platform's rollback when its version is the canary), removes its
// own mark and claim, and fails naming the other owner, recording nothing of theirs.
import type { AnyscaleClient } from "../anyscale/client";
import type { ServiceModel } from "../anyscale/service-models";
import { AnyscaleError } from "../core/errors";
import { claimTagKey, describeOwners, ownerMarkKey, ownerVerdict } from "../core/owner-mark";
import { RESOURCE_TYPE } from "./context";
import { SERVICE_MARK_KIND } from "./ownership";

export class ForeignOwnerError extends AnyscaleError {}

/** Throws when the live tags say another stack owns the service (its mark, and not ours). */
export function refuseForeign(tags: Record<string, string>, scope: string | undefined, name: string, id: string, action: string): void {
  const verdict = ownerVerdict(SERVICE_MARK_KIND, tags, scope);
  if (verdict.kind !== "other") return;
  throw new ForeignOwnerError(
    `Service '${name}' (${id}) belongs to another stack: ${describeOwners(tags, verdict.others)}; refusing to ${action} it. ` +
      `If this stack should own it, set adoptExisting: true and replace the resource; to forget it here, \`pulumi state delete\` the resource.`,
  );
}

/** Why a live service of this name is not ours to take, naming its owner when it has one. */
export function ownerOf(tags: Record<string, string> | undefined, scope: string | undefined): string {
  if (!tags) return "no owner mark";
  const verdict = ownerVerdict(SERVICE_MARK_KIND, tags, scope);
  if (verdict.kind === "other") return `owned by ${describeOwners(tags, verdict.others)}`;
  if (verdict.kind === "legacy") return "marked by an older provider version with this stack's names (another backend's stack of the same name, or this stack before a lost create)";
  return "no owner mark";
}

/**
 * Right before a create's apply: the name must still be free (or the service seen at the first look,
 * when adopting or taking back). Uploads and image builds ran since that look.
 */
export async function confirmStillFree(
  client: AnyscaleClient,
  name: string,
  projectId: string,
  firstLook: ServiceModel | undefined,
  scope: string | undefined,
): Promise<void> {
  const now = await client.services.findByName(name, { projectId });
  const liveNow = now && now.current_state !== "TERMINATED" ? now : undefined;
  const liveBefore = firstLook && firstLook.current_state !== "TERMINATED" ? firstLook : undefined;
  if (!liveNow || liveNow.id === liveBefore?.id) return;
  const tags = await client.tags.list(RESOURCE_TYPE, liveNow.id);
  if (ownerVerdict(SERVICE_MARK_KIND, tags, scope).kind === "ours") return;
  throw new ForeignOwnerError(
    `name: a service named '${name}' appeared in project ${projectId} while this create prepared its deploy (id ${liveNow.id}, ${ownerOf(tags, scope)}). ` +
      `Nothing was applied; choose another name, or set adoptExisting: true to take it over.`,
  );
}

/** Our version in an apply's answer: the canary when there is one, else the primary. */
function ourVersion(applied: ServiceModel) {
  return applied.canary_version ?? applied.primary_version ?? undefined;
}

/** True when the service existed before our version: we rolled onto it, or it was created earlier. */
export function appliedOntoExisting(applied: ServiceModel): boolean {
  if (applied.canary_version) return true;
  const created = Date.parse(applied.created_at ?? "");
  const ours = Date.parse(ourVersion(applied)?.created_at ?? "");
  return Number.isFinite(created) && Number.isFinite(ours) && created < ours;
}

/**
 * After a create's apply that meant to create (no live service at either look): when another
 * owner's mark is on the service and it existed before our version, we intruded. Undo, unmark, fail.
 */
export async function settleCollision(client: AnyscaleClient, applied: ServiceModel, name: string, scope: string | undefined, intendedCreate: boolean): Promise<void> {
  if (!intendedCreate) return;
  // The apply went through: an inspection that cannot be made (an outage) must not orphan the service.
  const tags = await client.tags.list(RESOURCE_TYPE, applied.id).catch(() => undefined);
  if (!tags) return;
  const verdict = ownerVerdict(SERVICE_MARK_KIND, tags, scope);
  const others = verdict.kind === "ours" || verdict.kind === "other" ? verdict.others : [];
  if (others.length === 0 || !appliedOntoExisting(applied)) return;
  let undone = "its version was replaced by ours; its owner's next `pulumi up` deploys it again";
  if (applied.canary_version) {
    await client.services.rollback(applied.id).catch(() => undefined);
    undone = "our version was rolled back (the platform's rollback), theirs keeps serving";
  }
  const ownKeys = [ownerMarkKey(SERVICE_MARK_KIND, scope), claimTagKey(SERVICE_MARK_KIND, scope)].filter((key): key is string => !!key);
  await client.tags.delete(RESOURCE_TYPE, applied.id, ownKeys).catch(() => undefined);
  throw new ForeignOwnerError(
    `name: another stack created service '${name}' (${applied.id}, owned by ${describeOwners(tags, others)}) while this create was applying; ${undone}. ` +
      `Nothing of it is recorded in this stack. Choose another name, or set adoptExisting: true to take it over.`,
  );
}
