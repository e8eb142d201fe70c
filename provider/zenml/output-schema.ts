// The zenml:Service's outputs, declared once: their types (wire.ts's outputsFromWire builds exactly
// these beside the echoed inputs) and descriptions (zod metadata, for the package schema).
import { z } from "zod";
import { SERVICE_STATES, type ServiceInputs, type ServiceOutputs } from "./schema";

export const zenmlServiceOutputsSchema = z
  .object({
    state: z.enum(SERVICE_STATES).meta({ description: "ZenML's record state (ZenML copies it from status.state)." }),
    userId: z.string().optional().meta({ description: "Id of the ZenML user who registered the record." }),
    created: z.string().optional().meta({ description: "When ZenML created the record." }),
    updated: z.string().optional().meta({ description: "When ZenML last updated the record." }),
  })
  .strict();
export type ZenmlServiceComputed = z.infer<typeof zenmlServiceOutputsSchema>;

/** The output-only property names ZenML reports (check also sets projectId and registrationKey). */
export const ZENML_SERVICE_OUTPUT_NAMES = Object.keys(zenmlServiceOutputsSchema.shape) as Array<keyof ZenmlServiceComputed>;

// What the provider stores beyond the inputs must be the declared shape; key sets are compared too.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
const zenmlOutputsAreDeclared: Same<ZenmlServiceComputed, Omit<ServiceOutputs, keyof ServiceInputs>> = true;
void zenmlOutputsAreDeclared;
