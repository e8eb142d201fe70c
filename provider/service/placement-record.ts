// An explicit default equal to the live value is no change. A service created without `cloud` or
// `project` runs in the defaults the platform resolved; writing those names out later (or setting
// `anyscale:cloud`/`anyscale:project` to them) must not plan a replacement. Create and update record
// the names the service runs in as the `placement` output; diff compares a newly explicit name with
// the recorded one. (The reverse, dropping an explicit name, still replaces: what the default is
// cannot be known without an API call at diff, and the replacement's create/delete are guarded by
// handover.ts.)
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { AnyscaleClient } from "../anyscale/client";
import { cloudSchema, projectSchema } from "../anyscale/catalog-models";

export interface PlacementRecord {
  cloud?: string;
  project?: string;
}

const FIELDS = ["cloud", "project"] as const;

/** The old props as the comparison should see them: a recorded default name counts as declared when the new inputs name it. */
export function placementAsDeclared(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
  const recorded = olds.placement as PlacementRecord | undefined;
  if (!recorded) return olds;
  const adjusted = { ...olds };
  for (const field of FIELDS) {
    if (olds[field] === undefined && typeof news[field] === "string" && recorded[field] === news[field]) adjusted[field] = news[field];
  }
  return adjusted;
}

async function nameOf(client: AnyscaleClient, kind: "cloud" | "project", id: string): Promise<string | undefined> {
  const schema = kind === "cloud" ? cloudSchema : projectSchema;
  const path = kind === "cloud" ? `/ext/v0/clouds/${encodeURIComponent(id)}` : `/ext/v0/projects/${encodeURIComponent(id)}`;
  const name = await client.lookup(`${kind}-name:${id}`, async () => (await client.result(schema, "GET", path)).name ?? "");
  return name || undefined;
}

/** The names the service runs in: the declared ones, else looked up from its ids (best effort: a failed lookup records none). */
async function placementOf(client: AnyscaleClient, outs: Record<string, unknown>): Promise<PlacementRecord | undefined> {
  const record: PlacementRecord = {};
  for (const field of FIELDS) {
    const declared = outs[field];
    const id = outs[field === "cloud" ? "cloudId" : "projectId"];
    if (typeof declared === "string") record[field] = declared;
    else if (typeof id === "string") record[field] = await nameOf(client, field, id).catch(() => undefined);
  }
  return record.cloud || record.project ? record : undefined;
}

/** Adds the placement record to a create's or update's outputs. */
export async function withPlacement<T extends dynamic.CreateResult | dynamic.UpdateResult>(client: () => AnyscaleClient, run: () => Promise<T>): Promise<T> {
  const result = await run();
  if (!result.outs) return result;
  const placement = await placementOf(client(), result.outs);
  return placement ? { ...result, outs: { ...result.outs, placement } } : result;
}

/** A refresh keeps the recorded placement (the ids it came from are refreshed beside it). */
export function keepPlacement(props: Record<string, unknown>, result: dynamic.ReadResult): dynamic.ReadResult {
  if (!result.id || !result.props || props.placement === undefined) return result;
  return { ...result, props: { ...result.props, placement: props.placement } };
}
