// getTags: the tags of a service, job or job queue (anyscale service tags list, job.list_tags,
// job_queue.list_tags), found by id or by name like the matching get function.
import { z } from "zod";
import { userVisibleTags } from "../core/reserved-tags";
import { findJobQueue } from "./job-queues";
import { findJob } from "./jobs";
import { parseArguments } from "./parse-arguments";
import type { FunctionContext } from "./scope";
import { findService } from "./services";
import { getTagsArgsSchema, TAG_RESOURCE_TYPES, type GetTagsArgs, type ParsedGetTagsArgs, type TaggedResource } from "./tag-arguments";

export const GET_TAGS = "anyscale.getTags";

export const getTagsResultSchema = z.strictObject({
  resource: z.enum(Object.keys(TAG_RESOURCE_TYPES) as [TaggedResource, ...TaggedResource[]]).meta({ description: "The kind of the tagged object: service, job or jobQueue." }),
  id: z.string().meta({ description: "Id of the tagged object (useful when it was looked up by name)." }),
  tags: z.record(z.string(), z.string()).meta({ description: "The object's tags (the provider's own reserved tags left out)." }),
});
export type GetTagsResult = z.infer<typeof getTagsResultSchema>;

export async function getTags(context: FunctionContext, args: GetTagsArgs): Promise<GetTagsResult> {
  const parsed = parseArguments(GET_TAGS, getTagsArgsSchema, args);
  const id = parsed.id ?? (await idByName(context, parsed));
  const tags = await context.client.tags.list(TAG_RESOURCE_TYPES[parsed.resource], id);
  return { resource: parsed.resource, id, tags: userVisibleTags(tags) };
}

async function idByName(context: FunctionContext, parsed: ParsedGetTagsArgs): Promise<string> {
  const { resource, ...lookup } = parsed;
  switch (resource) {
    case "service":
      return (await findService(context, GET_TAGS, lookup)).id;
    case "job":
      return (await findJob(context, GET_TAGS, lookup)).id;
    case "jobQueue":
      return (await findJobQueue(context, GET_TAGS, lookup)).id;
  }
}
