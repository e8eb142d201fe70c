// Arguments of getJobQueue / listJobQueues: the parameters of anyscale.job_queue.status and .list.
import { z } from "zod";
import { caseInsensitiveEnum, checkIdExcludesFilters, checkIdOrName, lookupShape, nonEmptyString, pageSizeSchema, positiveInteger, tagFilterSchema } from "./common-schemas";

/** Cluster states (SessionState) a queue's cluster can be filtered on; the wire spells them in CamelCase. */
export const CLUSTER_STATES = [
  "Stopped",
  "Terminated",
  "StartingUp",
  "StartupErrored",
  "Running",
  "Updating",
  "UpdatingErrored",
  "Stopping",
  "Terminating",
  "AwaitingStartup",
  "AwaitingFileMounts",
  "TerminatingErrored",
  "StoppingErrored",
] as const;

export const JOB_QUEUE_SORT_FIELDS = ["ID", "NAME", "CREATED_AT", "CREATOR_ID", "CREATOR_EMAIL", "PROJECT_ID", "CLOUD_ID", "QUEUE_STATE", "CLUSTER_STATE"] as const;

export const JOB_QUEUE_MAX_PAGE_SIZE = 50;

const clusterStateSchema = z.string().transform((raw, ctx) => {
  const match = CLUSTER_STATES.find((state) => state.toLowerCase() === raw.trim().toLowerCase());
  if (!match) {
    ctx.addIssue({ code: "custom", message: `must be one of ${CLUSTER_STATES.join(", ")}` });
    return z.NEVER;
  }
  return match;
});

export const getJobQueueArgsSchema = z.strictObject(lookupShape).superRefine((args, ctx) => checkIdOrName(ctx, args));
export type GetJobQueueArgs = z.input<typeof getJobQueueArgsSchema>;
export type ParsedGetJobQueueArgs = z.output<typeof getJobQueueArgsSchema>;

export const listJobQueuesArgsSchema = z
  .strictObject({
    id: nonEmptyString.optional(),
    /** Exact name (queue names are unique within a project). */
    name: nonEmptyString.optional(),
    creatorId: nonEmptyString.optional(),
    createdByMe: z.boolean().optional(),
    cloud: nonEmptyString.optional(),
    project: nonEmptyString.optional(),
    clusterStatus: clusterStateSchema.optional(),
    tags: tagFilterSchema.optional(),
    sort: z
      .array(z.strictObject({ field: caseInsensitiveEnum(JOB_QUEUE_SORT_FIELDS), order: caseInsensitiveEnum(["ASC", "DESC"] as const).optional() }))
      .min(1, "give at least one sort directive, or omit 'sort'")
      .optional(),
    includeArchived: z.boolean().optional(),
    pageSize: pageSizeSchema(JOB_QUEUE_MAX_PAGE_SIZE).optional(),
    maxItems: positiveInteger.optional(),
  })
  .superRefine((args, ctx) => {
    if (checkIdExcludesFilters(ctx, args, "job queue")) return;
    if (args.createdByMe && args.creatorId !== undefined) {
      ctx.addIssue({ code: "custom", path: ["creatorId"], message: "contradicts 'createdByMe'; give one of them" });
    }
    const fields = (args.sort ?? []).map((directive) => directive.field);
    const repeated = fields.find((field, index) => fields.indexOf(field) !== index);
    if (repeated) ctx.addIssue({ code: "custom", path: ["sort"], message: `sorts by ${repeated} twice` });
  });
export type ListJobQueuesArgs = z.input<typeof listJobQueuesArgsSchema>;
export type ParsedListJobQueuesArgs = z.output<typeof listJobQueuesArgsSchema>;
