// check and diff: validation with no API call and defaults filled in.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { toPlainJson, validateAllowingUnknowns } from "../core/dynamic-support";
import { withDefaults, type Inputs } from "./context";
import { planJobQueueChange } from "./planner";
import { jobQueueInputsSchema } from "./schema";
import { inputRuleFailures } from "../workload/input-rules";
import { scopeWithNonce } from "../core/owner-mark";

export async function checkQueue(news: Inputs, olds: Inputs = {}): Promise<dynamic.CheckResult> {
  const { __provider, ...userInputs } = news;
  const ruleFailures = inputRuleFailures(userInputs); // names, env var names, resource amounts (workload/input-rules.ts)
  if (ruleFailures.length > 0) return { failures: ruleFailures };
  // The ownership key's nonce (core/owner-mark.ts): another backend's stack of the same names gets its own.
  if (userInputs.submissionScope !== undefined) userInputs.submissionScope = scopeWithNonce(userInputs.submissionScope, olds.submissionScope);
  const validation = validateAllowingUnknowns(jobQueueInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { failures: validation.failures };
  const checked = validation.ok ? (validation.value as Inputs) : userInputs;
  return { inputs: toPlainJson({ ...withDefaults(checked), __provider }) };
}

export async function diffQueue(olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  const plan = planJobQueueChange(olds, news);
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: plan.deleteBeforeReplace };
}
