// The resources the plugin serves: each adapter (adapters/) points at the SAME provider module the dynamic
// host runs (provider/<resource>/dynamic.ts), and adds only what a native host needs on top: the type token,
// the internal inputs the sdk classes would fill, the planner verdict as a detailed diff and a plan line.
import type { ResourceAdapter } from "./adapter";
import { computeConfig } from "./adapters/compute-config";
import { containerImage } from "./adapters/container-image";
import { job } from "./adapters/job";
import { jobQueue } from "./adapters/job-queue";
import { service } from "./adapters/service";
import { zenmlService } from "./adapters/zenml-service";

export const RESOURCES: readonly ResourceAdapter[] = [service, job, jobQueue, zenmlService, computeConfig, containerImage];

export function adapterFor(token: string): ResourceAdapter | undefined {
  return RESOURCES.find((adapter) => adapter.token === token);
}
