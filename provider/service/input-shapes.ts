// The value shapes of the Service's inputs (each field's own validation, failures naming the field);
// schema.ts declares the fields over them.
import { z } from "zod";
import { imageUriSchema } from "../workload/image-uri";
import { nameOrInlineComputeConfig } from "../anyscale/compute-config";
import { COMPUTE_CONFIG_NAME_PATTERN } from "../anyscale/catalog";

export { imageUriSchema };

export const percent = z.number().int("must be a whole number").min(0, "must be between 0 and 100").max(100, "must be between 0 and 100");
export const nonEmpty = z.string().trim().min(1, "must not be empty");
export const stringMap = z.record(z.string(), z.string());
export const jsonObject = z.record(z.string(), z.unknown());

/** A Ray Serve application, passed through verbatim (snake_case, as in Ray's config file). */
export const applicationSchema = z.looseObject({
  import_path: nonEmpty.describe("module:attribute of the Serve application"),
  name: nonEmpty.optional(),
  route_prefix: z.string().nullish(),
  runtime_env: jsonObject.optional(),
});

export const rolloutStrategySchema = z.enum(["rollout", "inPlace"]);
export type RolloutStrategy = z.infer<typeof rolloutStrategySchema>;


export const rayGcsExternalStorageConfigSchema = z
  .object({ enabled: z.boolean(), address: nonEmpty.optional(), certificatePath: nonEmpty.optional() })
  .strict();

export const tracingConfigSchema = z
  .object({
    enabled: z.boolean(),
    exporterImportPath: nonEmpty.optional(),
    samplingRatio: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
  })
  .strict();

export const connectionSchema = z
  .object({
    type: z.string().refine((type) => type.toLowerCase() === "databricks", { message: "must be 'databricks' (the only connection type)" }),
    name: nonEmpty,
  })
  .strict();

export const deletionPolicySchema = z.enum(["terminate", "archive", "delete"]);
export type DeletionPolicy = z.infer<typeof deletionPolicySchema>;

export const serviceName = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[^\s/]+$/, "must not contain whitespace or '/'");

export const rayVersion = z.string().regex(/^\d+\.\d+\.\d+$/, "must be a Ray version X.Y.Z, e.g. 2.59.0");

export const computeConfigName = z
  .string()
  .regex(COMPUTE_CONFIG_NAME_PATTERN, 'must be "name" or "name:version" (version a positive integer)');

export const computeConfigSchema = nameOrInlineComputeConfig(computeConfigName);

