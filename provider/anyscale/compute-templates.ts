// Named compute config versions (compute templates): the one place that registers, reads, finds the
// latest of and archives them, with one response model. Registration uses the official client's path
// (`POST /api/v2/compute_templates/`, trailing slash included).
import { z } from "zod";
import { NotFoundError } from "../core/errors";
import type { AnyscaleClient } from "./client";

export const computeTemplateVersionSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  anonymous: z.boolean().nullish(),
  archived_at: z.string().nullish(),
  config: z.looseObject({ cloud_id: z.string() }),
});
export type ComputeTemplateVersion = z.infer<typeof computeTemplateVersionSchema>;

/** Registers the next version of a named config (new_version: the name may already exist). */
export function registerComputeTemplateVersion(client: AnyscaleClient, name: string, config: Record<string, unknown>): Promise<ComputeTemplateVersion> {
  return client.result(computeTemplateVersionSchema, "POST", "/api/v2/compute_templates/", {
    body: { name, config, anonymous: false, new_version: true },
  });
}

/** One version by id; undefined when the platform has none. */
export async function getComputeTemplateVersion(client: AnyscaleClient, id: string): Promise<ComputeTemplateVersion | undefined> {
  try {
    return await client.result(computeTemplateVersionSchema, "GET", `/api/v2/compute_templates/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** The newest version registered under a name (archived ones included), or undefined. */
export async function latestComputeTemplateVersion(client: AnyscaleClient, name: string): Promise<ComputeTemplateVersion | undefined> {
  const search = await client.page(computeTemplateVersionSchema, "POST", "/api/v2/compute_templates/search", {
    body: { orgwide: true, name: { equals: name }, archive_status: "ALL", version: -1 },
    idempotent: true,
  });
  return search.items.find((template) => template.name === name);
}

/** Archives one version, as `compute-config archive` does; one already gone counts as archived. */
export async function archiveComputeTemplateVersion(client: AnyscaleClient, id: string): Promise<void> {
  try {
    await client.send("POST", `/api/v2/compute_templates/${encodeURIComponent(id)}/archive`, { idempotent: true });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
