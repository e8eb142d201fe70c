// Turns the cloud / project names and "mine only" flags of a data function into the ids the list
// endpoints filter on, using the shared resolvers (provider/anyscale/catalog.ts).
import type { AnyscaleClient } from "../anyscale/client";
import { resolveCloudId, resolveProjectId } from "../anyscale/catalog";
import { UnexpectedResponseError } from "../core/errors";
import type { ResolvedScope } from "./service-queries";

/** What every data function needs: a client, and the provider's default cloud and project. */
export interface FunctionContext {
  client: AnyscaleClient;
  defaultCloud?: string;
  defaultProject?: string;
}

/**
 * Filters of a list: only what the user named narrows it (an unnamed cloud or project means all, as
 * in `anyscale service list`). A project without a cloud is looked up across clouds, as the SDK does.
 */
export async function resolveListScope(
  context: FunctionContext,
  filters: { cloud?: string; project?: string; createdByMe?: boolean },
): Promise<ResolvedScope> {
  const { client } = context;
  const cloudId = filters.cloud ? await resolveCloudId(client, filters.cloud) : undefined;
  const projectId = filters.project
    ? await resolveProjectId(client, filters.project, cloudId)
    : undefined;
  const creatorId = filters.createdByMe ? await currentUserId(client) : undefined;
  return { cloudId, projectId, creatorId };
}

/**
 * Scope of a lookup by name: the arguments, else the provider's configured cloud/project, so that
 * `getService({ name })` looks where the stack's resources live.
 */
export function lookupScope(context: FunctionContext, args: { cloud?: string; project?: string }): Promise<ResolvedScope> {
  return resolveListScope(context, { cloud: args.cloud ?? context.defaultCloud, project: args.project ?? context.defaultProject });
}

export const USERINFO_PATH = "/api/v2/userinfo/";

/** The caller's user id (GET /api/v2/userinfo/), which "created by me" filters on. */
export async function currentUserId(client: AnyscaleClient): Promise<string> {
  const user = await client.getUserInfo();
  if (!user.id) throw new UnexpectedResponseError(`GET ${USERINFO_PATH}`, "result.id is missing");
  return user.id;
}
