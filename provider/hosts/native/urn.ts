// Who a resource is, read from its URN: the project, stack, type and name the sdk classes would take from
// pulumi.getProject()/getStack() and their own arguments.
import type { ResourceIdentity } from "./adapter";

/** "urn:pulumi:<stack>::<project>::<parent$type>::<name>" */
export function identityFromUrn(urn: string): ResourceIdentity & { type: string } {
  const [prefix, project, qualifiedType, ...nameParts] = urn.split("::");
  const stack = prefix.split(":").slice(2).join(":");
  const types = qualifiedType?.split("$") ?? [];
  return { stack, project, type: types[types.length - 1] ?? "", name: nameParts.join("::") };
}
