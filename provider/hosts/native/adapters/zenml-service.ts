// The zenml:Service adapter: the forAnyscale shorthand expanded at check, and its plan line.
import { isUnknown } from "../../../core/dynamic-support";
import * as zenmlProvider from "../../../zenml/dynamic";
import { ServiceInputsSchema as zenmlInputsSchema } from "../../../zenml/schema";
import { planServiceChange } from "../../../zenml/planner";
import { ZENML_SERVICE_OUTPUT_NAMES, zenmlServiceOutputsSchema } from "../../../zenml/output-schema";
import type { ProviderModule, ResourceAdapter } from "../adapter";
import { describeZenmlPlan } from "../plan-lines";
import { anyscaleRegistrationFailures, anyscaleServiceRefSchema, expandAnyscaleRegistration } from "../zenml-anyscale";

export const zenmlService: ResourceAdapter = {
  token: "anyscale:zenml:Service",
  module: zenmlProvider as unknown as ProviderModule,
  // `anyscaleService` is zenml.Service.forAnyscale for programs that cannot call it.
  inputSchema: zenmlInputsSchema.extend({ anyscaleService: anyscaleServiceRefSchema.optional() }),
  docsPage: "zenml-service.md",
  defaultedInputs: ["name", "serviceType"],
  internal: new Set(["registrationKey", "projectId"]),
  computedOutputs: ZENML_SERVICE_OUTPUT_NAMES,
  outputSchema: zenmlServiceOutputsSchema,
  secretOutputs: [],
  knownThroughUpdate: () => ["userId", "created"],
  precheck: anyscaleRegistrationFailures,
  prepare(news, identity) {
    return expandAnyscaleRegistration(news, identity.name);
  },
  plan(state, news, diff) {
    const plan = planServiceChange(state, news, isUnknown);
    const recordGone = plan.replaces.length === 0 && (diff.replaces ?? []).includes("registrationKey");
    return {
      fields: [...plan.replaces.map((path) => ({ path, replace: true })), ...plan.updates.map((path) => ({ path, replace: false }))],
      line: describeZenmlPlan(plan, this.internal, recordGone),
    };
  },
};
