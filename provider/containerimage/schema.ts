// The ContainerImage resource's inputs: a named image built from a containerfile, or registered
// from an image URI in a registry (`registryImageUri`, with a registry login secret and a Ray version).
// The output `imageUri` is the platform's alias of the version, so the input has another name.
import * as fs from "node:fs";
import { z } from "zod";
import { imageUriSchema } from "../workload/image-uri";
import { timeoutsSchema } from "../core/timeouts";

export const imageName = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, '-' and '_'");

export const containerImageInputsSchema = z
  .strictObject({
    name: imageName,
    containerfile: z.string().min(1, "must not be empty").optional(),
    registryImageUri: imageUriSchema
      .refine((uri) => !uri.startsWith("anyscale/image/"), "names an Anyscale image already; register an external image URI")
      .optional(),
    registryLoginSecret: z.string().min(1, "must not be empty").optional(),
    rayVersion: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a Ray version X.Y.Z, e.g. 2.59.0").optional(),
    timeouts: timeoutsSchema.optional(),
    /** Build on an image of this name that already exists (another stack's, or one made outside Pulumi). */
    adoptExisting: z.boolean().optional(),
    /** Set by check: a digest of the containerfile's content, so an edit under the same path builds a new version. */
    sourceHash: z.string().optional(),
  })
  .superRefine((inputs, context) => {
    if ((inputs.containerfile === undefined) === (inputs.registryImageUri === undefined)) {
      context.addIssue({ code: "custom", path: [inputs.containerfile === undefined ? "containerfile" : "registryImageUri"], message: "set exactly one of containerfile and registryImageUri" });
    }
    if (inputs.registryLoginSecret !== undefined && inputs.registryImageUri === undefined) {
      context.addIssue({ code: "custom", path: ["registryLoginSecret"], message: "can only be used together with registryImageUri" });
    }
    if (inputs.containerfile !== undefined && !isFile(inputs.containerfile)) {
      context.addIssue({ code: "custom", path: ["containerfile"], message: `file '${inputs.containerfile}' does not exist` });
    }
  });

export type ContainerImageInputs = z.infer<typeof containerImageInputsSchema>;

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
