// Refresh and import: the live service folded back into the inputs through the declaration's read-back
// of each field, so a change made outside Pulumi (another version rolled out, tags edited, auth,
// tracing or connections switched, canary moved) shows up as drift, and an import keeps every setting.
// Only what a declared field reads is fetched (the build, the compute config, connection names).
import { z } from "zod";
import type { AnyscaleClient } from "../anyscale/client";
import type { ServiceModel, ServiceVersionModel } from "../anyscale/service-models";
import { canonicalJson } from "../core/dynamic-support";
import { withoutUnset, type DeclaredField, type ReadBackSource } from "../core/declaration";
import type { LiveService } from "./live-view";
import { digestRayServeConfig, type DeploymentRecord } from "./outputs";
import { SERVICE_FIELDS, type ServiceInputs } from "./schema";

const buildSchema = z.looseObject({
  id: z.string(),
  image_uri: z.string().nullish(),
  docker_image_name: z.string().nullish(),
  containerfile: z.string().nullish(),
  registry_login_secret: z.string().nullish(),
  ray_version: z.string().nullish(),
  revision: z.number().nullish(),
  cluster_environment_id: z.string().nullish(),
  is_byod: z.boolean().nullish(),
  application_template: z.looseObject({ name: z.string().nullish() }).nullish(),
});
const templateNameSchema = z.looseObject({ name: z.string().nullish(), version: z.number().nullish() });
const connectionSchema = z.looseObject({ name: z.string() });

/** Top-level inputs that read something back (nested ones, the canary share, are refreshed below). */
const READ_BACK = SERVICE_FIELDS.filter((declared) => !declared.path.includes("."));

async function computeConfigName(client: AnyscaleClient, computeConfigId: string): Promise<string | undefined> {
  const template = await client.result(templateNameSchema, "GET", `/api/v2/compute_templates/${encodeURIComponent(computeConfigId)}`);
  return template.name ? (template.version ? `${template.name}:${template.version}` : template.name) : undefined;
}

async function connectionNames(client: AnyscaleClient, ids: readonly string[]): Promise<Array<{ type: string; name: string }>> {
  const names: Array<{ type: string; name: string }> = [];
  for (const id of ids) {
    // The only connection type: the version stores the user's Databricks connection id.
    const connection = await client.result(connectionSchema, "GET", `/api/v2/integrations/connections/databricks/${encodeURIComponent(id)}`);
    names.push({ type: "databricks", name: connection.name });
  }
  return names;
}

