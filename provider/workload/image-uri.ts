// The image URI rule every workload shares: the official SDK refuses a malformed `image_uri` when a
// ServiceConfig or JobConfig is built (WorkloadConfig), so a malformed one fails at check here.
import { z } from "zod";
import { IMAGE_URI_PATTERN } from "../anyscale/image-build-rules";

export const IMAGE_URI_FORM = "[registry_host/]user_name/repository[:tag][@digest]";

export const imageUriSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .refine((uri) => IMAGE_URI_PATTERN.test(uri), `is not an image URI of the form ${IMAGE_URI_FORM}`);
