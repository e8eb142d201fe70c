// check and diff. The one exception to "check makes no API call": the project is resolved to its id
// with one read-only lookup, so an unknown project fails at preview and a rename of the project does
// not replace the record (docs/ARCHITECTURE.md). Without a configured server check still validates.
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { isUnknown, toPlainJson, validateAllowingUnknowns, type CheckFailure } from "../core/dynamic-support";
import { isNotFound } from "./client";
import { defaultProject, PROVIDER_KEY, resolveProjectId, withoutProvider, type Props, type ZenmlContext } from "./context";
import { planServiceChange } from "./planner";
import { ServiceInputsSchema, isUuid, type ServiceInputs } from "./schema";

/**
 * Validates without writes, fills the default project, resolves it to an id, and keeps the registration
 * key stable unless the record must be replaced, when a fresh key lets the new record coexist with the
 * old one until it is deleted.
 */
export async function checkZenmlService(context: ZenmlContext | undefined, olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
  const userInputs = withoutProvider(news);
  delete userInputs.registrationKey;
  delete userInputs.projectId;
  const validation = validateAllowingUnknowns(ServiceInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { inputs: news, failures: validation.failures };
  // With preview unknowns the inputs pass through as given; the known parts are still completed.
  const validated = (validation.ok ? validation.value : userInputs) as ServiceInputs;
  const inputs: ServiceInputs = { ...validated, project: validated.project ?? defaultProject(context) };
  const failures: CheckFailure[] = [];
  if (context && inputs.project && !isUnknown(inputs.project)) {
    try {
      inputs.projectId = await resolveProjectId(context, inputs.project);
    } catch (error) {
      if (isNotFound(error)) {
        failures.push({ property: "project", reason: `project: no ZenML project named or with id "${inputs.project}" exists at ${context.client.url}` });
      }
      // Any other failure (server down during preview) is left to create, which reports it.
    }
  }
  const previous = withoutProvider(olds) as Partial<ServiceInputs>;
  const keepKey = typeof previous.registrationKey === "string" && !planServiceChange(previous, inputs, isUnknown).replaces.length;
  inputs.registrationKey = keepKey ? previous.registrationKey : randomUUID();
  return { inputs: { ...toPlainJson(inputs), [PROVIDER_KEY]: news[PROVIDER_KEY] }, failures };
}

export async function diffZenmlService(context: ZenmlContext | undefined, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
  const plan = planServiceChange(olds as Partial<ServiceInputs>, news as Partial<ServiceInputs>, isUnknown);
  if (plan.replaces.length > 0) return { changes: true, replaces: plan.replaces, deleteBeforeReplace: false };
  // A record deleted out of band is recreated by the next `pulumi up`, not only after a refresh.
  // Reported on registrationKey: the registration itself is what is missing. Nothing is left to delete first.
  if (await recordIsGone(context, id)) return { changes: true, replaces: ["registrationKey"], deleteBeforeReplace: true };
  return { changes: plan.changes };
}

async function recordIsGone(context: ZenmlContext | undefined, id: string): Promise<boolean> {
  if (!context || !isUuid(id)) return false;
  try {
    await context.client.getService(id);
    return false;
  } catch (error) {
    return isNotFound(error);
  }
}
