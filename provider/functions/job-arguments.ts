// Arguments of getJob / listJobs / getJobLogs: the parameters of anyscale.job.status, .list and .get_logs.
import { z } from "zod";
import {
  caseInsensitiveEnum,
  checkIdExcludesFilters,
  checkIdOrName,
  checkTimeRange,
  instantSchema,
  lookupShape,
  nonEmptyString,
  pageSizeSchema,
  positiveInteger,
  stateFilterSchema,
  tagFilterSchema,
} from "./common-schemas";

/**
 * User-facing job states that can be filtered on, with the backend states each stands for
 * (the SDK's JOB_STATE_TO_HA_JOB_STATES). UNKNOWN stands for no backend state, so filtering on it
 * would silently filter nothing; it is rejected instead.
 */
export const JOB_STATE_TO_BACKEND_STATES = {
  STARTING: ["PENDING", "AWAITING_CLUSTER_START"],
  RUNNING: ["UPDATING", "RUNNING", "RESTARTING", "CLEANING_UP", "ERRORED"],
  SUCCEEDED: ["SUCCESS"],
  FAILED: ["BROKEN", "OUT_OF_RETRIES"],
  TERMINATED: ["TERMINATED"],
} as const;
export const FILTERABLE_JOB_STATES = Object.keys(JOB_STATE_TO_BACKEND_STATES) as [keyof typeof JOB_STATE_TO_BACKEND_STATES, ...Array<keyof typeof JOB_STATE_TO_BACKEND_STATES>];
export type FilterableJobState = keyof typeof JOB_STATE_TO_BACKEND_STATES;

export const JOB_SORT_FIELDS = ["STATUS", "CREATED_AT", "LAST_UPDATED_AT", "LAST_STATUS_UPDATED_AT", "ENDED_AT", "NAME", "ID"] as const;
export type JobSortField = (typeof JOB_SORT_FIELDS)[number];
export const SORT_ORDERS = ["ASC", "DESC"] as const;

/** anyscale.job.list accepts pages of 1 to 100 jobs. */
export const JOB_MAX_PAGE_SIZE = 100;

export const JOB_LOG_MODES = ["HEAD", "TAIL"] as const;
export type JobLogMode = (typeof JOB_LOG_MODES)[number];

/** The `-v` of `job status`: the job's config (JobStatus.config), read back as the SDK shows it. */
const verbose = z.boolean().optional();

export const getJobArgsSchema = z.strictObject({ ...lookupShape, verbose }).superRefine((args, ctx) => checkIdOrName(ctx, args));
export type GetJobArgs = z.input<typeof getJobArgsSchema>;
export type ParsedGetJobArgs = z.output<typeof getJobArgsSchema>;

export const getJobLogsArgsSchema = z
  .strictObject({
    ...lookupShape,
    /** Name of the run (see getJob().runs); the last run when omitted. */
    run: nonEmptyString.optional(),
    mode: caseInsensitiveEnum(JOB_LOG_MODES).optional(),
    maxLines: positiveInteger.optional(),
  })
  .superRefine((args, ctx) => checkIdOrName(ctx, args));
export type GetJobLogsArgs = z.input<typeof getJobLogsArgsSchema>;
export type ParsedGetJobLogsArgs = z.output<typeof getJobLogsArgsSchema>;

const timeRangeNames = [
  ["createdAtFrom", "createdAtTo"],
  ["updatedAtFrom", "updatedAtTo"],
  ["statusUpdatedAtFrom", "statusUpdatedAtTo"],
] as const;

export const listJobsArgsSchema = z
  .strictObject({
    /** Fetch one job by id; excludes every other filter. */
    id: nonEmptyString.optional(),
    name: nonEmptyString.optional(),
    cloud: nonEmptyString.optional(),
    project: nonEmptyString.optional(),
    /** By default only the caller's own jobs are listed, as anyscale.job.list does. */
    includeAllUsers: z.boolean().optional(),
    includeArchived: z.boolean().optional(),
    states: stateFilterSchema(FILTERABLE_JOB_STATES, "it matches no backend state").optional(),
    tags: tagFilterSchema.optional(),
    sortField: caseInsensitiveEnum(JOB_SORT_FIELDS).optional(),
    sortOrder: caseInsensitiveEnum(SORT_ORDERS).optional(),
    createdAtFrom: instantSchema.optional().meta({ description: "Only jobs created from this instant on: an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z (a Date in TypeScript)." }),
    createdAtTo: instantSchema.optional().meta({ description: "Only jobs created up to this instant: an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z (a Date in TypeScript)." }),
    updatedAtFrom: instantSchema.optional().meta({ description: "Only jobs updated from this instant on: an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z (a Date in TypeScript)." }),
    updatedAtTo: instantSchema.optional().meta({ description: "Only jobs updated up to this instant: an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z (a Date in TypeScript)." }),
    statusUpdatedAtFrom: instantSchema.optional().meta({ description: "Only jobs whose state changed from this instant on: an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z (a Date in TypeScript)." }),
    statusUpdatedAtTo: instantSchema.optional().meta({ description: "Only jobs whose state changed up to this instant: an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z (a Date in TypeScript)." }),
    pageSize: pageSizeSchema(JOB_MAX_PAGE_SIZE).optional(),
    maxItems: positiveInteger.optional(),
    verbose,
  })
  .superRefine((args, ctx) => {
    if (checkIdExcludesFilters(ctx, args, "job", ["verbose"])) return;
    if (args.sortOrder !== undefined && args.sortField === undefined) {
      ctx.addIssue({ code: "custom", path: ["sortOrder"], message: "needs 'sortField' (the order of what?)" });
    }
    for (const [fromName, toName] of timeRangeNames) {
      checkTimeRange(ctx, { from: args[fromName], to: args[toName], fromName, toName });
    }
  });
export type ListJobsArgs = z.input<typeof listJobsArgsSchema>;
export type ParsedListJobsArgs = z.output<typeof listJobsArgsSchema>;
