// anyscale.getTags: the tags of a service, job or job queue.
import * as pulumi from "@pulumi/pulumi";
import { programFunctionContext } from "../../provider/functions/program-context";
import type { GetTagsArgs, TaggedResource } from "../../provider/functions/tag-arguments";
import * as tags from "../../provider/functions/tags";
import { invokeWithInputs, type InputArgs } from "./inputs";

export type { GetTagsArgs, TaggedResource };
export type GetTagsResult = tags.GetTagsResult;

/** `getTags({ resource: "service" | "job" | "jobQueue", id | name, cloud?, project? })` */
export async function getTags(args: GetTagsArgs): Promise<GetTagsResult> {
  return tags.getTags(programFunctionContext(), args);
}

export function getTagsOutput(args: InputArgs<GetTagsArgs>): pulumi.Output<GetTagsResult> {
  return invokeWithInputs(args, getTags);
}