/** The live view the declared read-backs take, with only the sources asked for fetched. */
async function liveView(client: AnyscaleClient, service: ServiceModel, version: ServiceVersionModel | undefined, sources: ReadonlySet<ReadBackSource>, tags: Record<string, string>, recorded?: LiveService["recorded"]): Promise<LiveService> {
  const live: LiveService = { service, version, tags, recorded };
  if (sources.has("build") && version?.build_id) live.build = await client.result(buildSchema, "GET", `/api/v2/builds/${encodeURIComponent(version.build_id)}`);
  if (sources.has("computeConfig") && version?.compute_config_id) live.computeConfigName = await computeConfigName(client, version.compute_config_id);
  if (sources.has("connections") && version?.connection_ids?.length) live.connections = await connectionNames(client, version.connection_ids);
  return live;
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function sameValue(declared: DeclaredField<LiveService>, input: unknown, live: unknown): boolean {
  const normalize = declared.normalize ?? ((value: unknown) => value);
  return canonicalJson(withoutUnset(normalize(input)) ?? null) === canonicalJson(withoutUnset(normalize(live)) ?? null);
}

/** Inputs that describe an existing service from scratch (import, Service.get): every declared read-back of its primary version. */
export async function inputsFromLive(client: AnyscaleClient, service: ServiceModel, tags: Record<string, string>): Promise<ServiceInputs> {
  const live = await liveView(client, service, service.primary_version ?? undefined, new Set(READ_BACK.map((declared) => declared.readBack.from)), tags);
  const inputs: Record<string, unknown> = {};
  for (const declared of READ_BACK) if (declared.readBack.read) setOrDelete(inputs, declared.path, declared.readBack.read(live));
  return inputs as unknown as ServiceInputs;
}

/** Which version refresh describes: a foreign version rolling out, else ours, else the primary. */
function describedVersion(old: ServiceInputs, service: ServiceModel, deployment: DeploymentRecord | undefined): ServiceVersionModel | undefined {
  const ours = [service.canary_version, service.primary_version].find((version) => version && version.id === deployment?.versionId) ?? undefined;
  // A version rolled out by someone else (even still a canary) is what the service is becoming: that is the drift.
  const otherCanary = service.canary_version && service.canary_version.id !== deployment?.versionId ? service.canary_version : undefined;
  // With a schedule declared, a canary held below 100% is most likely this stack's own rollout cut short
  // (a killed `pulumi up`): folding it in would make the next up a no-op instead of resuming it.
  const interruptedSchedule = old.rollout?.steps !== undefined && otherCanary !== undefined && (otherCanary.target_weight ?? otherCanary.weight ?? 0) < 100;
  return (interruptedSchedule ? undefined : otherCanary) ?? ours ?? service.primary_version ?? undefined;
}

/**
 * Sources whose inputs cannot be compared with the live object (a containerfile path, a compute config
 * written inline, applications whose local paths became uploaded URIs): refreshed only when the live
 * object changed since the provider's own deploy.
 */
function changedSinceDeploy(current: ServiceVersionModel, deployment: DeploymentRecord): Set<ReadBackSource> {
  const changed = new Set<ReadBackSource>();
  if (deployment.buildId && current.build_id && current.build_id !== deployment.buildId) changed.add("build");
  if (deployment.computeConfigId && current.compute_config_id && current.compute_config_id !== deployment.computeConfigId) changed.add("computeConfig");
  if (deployment.rayServeConfigDigest !== undefined && digestRayServeConfig(current.ray_serve_config) !== deployment.rayServeConfigDigest) changed.add("serveConfig");
  return changed;
}

/** Sources an input can be compared with directly. */
const COMPARED: ReadonlySet<ReadBackSource> = new Set(["service", "version", "connections"]);

/** The old inputs with every out-of-band change applied. */
export async function refreshedInputs(client: AnyscaleClient, old: ServiceInputs, service: ServiceModel, tags: Record<string, string>, deployment: DeploymentRecord | undefined): Promise<ServiceInputs> {
  const next: Record<string, unknown> = { ...old };
  if (Object.keys(tags).length > 0 || old.tags !== undefined) next.tags = tags;
  if (Object.keys(tags).length === 0 && (old.tags === undefined || Object.keys(old.tags).length === 0)) delete next.tags;

  const current = describedVersion(old, service, deployment);
  const replaced = current && deployment ? changedSinceDeploy(current, deployment) : new Set<ReadBackSource>();
  const live = await liveView(client, service, current, new Set([...replaced, ...COMPARED]), tags, { versionName: old.versionName });
  for (const declared of READ_BACK) {
    const from = declared.readBack.from;
    if (replaced.has(from)) {
      // A field with no read-back of its own (a containerfile path) goes: the read-back fields now say it.
      if (declared.readBack.read) setOrDelete(next, declared.path, declared.readBack.read(live));
      else if (from !== "serveConfig") delete next[declared.path];
    } else if (COMPARED.has(from) && declared.readBack.read && (from === "service" || current)) {
      const value = declared.readBack.read(live);
      if (!sameValue(declared, (old as Record<string, unknown>)[declared.path], value)) setOrDelete(next, declared.path, value);
    }
  }
  refreshCanaryShare(next as ServiceInputs, old, service, deployment);
  return next as ServiceInputs;
}

/** A held canary moved outside Pulumi shows as a changed rollout.canaryPercent. */
function refreshCanaryShare(next: ServiceInputs, old: ServiceInputs, service: ServiceModel, deployment: DeploymentRecord | undefined): void {
  const declaredPercent = old.rollout?.canaryPercent ?? 100;
  if (declaredPercent >= 100) return;
  const canary = service.canary_version;
  const livePercent = canary && canary.id === deployment?.versionId ? (canary.weight ?? 0) : 100;
  if (livePercent === declaredPercent) return;
  next.rollout = { ...old.rollout, canaryPercent: livePercent };
  if (livePercent === 100) delete next.rollout.canaryPercent;
}
