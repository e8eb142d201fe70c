// Arguments of getTags: which object's tags, by id or by name (anyscale.*.list_tags).
import { z } from "zod";
import { checkIdOrName, lookupShape } from "./common-schemas";

/** User-facing resource kinds and the resource_type the tags endpoint expects for each. */
export const TAG_RESOURCE_TYPES = { service: "service", job: "job", jobQueue: "job_queue" } as const;
export type TaggedResource = keyof typeof TAG_RESOURCE_TYPES;

export const getTagsArgsSchema = z
  .strictObject({
    resource: z.enum(Object.keys(TAG_RESOURCE_TYPES) as [TaggedResource, ...TaggedResource[]], {
      error: () => `must be one of ${Object.keys(TAG_RESOURCE_TYPES).join(", ")}`,
    }),
    ...lookupShape,
  })
  .superRefine((args, ctx) => checkIdOrName(ctx, args));
export type GetTagsArgs = z.input<typeof getTagsArgsSchema>;
export type ParsedGetTagsArgs = z.output<typeof getTagsArgsSchema>;

export const TAGS_PATH = "/api/v2/tags/resource";

export function getTagsQuery(resource: TaggedResource, resourceId: string): Record<string, string> {
  return { resource_type: TAG_RESOURCE_TYPES[resource], resource_id: resourceId };
}
