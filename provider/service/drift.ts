// Refresh: the live service folded back into the inputs, so a change made outside Pulumi (another
// version rolled out, tags edited, bearer auth switched, canary moved) shows up as drift on the next
// preview. Fields the provider itself deployed are left as the user wrote them.
import { z } from "zod";
import type { AnyscaleClient } from "../anyscale/client";
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import { digestRayServeConfig, type DeploymentRecord } from "./outputs";
import { withDefaults, type ServiceInputs } from "./schema";

const buildImageSchema = z.looseObject({ docker_image_name: z.string().nullish(), image_uri: z.string().nullish() });
const templateNameSchema = z.looseObject({ name: z.string().nullish(), version: z.number().nullish() });

async function imageUriOfBuild(client: AnyscaleClient, buildId: string): Promise<string | undefined> {
  const build = await client.result(buildImageSchema, "GET", `/api/v2/builds/${encodeURIComponent(buildId)}`);
  return build.image_uri ?? build.docker_image_name ?? undefined;
}

async function computeConfigName(client: AnyscaleClient, computeConfigId: string): Promise<string | undefined> {
  const template = await client.result(templateNameSchema, "GET", `/api/v2/compute_templates/${encodeURIComponent(computeConfigId)}`);
  return template.name ? (template.version ? `${template.name}:${template.version}` : template.name) : undefined;
}

function serveFields(version: ServiceVersionModel): Partial<ServiceInputs> {
  const config = (version.ray_serve_config ?? {}) as Record<string, unknown>;
  const fields: Partial<ServiceInputs> = {
    applications: (Array.isArray(config.applications) ? config.applications : []) as ServiceInputs["applications"],
  };
  if (config.http_options) fields.httpOptions = config.http_options as Record<string, unknown>;
  if (config.grpc_options) fields.grpcOptions = config.grpc_options as Record<string, unknown>;
  if (config.logging_config) fields.loggingConfig = config.logging_config as Record<string, unknown>;
  return fields;
}

/** Inputs that describe an existing service from scratch (Service.get, or a lookup with no prior state). */
export async function inputsFromLive(client: AnyscaleClient, service: ServiceModel, tags: Record<string, string>): Promise<ServiceInputs> {
  const primary = service.primary_version;
  const inputs: Record<string, unknown> = { name: service.name, queryAuthTokenEnabled: !!service.auth_token };
  if (primary) {
    Object.assign(inputs, serveFields(primary));
    if (primary.build_id) inputs.imageUri = await imageUriOfBuild(client, primary.build_id);
    if (primary.compute_config_id) inputs.computeConfig = await computeConfigName(client, primary.compute_config_id);
    if (primary.version) inputs.versionName = primary.version;
  }
  if (Object.keys(tags).length > 0) inputs.tags = tags;
  return Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== undefined)) as unknown as ServiceInputs;
}

/** The old inputs with every out-of-band change applied. */
export async function refreshedInputs(
  client: AnyscaleClient,
  old: ServiceInputs,
  service: ServiceModel,
  tags: Record<string, string>,
  deployment: DeploymentRecord | undefined,
): Promise<ServiceInputs> {
  const next: ServiceInputs = { ...old };
  if (Object.keys(tags).length > 0 || old.tags !== undefined) next.tags = tags;
  if (Object.keys(tags).length === 0 && (old.tags === undefined || Object.keys(old.tags).length === 0)) delete next.tags;

  const liveBearer = !!service.auth_token;
  if (liveBearer !== withDefaults(old).queryAuthTokenEnabled) next.queryAuthTokenEnabled = liveBearer;

  const declaredPercent = old.rollout?.canaryPercent ?? 100;
  const ours = [service.canary_version, service.primary_version].find((version) => version && version.id === deployment?.versionId) ?? undefined;
  // A version rolled out by someone else (even still a canary) is what the service is becoming: that is the drift.
  const otherCanary = service.canary_version && service.canary_version.id !== deployment?.versionId ? service.canary_version : undefined;
  // With a schedule declared, a canary held below 100% is most likely this stack's own rollout cut short
  // (a killed `pulumi up`): folding it in would make the next up a no-op instead of resuming it.
  const interruptedSchedule = old.rollout?.steps !== undefined && otherCanary !== undefined && (otherCanary.target_weight ?? otherCanary.weight ?? 0) < 100;
  const foreignCanary = interruptedSchedule ? undefined : otherCanary;
  const current = foreignCanary ?? ours ?? service.primary_version ?? undefined;
  if (current && deployment) {
    const serveDrift = deployment.rayServeConfigDigest !== undefined && digestRayServeConfig(current.ray_serve_config) !== deployment.rayServeConfigDigest;
    if (serveDrift) Object.assign(next, serveFields(current));
    if (deployment.buildId && current.build_id && current.build_id !== deployment.buildId) {
      next.imageUri = await imageUriOfBuild(client, current.build_id);
      delete next.containerfile;
    }
    if (deployment.computeConfigId && current.compute_config_id && current.compute_config_id !== deployment.computeConfigId) {
      next.computeConfig = await computeConfigName(client, current.compute_config_id);
    }
    if (current.id !== deployment.versionId && !serveDrift && current.version && old.versionName !== undefined && current.version !== old.versionName) {
      next.versionName = current.version;
    }
  }
  if (declaredPercent < 100) {
    const canary = service.canary_version;
    const livePercent = canary && canary.id === deployment?.versionId ? (canary.weight ?? 0) : 100;
    if (livePercent !== declaredPercent) {
      next.rollout = { ...old.rollout, canaryPercent: livePercent };
      if (livePercent === 100) delete next.rollout.canaryPercent;
    }
  }
  return next;
}
