// Which invoke results go back to the engine as secrets. The engine keeps the secret markers of an
// InvokeResponse's return (it unmarshals it with secrets kept, whatever the provider accepts) and
// hands them to the language host, which makes the whole result a secret Output; so marking is the
// provider's job, and this decides it: the same rule as the TypeScript Output forms, plus a net.
import { redact } from "../../core/redact";
import type { InvokeSpec } from "./invokes";
import { secretOf, type Props } from "./values";

export interface InvokeCall {
  spec: Pick<InvokeSpec, "secretResult">;
  args: Props;
  /** Whether any argument came in secret (an Output form propagates that to its result). */
  argsHadSecret: boolean;
  result: Props;
}

/** Registered secrets or token-shaped text anywhere in the result (a field this code never meant to return). */
function bearsToken(result: Props): boolean {
  const text = JSON.stringify(result) ?? "";
  return redact(text) !== text;
}

export function invokeResultIsSecret(call: InvokeCall): boolean {
  return call.argsHadSecret || (call.spec.secretResult?.(call.args) ?? false) || bearsToken(call.result);
}

/** The result as the engine should see it: every top-level value secret, or as it is. */
export function invokeReturn(call: InvokeCall): Props {
  if (!invokeResultIsSecret(call)) return call.result;
  return Object.fromEntries(Object.entries(call.result).map(([key, value]) => [key, value === undefined ? value : secretOf(value)]));
}
