// The ComputeConfig's outputs, declared once: their types (dynamic.ts builds them as exactly this type)
// and descriptions (zod metadata, for the package schema). Its free-form inputs (flags,
// advancedInstanceConfig) are inputs only: nothing here is open.
import { z } from "zod";

export const computeConfigOutputsSchema = z
  .object({
    computeConfigId: z.string().meta({ description: "The registered version's id, also the resource id." }),
    version: z.number().int().meta({ description: "The version number under the config's name." }),
    ref: z.string().meta({ description: "<name>:<version>: what a Service, Job or JobQueue names as its computeConfig." }),
    cloudId: z.string().meta({ description: "Id of the cloud the version runs in." }),
  })
  .strict();
export type ComputeConfigComputed = z.infer<typeof computeConfigOutputsSchema>;

/** The output-only property names. */
export const COMPUTE_CONFIG_OUTPUT_NAMES = Object.keys(computeConfigOutputsSchema.shape) as Array<keyof ComputeConfigComputed>;
