// Argument pieces shared by the data-function families: lookups, tag filters, time bounds, paging.
import { z } from "zod";

export const nonEmptyString = z.string().trim().min(1, "must be a non-empty string");

export const positiveInteger = z.number().int("must be an integer").positive("must be a positive integer");

export function pageSizeSchema(maximum: number) {
  return z.number().int("must be an integer").min(1, `must be between 1 and ${maximum}`).max(maximum, `must be between 1 and ${maximum}`);
}

/**
 * Tag filter as the seeds define it: `{ team: ["mlops", "infra"], env: "prod" }` means
 * team ∈ {mlops, infra} AND env = prod. Normalised to key -> non-empty list of values.
 */
export const tagFilterSchema = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .superRefine((filter, ctx) => {
    for (const [key, raw] of Object.entries(filter)) {
      // The wire encodes each pair as "key:value" and the server splits at the first colon.
      if (key.trim() === "" || key.includes(":")) {
        ctx.addIssue({ code: "custom", path: [key], message: "tag keys must be non-empty and must not contain ':'" });
      }
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0) ctx.addIssue({ code: "custom", path: [key], message: "give at least one value to match" });
      values.forEach((value, index) => {
        if (value.trim() === "") {
          ctx.addIssue({ code: "custom", path: Array.isArray(raw) ? [key, index] : [key], message: "tag values must be non-empty" });
        }
      });
    }
  })
  .transform((filter) => {
    const normalised: Record<string, string[]> = {};
    for (const [key, raw] of Object.entries(filter)) normalised[key] = [...new Set(Array.isArray(raw) ? raw : [raw])];
    return normalised;
  });
export type TagFilter = z.output<typeof tagFilterSchema>;

/** An instant, as an ISO 8601 string or a Date; sent to the server as UTC ISO 8601. */
export const instantSchema = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const parsed = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    ctx.addIssue({ code: "custom", message: "must be an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z" });
    return z.NEVER;
  }
  return parsed.toISOString();
});

/** Reports `from` after `to` on the `from` argument; both are already ISO strings. */
export function checkTimeRange(
  ctx: z.RefinementCtx,
  range: { from?: string; to?: string; fromName: string; toName: string },
): void {
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    ctx.addIssue({ code: "custom", path: [range.fromName], message: `must not be later than '${range.toName}' (${range.to})` });
  }
}

/** The arguments of every get function: an id, or a name narrowed by cloud, project and includeArchived. */
export const lookupShape = {
  id: nonEmptyString.optional(),
  name: nonEmptyString.optional(),
  cloud: nonEmptyString.optional(),
  project: nonEmptyString.optional(),
  /** Also match archived objects when looking up by name. */
  includeArchived: z.boolean().optional(),
};

/**
 * The "by id or by name" rule every get function shares (as in the official SDK): exactly one of
 * id and name; cloud, project and includeArchived only narrow a name lookup.
 */
export function checkIdOrName(
  ctx: z.RefinementCtx,
  args: { id?: string; name?: string; cloud?: string; project?: string; includeArchived?: boolean },
): void {
  if (args.id === undefined && args.name === undefined) {
    ctx.addIssue({ code: "custom", path: ["name"], message: "give either 'id' or 'name'" });
  }
  if (args.id !== undefined && args.name !== undefined) {
    ctx.addIssue({ code: "custom", path: ["name"], message: "give either 'id' or 'name', not both" });
  }
  if (args.id !== undefined) {
    for (const narrowing of ["cloud", "project", "includeArchived"] as const) {
      if (args[narrowing] !== undefined && args[narrowing] !== false) {
        ctx.addIssue({ code: "custom", path: [narrowing], message: "only narrows a lookup by 'name'; an id is already unique" });
      }
    }
  }
}

/** A list function's `states` filter: at least one of `values`, in any case; UNKNOWN is refused, saying why. */
export function stateFilterSchema<const T extends readonly [string, ...string[]]>(values: T, whyNotUnknown: string) {
  return z
    .array(caseInsensitiveEnum(values, (input) => (input === "UNKNOWN" ? `UNKNOWN cannot be filtered on (${whyNotUnknown})` : undefined)))
    .min(1, "give at least one state, or omit 'states'");
}

/**
 * The rule every list function shares: 'id' selects a single object (named by `objectName`) and
 * excludes every other filter. Returns whether 'id' was given.
 */
export function checkIdExcludesFilters(ctx: z.RefinementCtx, args: Record<string, unknown>, objectName: string, compatible: readonly string[] = []): boolean {
  if (args.id === undefined) return false;
  for (const [key, value] of Object.entries(args)) {
    if (key !== "id" && !compatible.includes(key) && value !== undefined && value !== false) {
      ctx.addIssue({ code: "custom", path: [key], message: `cannot be combined with 'id', which selects a single ${objectName}` });
    }
  }
  return true;
}

/** Upper-cases an enum-like string so "running" and "RUNNING" are both accepted, as the CLI does. */
export function caseInsensitiveEnum<const T extends readonly [string, ...string[]]>(
  values: T,
  /** A more specific explanation for some rejected inputs (undefined: the generic one). */
  explain: (input: unknown) => string | undefined = () => undefined,
) {
  return z.preprocess(
    (raw) => (typeof raw === "string" ? raw.trim().toUpperCase() : raw),
    z.enum(values, { error: (issue) => explain(issue.input) ?? `must be one of ${values.join(", ")}` }),
  );
}
