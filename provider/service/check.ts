// check and diff: validation naming the field (no API call, unknowns tolerated in preview),
// auto-naming, the local-source fingerprint, and the planner's verdict for the engine.
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ProviderSettings } from "../core/config";
import { containsUnknown, toPlainJson, validateAllowingUnknowns, type CheckFailure } from "../core/dynamic-support";
import { withoutProvider } from "./context";
import { computeSourceHash, localPathProblems } from "../workload/local-sources";
import { deploymentUnfinished, inputsFromProps, type DeploymentRecord } from "./outputs";
import { diffFromPlan, inPlaceBlockers } from "./planner";
import { planWithDelivery } from "./delivery-hooks";
import { serviceInputsObject } from "./schema";
import { serviceInputsSchema } from "./input-rules";
import { scopeWithNonce } from "../core/owner-mark";
import { placementAsDeclared } from "./placement-record";
import { inputRuleFailures } from "../workload/input-rules";

function autoName(prefix: string): string {
  const base = prefix.replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, 120);
  return `${base}-${randomBytes(4).toString("hex").slice(0, 7)}`;
}

/** The containerfile's contents as a digest input: an edited file under the same path is a change of its own. */
function containerfileDigest(inputs: { containerfile?: string }): { containerfileHash?: string } {
  if (inputs.containerfile === undefined) return {};
  try {
    return { containerfileHash: createHash("sha256").update(fs.readFileSync(inputs.containerfile)).digest("hex").slice(0, 16) };
  } catch {
    return {};
  }
}

export async function checkService(settings: ProviderSettings | undefined, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
  const inputs = withoutProvider(news);
  const previous = withoutProvider(olds);
  if (inputs.name === undefined && typeof inputs.autoNamePrefix === "string" && !containsUnknown(inputs.autoNamePrefix)) {
    // Keep the generated name across updates; a new one only for a new resource.
    inputs.name = typeof previous.name === "string" && previous.autoNamePrefix === inputs.autoNamePrefix ? previous.name : autoName(inputs.autoNamePrefix);
  }
  delete inputs.sourceHash;
  delete inputs.containerfileHash;
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
    const declared = { ...parsed, ...containerfileDigest(parsed) };
    for (const blocker of inPlaceBlockers(oldParsed.data, declared)) {
      failures.push({
        property: blocker.field,
        reason: `${blocker.field}: cannot change with rollout.strategy "inPlace" (${blocker.reason}); use strategy "rollout" for this change`,
      });
    }
  }
  if (failures.length > 0) return { inputs: toPlainJson(inputs), failures };
  const sourceHash = computeSourceHash(parsed, typeof previous.sourceHash === "string" ? previous.sourceHash : undefined);
  return { inputs: toPlainJson({ ...inputs, ...(sourceHash ? { sourceHash } : {}), ...containerfileDigest(parsed) }) };
}

export async function diffService(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.DiffResult> {
  const { plan, rejected, releasePause } = planWithDelivery(olds, inputsFromProps(placementAsDeclared(olds, news)), inputsFromProps(withoutProvider(news)));
  const result = diffFromPlan(plan);
  const lastDeployment = olds.deployment as DeploymentRecord | undefined;
  // A deploy that failed (or a service stopped outside Pulumi) must be converged even if nothing was edited.
  // A version a gate rejected is not retried by the same program; ANYSCALE_PROMOTE releases a held pause.
  const needsConvergence = (deploymentUnfinished(lastDeployment) && !rejected) || olds.state === "TERMINATED" || releasePause;
  return { ...result, changes: result.changes || needsConvergence };
}
