// check and diff: validation with no API call, defaults filled in, and the digest of local sources
// (an edit under an unchanged path is a new submission, visible in preview).
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { containsUnknown, toPlainJson, validateAllowingUnknowns } from "../core/dynamic-support";
import { computeSourceHash, localPathProblems } from "../workload/local-sources";
import { inputRuleFailures } from "../workload/input-rules";
import { withDefaults, type Inputs } from "./context";
import { planJobChange } from "./planner";
import { jobInputsSchema, type JobInputs } from "./schema";

const LOCAL_FIELDS = ["workingDir", "pyModules", "requirements", "containerfile", "excludes"];

export async function checkJob(news: Inputs, olds: Inputs = {}): Promise<dynamic.CheckResult> {
  const recordedHash = typeof olds.sourceHash === "string" ? olds.sourceHash : undefined;
  const { __provider, sourceHash: _previousHash, ...userInputs } = news;
  const ruleFailures = inputRuleFailures(userInputs); // names, env var names, resource amounts (workload/input-rules.ts)
  if (ruleFailures.length > 0) return { failures: ruleFailures };
  const validation = validateAllowingUnknowns(jobInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { failures: validation.failures };
  if (!validation.ok) {
    // Preview with unknowns elsewhere: the local files are still fingerprinted when their paths are known.
    const sourceHash = containsUnknown(LOCAL_FIELDS.map((field) => userInputs[field])) ? undefined : safeSourceHash(userInputs as JobInputs, recordedHash);
    return { inputs: toPlainJson({ ...withDefaults(userInputs), sourceHash, __provider }) };
  }
  const checked = validation.value as JobInputs;
  const pathFailures = localPathProblems(checked);
  if (pathFailures.length > 0) return { failures: pathFailures };
  const sourceHash = computeSourceHash(checked, recordedHash);
  return { inputs: toPlainJson({ ...withDefaults(checked as Inputs), sourceHash, __provider }) };
}

function safeSourceHash(inputs: JobInputs, recordedHash: string | undefined): string | undefined {
  try {
    return computeSourceHash(inputs, recordedHash);
  } catch {
    // Malformed values are reported by check once they are known.
    return undefined;
  }
}

export async function diffJob(olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  const plan = planJobChange(olds, news);
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: false };
}
