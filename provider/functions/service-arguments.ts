// Arguments of getService / listServices: the filters of `anyscale service list` and `service status`.
import { z } from "zod";
import { BACKEND_SERVICE_STATES } from "../anyscale/service-models";
import {
  checkIdExcludesFilters,
  checkIdOrName,
  lookupShape,
  nonEmptyString,
  pageSizeSchema,
  positiveInteger,
  stateFilterSchema,
  tagFilterSchema,
} from "./common-schemas";

/**
 * States `states` accepts: the backend's ServiceEventCurrentState (so USER_ERROR_FAILURE too, although
 * the seed's help text omits it), plus UNKNOWN from that help text. UNKNOWN is no backend state (the
 * server rejects it), so it is matched here instead: it finds the services whose state this provider
 * does not know (a state newer than it), which the results report as UNKNOWN, as the SDK does.
 */
export const SERVICE_STATES = [...BACKEND_SERVICE_STATES, "UNKNOWN"] as const;
export type ServiceStateFilter = (typeof SERVICE_STATES)[number];

export const SERVICE_SORT_FIELDS = ["STATUS", "NAME", "CREATED_AT"] as const;
export type ServiceSortField = (typeof SERVICE_SORT_FIELDS)[number];
export type SortOrder = "ASC" | "DESC";

/** GET list endpoints cap `count` at 50 (the CLI's MAX_PAGE_SIZE). */
export const SERVICE_MAX_PAGE_SIZE = 50;

/** `--sort` syntax: a field, '-' prefix for descending, case-insensitive ("-created_at"). */
export const serviceSortSchema = z.string().transform((raw, ctx) => {
  const trimmed = raw.trim();
  const descending = trimmed.startsWith("-");
  const field = (descending ? trimmed.slice(1) : trimmed).toUpperCase();
  if (!(SERVICE_SORT_FIELDS as readonly string[]).includes(field)) {
    ctx.addIssue({
      code: "custom",
      message: `unknown sort field '${raw}'; use one of ${SERVICE_SORT_FIELDS.join(", ")}, prefixed with '-' for descending`,
    });
    return z.NEVER;
  }
  return { field: field as ServiceSortField, order: (descending ? "DESC" : "ASC") as SortOrder };
});

/** The `-v` of `service status` / `service list`: each version's config, read back as the SDK shows it. */
const verbose = z.boolean().optional();

export const getServiceArgsSchema = z.strictObject({ ...lookupShape, verbose }).superRefine((args, ctx) => checkIdOrName(ctx, args));
export type GetServiceArgs = z.input<typeof getServiceArgsSchema>;
export type ParsedGetServiceArgs = z.output<typeof getServiceArgsSchema>;

export const listServicesArgsSchema = z
  .strictObject({
    /** Fetch one service by id (the CLI's --service-id); excludes every other filter. */
    id: nonEmptyString.optional(),
    /** Passed to the server, which matches names case-insensitively by substring. */
    name: nonEmptyString.optional(),
    states: stateFilterSchema(SERVICE_STATES, "").optional(),
    tags: tagFilterSchema.optional(),
    cloud: nonEmptyString.optional(),
    project: nonEmptyString.optional(),
    createdByMe: z.boolean().optional(),
    includeArchived: z.boolean().optional(),
    sort: serviceSortSchema.optional(),
    maxItems: positiveInteger.optional(),
    pageSize: pageSizeSchema(SERVICE_MAX_PAGE_SIZE).optional(),
    verbose,
  })
  .superRefine((args, ctx) => {
    checkIdExcludesFilters(ctx, args, "service", ["verbose"]);
  });
export type ListServicesArgs = z.input<typeof listServicesArgsSchema>;
export type ParsedListServicesArgs = z.output<typeof listServicesArgsSchema>;
