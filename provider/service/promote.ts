// Releasing a pause without editing the program, in the spirit of `kubectl argo rollouts promote`:
// `ANYSCALE_PROMOTE=<service name> pulumi up` (comma-separated names, or `*` for every service of
// the run) continues a schedule held at a manual pause or an inconclusive gate. An environment value
// is one-shot by nature (a stack config value would release every later pause too), reaches both
// hosts' provider processes, and needs no program change.
export const PROMOTE_ENV = "ANYSCALE_PROMOTE";

export function promoteRequested(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[PROMOTE_ENV];
  if (!value) return false;
  return value
    .split(",")
    .map((name) => name.trim())
    .some((name) => name === "*" || name === serviceName);
}
