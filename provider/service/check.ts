// check and diff: validation naming the field (no API call, unknowns tolerated in preview),
// auto-naming, the local-source fingerprint, and the planner's verdict for the engine.
import { randomBytes } from "node:crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ProviderSettings } from "../core/config";
import { containsUnknown, toPlainJson, validateAllowingUnknowns, type CheckFailure } from "../core/dynamic-support";
import { withoutProvider } from "./context";
import { computeSourceHash, localPathProblems } from "../workload/local-sources";
import { deploymentUnfinished, inputsFromProps, type DeploymentRecord } from "./outputs";
import { diffFromPlan, inPlaceBlockers, planServiceUpdate } from "./planner";
import { serviceInputsObject, serviceInputsSchema } from "./schema";
import { scopeWithNonce } from "../core/owner-mark";
import { placementAsDeclared } from "./placement-record";
import { inputRuleFailures } from "../workload/input-rules";

function autoName(prefix: string): string {
  const base = prefix.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 120);
  return `${base}-${randomBytes(4).toString("hex").slice(0, 7)}`;
}

export async function checkService(settings: ProviderSettings | undefined, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  const inputs = withoutProvider(news);
  const previous = withoutProvider(olds);
  if (inputs.name === undefined && typeof inputs.autoNamePrefix === "string" && !containsUnknown(inputs.autoNamePrefix)) {
    // Keep the generated name across updates; a new one only for a new resource.
    inputs.name = typeof previous.name === "string" && previous.autoNamePrefix === inputs.autoNamePrefix ? previous.name : autoName(inputs.autoNamePrefix);
  }
  delete inputs.sourceHash;
  inputs.ownershipScope = scopeWithNonce(inputs.ownershipScope, previous.ownershipScope);
  const ruleFailures = inputRuleFailures(inputs); // names, env var names, resource amounts (workload/input-rules.ts)
  if (ruleFailures.length > 0) return { inputs: toPlainJson(inputs), failures: ruleFailures };
  // The stack's default cloud/project become explicit inputs, so changing a default shows as a replacement.
  if (inputs.cloud === undefined && settings?.defaultCloud) inputs.cloud = settings.defaultCloud;
  if (inputs.project === undefined && settings?.defaultProject) inputs.project = settings.defaultProject;
  const validation = validateAllowingUnknowns(serviceInputsSchema, inputs);
  if (!validation.ok) return { inputs: toPlainJson(inputs), failures: validation.failures };
  const parsed = validation.value;
  const failures: CheckFailure[] = [...localPathProblems(parsed)];
  const oldParsed = serviceInputsObject.safeParse(inputsFromProps(previous));
  if (oldParsed.success && previous.name !== undefined) {
    for (const field of inPlaceBlockers(oldParsed.data, parsed)) {
      failures.push({
        property: field,
        reason: `${field}: cannot change with rollout.strategy "inPlace" (it is cluster-level); use strategy "rollout" for this change`,
      });
    }
  }
  if (failures.length > 0) return { inputs: toPlainJson(inputs), failures };
  const sourceHash = computeSourceHash(parsed);
  return { inputs: toPlainJson({ ...inputs, ...(sourceHash ? { sourceHash } : {}) }) };
}

export async function diffService(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
  const plan = planServiceUpdate(inputsFromProps(placementAsDeclared(olds, news)), inputsFromProps(withoutProvider(news)));
  const result = diffFromPlan(plan);
  const lastDeployment = olds.deployment as DeploymentRecord | undefined;
  // A deploy that failed (or a service stopped outside Pulumi) must be converged even if nothing was edited.
  const needsConvergence = deploymentUnfinished(lastDeployment) || olds.state === "TERMINATED";
  return { ...result, changes: result.changes || needsConvergence };
}
