// Checks on `pulumi stack export` output shared by the e2e tests.

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export function resourcesOf(deployment: any): StateResource[] {
  return deployment?.deployment?.resources ?? [];
}

/** Fails naming which secret leaked (never printing the secret itself). */
export function assertNoSecretsInState(stateText: string, secrets: Record<string, string>): void {
  for (const [what, value] of Object.entries(secrets)) {
    if (!value) throw new Error(`no value given for ${what}: the check would prove nothing`);
    if (stateText.includes(value)) throw new Error(`the ${what} appears in plaintext in pulumi stack export`);
  }
}

/** The serialized dynamic provider stored with a resource (its `__provider` output). */
export function providerReferenceOf(resource: StateResource): string {
  const provider = resource.outputs?.__provider ?? resource.inputs?.__provider;
  if (typeof provider !== "string") throw new Error(`${resource.urn} has no serialized __provider in state`);
  return provider;
}
