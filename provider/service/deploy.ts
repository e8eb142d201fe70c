// Turns inputs into an apply request: name→id resolution, uploads, runtime_env rewrite. I/O lives
// here; the request shape itself comes from the pure apply-request module.
import * as fs from "node:fs";
import type { AnyscaleClient } from "../anyscale/client";
import { AnyscaleError } from "../core/errors";
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import { resolveBuildId, resolveComputeConfig, resolveProjectId } from "../anyscale/catalog";
import { resolveConnectionIds } from "../workload/connections";
import { uploadDirectory } from "../anyscale/upload";
import { resolveWorkloadBuildId } from "../anyscale/images";
import { buildApplyRequest, buildRayServeConfig, rewriteApplications, type DeployMode, type ResolvedIds, type UploadedUris } from "./apply-request";
import { localDirectories, readRequirements } from "../workload/local-sources";
import type { ServiceInputs } from "./schema";

export interface PreparedDeploy {
  body: Record<string, unknown>;
  ids: ResolvedIds;
  rayServeConfig: Record<string, unknown>;
}

/** Cloud and project the inputs point at (for the existing-service lookup before any upload). */
export async function resolvePlacement(client: AnyscaleClient, inputs: ServiceInputs): Promise<{ cloudId: string; projectId: string; computeConfigId: string }> {
  const compute = await resolveComputeConfig(client, inputs.computeConfig, inputs.cloud);
  const projectId = await resolveProjectId(client, inputs.project, compute.cloudId);
  return { cloudId: compute.cloudId, projectId, computeConfigId: compute.computeConfigId };
}

async function uploadSources(client: AnyscaleClient, cloudId: string, inputs: ServiceInputs): Promise<UploadedUris> {
  const uploaded: UploadedUris = {};
  for (const ref of localDirectories(inputs)) {
    if (uploaded[ref.directory] === undefined) uploaded[ref.directory] = await uploadDirectory(client, cloudId, ref.directory, ref.excludes);
  }
  return uploaded;
}

/** A rollout (or create): every id resolved from the inputs. */
export async function prepareRollout(
  client: AnyscaleClient,
  name: string,
  inputs: ServiceInputs,
  placement: { cloudId: string; projectId: string; computeConfigId: string },
  mode: DeployMode,
): Promise<PreparedDeploy> {
  const buildId = await resolveWorkloadBuildId(
    client,
    { imageName: `image-for-service-${name}`, imageUri: inputs.imageUri, containerfile: inputs.containerfile, registryLoginSecret: inputs.registryLoginSecret, rayVersion: inputs.rayVersion },
    (file) => fs.readFileSync(file, "utf8"),
    () => resolveBuildId(client, { rayVersion: inputs.rayVersion }),
  );
  const connectionIds = await resolveConnectionIds(client, inputs.connections);
  const uploaded = await uploadSources(client, placement.cloudId, inputs);
  const applications = rewriteApplications(inputs, uploaded, readRequirements(inputs.requirements));
  const rayServeConfig = buildRayServeConfig(inputs, applications);
  const ids: ResolvedIds = { ...placement, buildId, connectionIds };
  return { body: buildApplyRequest(name, inputs, rayServeConfig, ids, mode), ids, rayServeConfig };
}

/**
 * An in-place update: the platform keeps the primary version's build, compute config, GCS and
 * tracing settings (the SDK sends them back unchanged), so only the Serve config and env change.
 */
export async function prepareInPlace(client: AnyscaleClient, name: string, inputs: ServiceInputs, service: ServiceModel): Promise<PreparedDeploy> {
  const primary = requirePrimary(service);
  if (!primary.build_id || !primary.compute_config_id) {
    throw new AnyscaleError(`Service '${name}' primary version has no build or compute config; an in-place update is not possible.`);
  }
  const cloudId = service.cloud_id ?? (await resolvePlacement(client, inputs)).cloudId;
  const uploaded = await uploadSources(client, cloudId, inputs);
  const applications = rewriteApplications(inputs, uploaded, readRequirements(inputs.requirements));
  const rayServeConfig = buildRayServeConfig(inputs, applications);
  const connectionIds = await resolveConnectionIds(client, inputs.connections);
  const ids: ResolvedIds = { projectId: service.project_id, cloudId, computeConfigId: primary.compute_config_id, buildId: primary.build_id, connectionIds };
  const body = buildApplyRequest(name, { ...inputs, queryAuthTokenEnabled: service.auth_token !== null && service.auth_token !== undefined }, rayServeConfig, ids, {
    rolloutStrategy: "IN_PLACE",
  });
  body.ray_gcs_external_storage_config = primary.ray_gcs_external_storage_config ?? undefined;
  body.tracing_config = primary.tracing_config ?? undefined;
  return { body, ids, rayServeConfig };
}

/** Moves the held canary: the canary's own config re-applied with a new canary_percent (what the SDK's weight update sends). */
export function prepareCanaryWeight(name: string, inputs: ServiceInputs, service: ServiceModel, canary: ServiceVersionModel, canaryPercent: number): PreparedDeploy {
  if (!canary.build_id || !canary.compute_config_id || !canary.ray_serve_config) {
    throw new AnyscaleError(`Service '${name}' canary version ${canary.id} lacks build, compute config or Serve config; cannot move its traffic.`);
  }
  const rayServeConfig = canary.ray_serve_config;
  const ids: ResolvedIds = {
    projectId: service.project_id,
    cloudId: service.cloud_id ?? "",
    computeConfigId: canary.compute_config_id,
    buildId: canary.build_id,
    connectionIds: canary.connection_ids ?? undefined,
  };
  const body = buildApplyRequest(name, inputs, rayServeConfig, ids, {
    rolloutStrategy: "ROLLOUT",
    // 100 is sent as "no canary_percent": the platform then completes the rollout and promotes the version.
    canaryPercent: canaryPercent < 100 ? canaryPercent : undefined,
    maxSurgePercent: inputs.rollout?.maxSurgePercent,
    versionName: canary.version ?? undefined,
  });
  body.ray_gcs_external_storage_config = canary.ray_gcs_external_storage_config ?? undefined;
  body.tracing_config = canary.tracing_config ?? undefined;
  return { body, ids, rayServeConfig };
}

function requirePrimary(service: ServiceModel): ServiceVersionModel {
  if (!service.primary_version) throw new AnyscaleError(`Service '${service.name}' has no primary version.`);
  return service.primary_version;
}
