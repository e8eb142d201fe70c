// Owner marks (core/owner-mark.ts), the handover claim (service/handover.ts) and the recorded
// placement (service/placement-record.ts): pure rules.
import { claimTagKey, LEGACY_OWNER_KEY_TAG, legacyOwnerKey, ownerMarkKey, ownerVerdict, scopeWithNonce } from "../../provider/core/owner-mark";
import { claimedByAnother, createWithClaim, currentClaim, updateKeepingClaim } from "../../provider/service/handover";
import { placementAsDeclared } from "../../provider/service/placement-record";
import { appliedOntoExisting } from "../../provider/service/ownership-guard";
import { ResourceInitError } from "../../provider/core/errors";

describe("scopeWithNonce", () => {
  it("adds a fresh nonce to a new resource and keeps the previous one after that", () => {
    const first = scopeWithNonce("p/dev/api", undefined) as string;
    expect(first).toMatch(/^p\/dev\/api#[0-9a-f]{24}$/);
    expect(scopeWithNonce("p/dev/api", undefined)).not.toBe(first);
    expect(scopeWithNonce("p/dev/api", first)).toBe(first);
    // Another resource's previous scope (a rename) gets a new nonce; a scope already carrying one stays.
    expect(scopeWithNonce("p/dev/other", first)).not.toMatch(/^p\/dev\/api/);
    expect(scopeWithNonce(first, undefined)).toBe(first);
    expect(scopeWithNonce(undefined, first)).toBeUndefined();
  });
});

describe("ownerVerdict", () => {
  const mine = "p/dev/api#aaa";
  const theirs = "p/dev/api#bbb";
  const tag = (scope: string) => ({ [ownerMarkKey("service", scope)!]: "p/dev/api" });
  it("tells ours, another's, legacy and unmarked apart", () => {
    expect(ownerVerdict("service", tag(mine), mine)).toEqual({ kind: "ours", others: [] });
    expect(ownerVerdict("service", { ...tag(mine), ...tag(theirs) }, mine)).toEqual({ kind: "ours", others: [ownerMarkKey("service", theirs)] });
    expect(ownerVerdict("service", tag(theirs), mine)).toEqual({ kind: "other", others: [ownerMarkKey("service", theirs)] });
    expect(ownerVerdict("service", { [LEGACY_OWNER_KEY_TAG]: legacyOwnerKey("service", mine)! }, mine)).toEqual({ kind: "legacy" });
    expect(ownerVerdict("service", { [LEGACY_OWNER_KEY_TAG]: "x" }, mine).kind).toBe("other");
    expect(ownerVerdict("service", { team: "ml" }, mine)).toEqual({ kind: "unmarked" });
  });
  it("separates kinds: an image mark is not a service mark", () => {
    expect(ownerMarkKey("image", mine)).not.toBe(ownerMarkKey("service", mine));
  });
});

describe("handover claim", () => {
  it("a create records the claim it wrote; update keeps it, also through an init failure", async () => {
    let seen: string | undefined;
    const created = await createWithClaim(async () => {
      seen = currentClaim();
      return { id: "s1", outs: { a: 1 } };
    });
    expect(created.outs).toEqual({ a: 1, ownerClaim: seen });
    expect(currentClaim()).toBeUndefined();
    const kept = await updateKeepingClaim({ ownerClaim: seen }, async () => ({ outs: { b: 2 } }));
    expect(kept.outs).toEqual({ b: 2, ownerClaim: seen });
    const failed = await updateKeepingClaim({ ownerClaim: seen }, async () => {
      throw new ResourceInitError("s1", { b: 3 }, {}, "wait failed");
    }).catch((error) => error);
    expect(failed.properties.ownerClaim).toBe(seen);
  });
  it("delete spares a service whose live claim is another create's", () => {
    const scope = "p/dev/api#aaa";
    const key = claimTagKey("service", scope)!;
    expect(claimedByAnother("service", { [key]: "new" }, scope, "old")).toBe(true);
    expect(claimedByAnother("service", { [key]: "new" }, scope, undefined)).toBe(true);
    expect(claimedByAnother("service", { [key]: "old" }, scope, "old")).toBe(false);
    expect(claimedByAnother("service", {}, scope, "old")).toBe(false);
  });
});

describe("placementAsDeclared", () => {
  const olds = { name: "s", placement: { cloud: "c1", project: "p1" } };
  it("a newly explicit name equal to the recorded default compares as unchanged", () => {
    expect(placementAsDeclared(olds, { cloud: "c1", project: "p1" })).toMatchObject({ cloud: "c1", project: "p1" });
    expect(placementAsDeclared(olds, { cloud: "c2" }).cloud).toBeUndefined();
    expect(placementAsDeclared({ name: "s" }, { cloud: "c1" }).cloud).toBeUndefined();
    expect(placementAsDeclared({ ...olds, cloud: "c0" }, { cloud: "c1" }).cloud).toBe("c0");
  });
});

describe("appliedOntoExisting", () => {
  const version = (id: string, at: string) => ({ id, created_at: at, current_state: "STARTING" });
  const svc = (extra: Record<string, unknown>) => ({ id: "s", name: "n", project_id: "p", current_state: "STARTING", ...extra }) as never;
  it("a fresh create is not; a rollout onto a running service or a replaced primary is", () => {
    expect(appliedOntoExisting(svc({ created_at: "2026-01-01T00:00:00.000Z", primary_version: version("v1", "2026-01-01T00:00:00.000Z") }))).toBe(false);
    expect(appliedOntoExisting(svc({ created_at: "2026-01-01T00:00:00.000Z", primary_version: version("v1", "2026-01-01T00:00:00.000Z"), canary_version: version("v2", "2026-01-01T00:00:01.000Z") }))).toBe(true);
    expect(appliedOntoExisting(svc({ created_at: "2026-01-01T00:00:00.000Z", primary_version: version("v2", "2026-01-01T00:00:00.200Z") }))).toBe(true);
  });
});
