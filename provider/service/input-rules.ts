// The Service's rules spanning several inputs (check and create/update validate with this schema),
// each failure on the field the user has to change.
import { isReservedTag, RESERVED_TAG_PREFIX } from "../core/reserved-tags";
import { timeoutMsFor } from "../core/timeouts";
import { deliveryProblems } from "./rollout-schema";
import { DEFAULT_WAIT_MS, serviceInputsObject } from "./schema";

/** Images built or registered on Anyscale: they need no registry credentials. */
export const ANYSCALE_HOSTED_IMAGE_PREFIX = "anyscale/image/";

/** Rules spanning several fields, each reported on the field the user has to change. */
export const serviceInputsSchema = serviceInputsObject.superRefine((inputs, context) => {
  if (inputs.imageUri !== undefined && inputs.containerfile !== undefined) {
    context.addIssue({ code: "custom", path: ["containerfile"], message: "imageUri and containerfile are exclusive; set only one" });
  }
  if (inputs.registryLoginSecret !== undefined && inputs.imageUri === undefined) {
    context.addIssue({ code: "custom", path: ["registryLoginSecret"], message: "can only be used together with imageUri" });
  }
  if (inputs.registryLoginSecret !== undefined && inputs.imageUri?.startsWith(ANYSCALE_HOSTED_IMAGE_PREFIX)) {
    context.addIssue({ code: "custom", path: ["registryLoginSecret"], message: `can only be used with an image not hosted on Anyscale (imageUri starts with "${ANYSCALE_HOSTED_IMAGE_PREFIX}")` });
  }
  if (inputs.rayVersion !== undefined && inputs.imageUri === undefined && inputs.containerfile === undefined) {
    context.addIssue({ code: "custom", path: ["rayVersion"], message: "only applies to an image given by imageUri or containerfile" });
  }
  for (const key of Object.keys(inputs.tags ?? {})) {
    // Reserved for the provider's owner key (provider/service/ownership.ts).
    if (isReservedTag(key)) context.addIssue({ code: "custom", path: ["tags", key], message: `tag keys starting with "${RESERVED_TAG_PREFIX}" are reserved for the provider` });
  }
  if (inputs.name === undefined && inputs.autoNamePrefix === undefined) {
    context.addIssue({ code: "custom", path: ["name"], message: "is required" });
  }
  if (inputs.rollout?.strategy === "inPlace") {
    if (inputs.rollout.canaryPercent !== undefined) {
      context.addIssue({ code: "custom", path: ["rollout", "canaryPercent"], message: "is not supported with strategy inPlace" });
    }
    if (inputs.rollout.maxSurgePercent !== undefined) {
      context.addIssue({ code: "custom", path: ["rollout", "maxSurgePercent"], message: "is not supported with strategy inPlace (set max_surge_percent per Serve deployment instead)" });
    }
  }
  for (const issue of deliveryProblems(inputs, timeoutMsFor(inputs.timeouts, "update", DEFAULT_WAIT_MS))) context.addIssue({ code: "custom", ...issue });
  const appNames = new Set<string>();
  inputs.applications.forEach((application, index) => {
    const appName = application.name ?? "default";
    if (appNames.has(appName)) {
      context.addIssue({ code: "custom", path: ["applications", index, "name"], message: `duplicate application name '${appName}'` });
    }
    appNames.add(appName);
  });
  const connectionTypes = new Set<string>();
  inputs.connections?.forEach((connection, index) => {
    const type = connection.type.toLowerCase();
    if (connectionTypes.has(type)) {
      context.addIssue({ code: "custom", path: ["connections", index, "type"], message: "only one connection per type is allowed" });
    }
    connectionTypes.add(type);
  });
  if (inputs.grpcOptions?.service_names !== undefined && !isStringArray(inputs.grpcOptions.service_names)) {
    context.addIssue({ code: "custom", path: ["grpcOptions", "service_names"], message: "must be a list of strings" });
  }
});

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

