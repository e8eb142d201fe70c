// A replacement never deletes what its create returned. When `cloud`/`project` (or a name) plan a
// replacement and the new resource's create takes over the very service the old one holds (its own
// mark, or adoptExisting), the engine's delete of the old resource would terminate the only service.
// Every create therefore writes a fresh claim tag and records it as the `ownerClaim` output; update
// and read carry it over. Delete terminates only when the live claim is the one its resource
// recorded (or there is none): a different live claim means a later create took the service over.
import { AsyncLocalStorage } from "node:async_hooks";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { claimTagKey, newClaim } from "../core/owner-mark";
import { ResourceInitError } from "../core/errors";

const claims = new AsyncLocalStorage<string>();

/** The claim of the create running in this async context, if any (ownership.ts writes it with the tags). */
export function currentClaim(): string | undefined {
  return claims.getStore();
}

/** Runs a create with a fresh claim and records it in the outputs (also those of an init failure). */
export async function createWithClaim(run: () => Promise<dynamic.CreateResult>): Promise<dynamic.CreateResult> {
  const claim = newClaim();
  try {
    const result = await claims.run(claim, run);
    return { ...result, outs: { ...(result.outs ?? {}), ownerClaim: claim } };
  } catch (error) {
    if (error instanceof ResourceInitError) error.properties.ownerClaim = claim;
    throw error;
  }
}

/** Keeps the recorded claim through an update (also through its init failure). */
export async function updateKeepingClaim(olds: Record<string, unknown>, run: () => Promise<dynamic.UpdateResult>): Promise<dynamic.UpdateResult> {
  const claim = olds.ownerClaim;
  try {
    const result = await run();
    return claim === undefined ? result : { ...result, outs: { ...(result.outs ?? {}), ownerClaim: claim } };
  } catch (error) {
    if (error instanceof ResourceInitError && claim !== undefined) error.properties.ownerClaim = claim;
    throw error;
  }
}

/** Keeps the recorded claim through a refresh (an import records none: its next create or update marks it anew). */
export async function readKeepingClaim(props: Record<string, unknown>, run: () => Promise<dynamic.ReadResult>): Promise<dynamic.ReadResult> {
  const result = await run();
  if (!result.id || !result.props || props.ownerClaim === undefined) return result;
  return { ...result, props: { ...result.props, ownerClaim: props.ownerClaim } };
}

/** Whether delete may terminate: false when a later create claimed the service (the replacement holds it). */
export function claimedByAnother(kind: string, liveTags: Record<string, string>, scope: string | undefined, recordedClaim: unknown): boolean {
  const key = claimTagKey(kind, scope);
  const live = key ? liveTags[key] : undefined;
  return live !== undefined && live !== recordedClaim;
}
