// read (refresh, and Service.get): the live service back into outputs and inputs, so out-of-band
// changes show as drift; a service that is gone leaves the stack.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { toPlainJson } from "../core/dynamic-support";
import { registerSecret } from "../core/redact";
import { RESOURCE_TYPE, withoutProvider, type ServiceContext } from "./context";
import { inputsFromLive, refreshedInputs } from "./drift";
import { SERVICE_MARK_KIND, userTags } from "./ownership";
import { ownerVerdict } from "../core/owner-mark";
import { buildOutputs, digestRayServeConfig, inputsFromProps, type DeploymentRecord } from "./outputs";
import type { ServiceModel } from "../anyscale/service-models";

export async function readService(context: ServiceContext, id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult> {
  const anyscale = context.client;
  const service = await anyscale.services.get(id);
  if (!service) return { id: "", props: {} };
  registerSecret(service.auth_token);
  // The provider's own tags (the owner key) are not the user's: they never show as drift.
  const allTags = await anyscale.tags.list(RESOURCE_TYPE, id);
  const tags = userTags(allTags);
  const stored = inputsFromProps(withoutProvider(props));
  const deployment = props.deployment as DeploymentRecord | undefined;
  const importing = stored.applications === undefined;
  const inputs = importing ? await inputsFromLive(anyscale, service, tags) : await refreshedInputs(anyscale, stored, service, tags, deployment);
  // `pulumi import` of a service another stack (or an earlier life of this one) marked is an explicit
  // takeover: the imported inputs say so, as a program would (docs/ownership.md), so update and
  // destroy act on it and the first update writes this stack's mark beside the old one.
  if (importing && ownerVerdict(SERVICE_MARK_KIND, allTags, undefined).kind === "other") inputs.adoptExisting = true;
  const known: DeploymentRecord = deployment ?? { status: "succeeded", versionId: service.primary_version?.id, buildId: service.primary_version?.build_id ?? undefined, computeConfigId: service.primary_version?.compute_config_id ?? undefined, rayServeConfigDigest: digestRayServeConfig(service.primary_version?.ray_serve_config) };
  const record = rolloutUnderWay(service, known) ? interrupted(known, service) : known;
  const outputs = buildOutputs(inputs, service, record);
  // Where a scheduled rollout stands is the provider's own record; the platform's side of it (weights, versions) is refreshed above.
  if (props.rolloutStatus !== undefined) outputs.rolloutStatus = props.rolloutStatus;
  return { id, props: outputs, inputs: toPlainJson(inputs) as Record<string, unknown> };
}

/**
 * A canary no finished `up` recorded, still heading to 100% (typically the rollout of a `pulumi up`
 * killed mid-way): its config is folded into the inputs as drift above, so without this the next up
 * would see no change and return while the platform is still rolling out.
 */
export function rolloutUnderWay(service: ServiceModel, deployment: DeploymentRecord): boolean {
  const canary = service.canary_version;
  if (!canary || canary.id === deployment.versionId) return false;
  return (canary.target_weight ?? canary.weight ?? 0) >= 100 && (canary.weight ?? 0) < 100;
}

function interrupted(deployment: DeploymentRecord, service: ServiceModel): DeploymentRecord {
  const canary = service.canary_version!;
  return {
    ...deployment,
    status: "interrupted",
    message: `refresh found version '${canary.version}' rolling out (${canary.weight ?? 0}% of traffic, heading to 100%); the next \`pulumi up\` waits for it to finish`,
  };
}
