// The ComputeConfig resource's inputs: a name, the SDK's ComputeConfig or MultiResourceComputeConfig
// in camelCase (top-level fields, `configs` for the multi-resource form), timeouts.
import { z } from "zod";
import { computeConfigSchema } from "../anyscale/compute-config";
import { timeoutsSchema } from "../core/timeouts";

/** The SDK's compute config names: no whitespace run at the ends, no ':' (the version separator). */
export const computeConfigName = z
  .string()
  .min(1, "must not be empty")
  .regex(/^[^\s:]+(\s+[^\s:]+)*$/, "must not contain ':' (versions are assigned by the platform) or surrounding spaces");

const META = ["name", "timeouts", "adoptExisting", "__provider"] as const;

export const computeConfigInputsSchema = z
  .looseObject({ name: computeConfigName, timeouts: timeoutsSchema.optional(), adoptExisting: z.boolean().optional() })
  .superRefine((inputs, context) => {
    const config = configOf(inputs);
    const parsed = computeConfigSchema("camel").safeParse(config);
    if (!parsed.success) for (const issue of parsed.error.issues) context.addIssue({ code: "custom", path: issue.path as (string | number)[], message: issue.message });
  });

export type ComputeConfigInputs = { name: string; timeouts?: z.infer<typeof timeoutsSchema> } & Record<string, unknown>;

/** The config part of the inputs (everything but name and timeouts). */
export function configOf(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([key, value]) => !(META as readonly string[]).includes(key) && value !== undefined));
}
