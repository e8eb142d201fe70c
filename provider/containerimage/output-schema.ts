// The ContainerImage's outputs, declared once: their types (dynamic.ts builds each version as exactly
// this type) and descriptions (zod metadata, for the package schema).
import { z } from "zod";

export const containerImageOutputsSchema = z
  .object({
    imageId: z.string().meta({ description: "The image's (cluster environment's) id, also the resource id." }),
    imageUri: z.string().meta({ description: "anyscale/image/<name>:<version>: what a Service, Job or compute config names to run this build." }),
    buildId: z.string().meta({ description: "Id of the image's current build." }),
    buildState: z.string().meta({ description: "The build's state, e.g. succeeded." }),
    version: z.number().int().meta({ description: "The build's revision: each build or registration is the next version of the image." }),
  })
  .strict();
export type ContainerImageComputed = z.infer<typeof containerImageOutputsSchema>;

/** The output-only property names. */
export const CONTAINER_IMAGE_OUTPUT_NAMES = Object.keys(containerImageOutputsSchema.shape) as Array<keyof ContainerImageComputed>;
