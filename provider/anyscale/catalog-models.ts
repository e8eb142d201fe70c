// Zod schemas of the catalog lookups (clouds, projects, compute configs, builds) that names resolve against.
import { z } from "zod";

const optionalString = z.string().nullish();
const optionalNumber = z.number().nullish();

export const idOnlySchema = z.looseObject({ id: z.string() });

export const cloudSchema = z.looseObject({ id: z.string(), name: optionalString });
export const projectSchema = z.looseObject({ id: z.string(), name: optionalString, parent_cloud_id: optionalString });

export const computeTemplateSchema = z.looseObject({
  id: z.string(),
  name: optionalString,
  version: optionalNumber,
  config: z.looseObject({ cloud_id: optionalString }).nullish(),
});
export type ComputeTemplateModel = z.infer<typeof computeTemplateSchema>;

export const buildSchema = z.looseObject({ id: z.string(), status: optionalString, ray_version: optionalString });
