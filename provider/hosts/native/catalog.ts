// Which resource and function modules a request needs, evaluated on its first use. The engine starts
// this plugin twice per `pulumi up` (preview, then update) and a language host may start it once more
// for the schema alone; each start is on the path to the first API write, so a process that serves
// only Services never evaluates the Job, JobQueue, ZenML, image or compute-config modules, and one that
// only answers GetSchema from the embedded schema evaluates none. resources.ts stays the eager list
// (the schema generator and the tests read every adapter); a unit test keeps the two token lists equal.
import type { ResourceAdapter } from "./adapter";
import type { InvokeSpec } from "./invokes";

const ADAPTERS: Readonly<Record<string, () => Promise<ResourceAdapter>>> = {
  "anyscale:index:Service": async () => (await import("./adapters/service")).service,
  "anyscale:index:Job": async () => (await import("./adapters/job")).job,
  "anyscale:index:JobQueue": async () => (await import("./adapters/job-queue")).jobQueue,
  "anyscale:zenml:Service": async () => (await import("./adapters/zenml-service")).zenmlService,
  "anyscale:index:ComputeConfig": async () => (await import("./adapters/compute-config")).computeConfig,
  "anyscale:index:ContainerImage": async () => (await import("./adapters/container-image")).containerImage,
};

export const RESOURCE_TOKENS: readonly string[] = Object.keys(ADAPTERS);

/** The adapter serving `token`, or undefined when this provider serves no such type. */
export async function loadAdapter(token: string): Promise<ResourceAdapter | undefined> {
  const load = ADAPTERS[token];
  return load ? load() : undefined;
}

/** The function `token`, or undefined when there is none (the functions are one module: loaded together). */
export async function loadInvoke(token: string): Promise<InvokeSpec | undefined> {
  return (await import("./invokes")).invokeFor(token);
}
