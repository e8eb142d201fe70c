// The resources the plugin serves: each adapter (adapters/) points at the SAME provider module the dynamic
// host runs (provider/<resource>/dynamic.ts), and adds only what a native host needs on top: the type token,
// the internal inputs the sdk classes would fill, the planner verdict as a detailed diff and a plan line.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ConfigSource } from "../../core/config";
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

/** Configures every shared provider module from the plugin's config; a module that cannot be configured reports why when used. */
export async function configureAll(source: ConfigSource): Promise<Map<ResourceAdapter, Error>> {
  const failures = new Map<ResourceAdapter, Error>();
  for (const adapter of RESOURCES) {
    try {
      await adapter.module.configure({ config: source } as unknown as dynamic.ConfigureRequest);
    } catch (error) {
      failures.set(adapter, error as Error);
    }
  }
  return failures;
}
