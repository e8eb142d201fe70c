// The ContainerImage adapter: a changed build is a new image, a new name a replacement.
import * as containerImageProvider from "../../../containerimage/dynamic";
import { containerImageInputsSchema } from "../../../containerimage/schema";
import { planContainerImageChange } from "../../../containerimage/planner";
import { CONTAINER_IMAGE_OUTPUT_NAMES, containerImageOutputsSchema } from "../../../containerimage/output-schema";
import { nameDefaulted, type ProviderModule, type ResourceAdapter } from "../adapter";
import { describeNewVersionPlan } from "../plan-lines";

export const containerImage: ResourceAdapter = {
  token: "anyscale:index:ContainerImage",
  module: containerImageProvider as unknown as ProviderModule,
  inputSchema: containerImageInputsSchema,
  docsPage: "container-image.md",
  defaultedInputs: ["name"],
  internal: new Set(["sourceHash"]),
  computedOutputs: CONTAINER_IMAGE_OUTPUT_NAMES,
  outputSchema: containerImageOutputsSchema,
  secretOutputs: [],
  prepare: nameDefaulted,
  plan(state, news) {
    const plan = planContainerImageChange(state, news);
    return {
      fields: [...plan.replaces.map((path) => ({ path, replace: true })), ...plan.newVersion.map((path) => ({ path, replace: false }))],
      line: describeNewVersionPlan(plan.replaces, plan.newVersion, "a new image is created"),
    };
  },
};
