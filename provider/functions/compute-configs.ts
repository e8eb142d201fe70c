// getComputeConfig: one registered compute config version, by `name[:version]` (latest when no
// version, as the SDK's `compute-config get`) or by id.
import { z } from "zod";
import { InvalidArgumentError, ObjectNotFoundError } from "../core/errors";
import { findComputeConfigId, NameNotFoundError, resolveCloudId } from "../anyscale/catalog";
import { getComputeTemplateVersion } from "../anyscale/compute-templates";
import type { FunctionContext } from "./scope";

export interface GetComputeConfigArgs {
  /** `name` or `name:version`. */
  name?: string;
  id?: string;
  /** Narrows a name lookup to one cloud. */
  cloud?: string;
  includeArchived?: boolean;
}

export const computeConfigVersionInfoSchema = z
  .strictObject({
    id: z.string().meta({ description: "The compute config version's id." }),
    name: z.string().meta({ description: "The compute config's name." }),
    version: z.number().meta({ description: "The version number." }),
    ref: z.string().meta({ description: "`name:version`, what a Service's or Job's computeConfig takes." }),
    cloudId: z.string().meta({ description: "Id of the config's cloud." }),
    anonymous: z.boolean().meta({ description: "Whether the config is anonymous (made inline by a workload)." }),
    archived: z.boolean().meta({ description: "Whether the config is archived." }),
    config: z.record(z.string(), z.unknown()).meta({ description: "The API's ComputeTemplateConfig as registered (snake_case), without its cloud." }),
  })
  .meta({ id: "ComputeConfigVersionInfo" });
export type ComputeConfigVersionInfo = z.infer<typeof computeConfigVersionInfoSchema>;

export async function getComputeConfig(context: FunctionContext, args: GetComputeConfigArgs): Promise<ComputeConfigVersionInfo> {
  if ((args.name === undefined) === (args.id === undefined)) throw new InvalidArgumentError("anyscale.getComputeConfig", args.name === undefined ? "name" : "id", "give exactly one of name and id");
  let id = args.id;
  if (id === undefined) {
    const cloudId = args.cloud ? await resolveCloudId(context.client, args.cloud) : undefined;
    try {
      id = await findComputeConfigId(context.client, args.name!, cloudId);
    } catch (error) {
      if (error instanceof NameNotFoundError) throw new ObjectNotFoundError("anyscale.getComputeConfig", `compute config '${args.name}'`);
      throw error;
    }
  }
  const template = await getComputeTemplateVersion(context.client, id);
  if (!template) throw new ObjectNotFoundError("anyscale.getComputeConfig", `compute config '${id}'`);
  if (template.archived_at && !args.includeArchived) throw new ObjectNotFoundError("anyscale.getComputeConfig", `compute config ${template.name}:${template.version} (archived)`);
  const { cloud: _cloud, ...config } = template.config as Record<string, unknown>;
  return {
    id: template.id,
    name: template.name,
    version: template.version,
    ref: `${template.name}:${template.version}`,
    cloudId: template.config.cloud_id,
    anonymous: template.anonymous === true,
    archived: Boolean(template.archived_at),
    config,
  };
}
