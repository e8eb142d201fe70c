// The anyscale.ContainerImage dynamic provider. This module's exports object IS the provider (see
// docs/ARCHITECTURE.md): the resource class passes `require("../provider/containerimage/dynamic")`.
//
// The resource's id is the image (cluster environment) id; each build is a version (revision) of it.
// Built from a containerfile with the SDK's flow (`image build`), or registered from an image URI
// (`image register`). Destroy archives the image, as the platform does.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createAnyscaleClient } from "../anyscale/connect";
import { ProviderState } from "../core/provider-state";
import { containsUnknown, throwInitFailure, toPlainJson, validateAllowingUnknowns } from "../core/dynamic-support";
import { reportProgress } from "../core/progress";
import { timeoutMsFor } from "../core/timeouts";
import type { AnyscaleClient } from "../anyscale/client";
import { imageAlias } from "../anyscale/image-build-rules";
import { archiveImage, buildFromContainerfile, getImage, getImageBuild, IMAGE_BUILD_TIMEOUT_MS, ImageBuildFailedError, registerImageUri } from "../anyscale/images";
import { planContainerImageChange } from "./planner";
import type { ContainerImageComputed } from "./output-schema";
import { refuseForeignImage } from "./name-guard";
import { inputRuleFailures } from "../workload/input-rules";
import { containerImageInputsSchema, type ContainerImageInputs } from "./schema";

type Inputs = Record<string, unknown>;

const state = new ProviderState(createAnyscaleClient);

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  state.configure(req.config);
}

function api(): AnyscaleClient {
  return state.get().client;
}

export async function check(_olds: Inputs, news: Inputs): Promise<dynamic.CheckResult> {
  const { __provider, sourceHash: _previous, ...userInputs } = news;
  const ruleFailures = inputRuleFailures(userInputs);
  if (ruleFailures.length > 0) return { failures: ruleFailures };
  const validation = validateAllowingUnknowns(containerImageInputsSchema, userInputs);
  if (!validation.ok && validation.failures.length > 0) return { failures: validation.failures };
  const containerfile = userInputs.containerfile;
  const sourceHash =
    typeof containerfile === "string" && !containsUnknown(containerfile) ? createHash("sha256").update(fs.readFileSync(containerfile)).digest("hex").slice(0, 16) : undefined;
  return { inputs: toPlainJson({ ...userInputs, sourceHash, __provider }) };
}

export async function diff(_id: string, olds: Inputs, news: Inputs): Promise<dynamic.DiffResult> {
  const plan = planContainerImageChange(olds, news);
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: false };
}

/** One version's outputs: the declared shape (output-schema.ts). */
type Version = ContainerImageComputed;

/** Builds or registers the image's next version; a failed build throws with its log. */
async function newVersion(inputs: ContainerImageInputs, timeoutMs: number): Promise<Version> {
  const client = api();
  if (inputs.containerfile !== undefined) {
    const built = await buildFromContainerfile(client, {
      imageName: inputs.name,
      containerfile: fs.readFileSync(inputs.containerfile, "utf8"),
      containerfilePath: inputs.containerfile,
      rayVersion: inputs.rayVersion,
      anonymous: false,
      timeoutMs,
    });
    return { imageId: built.imageId, buildId: built.buildId, version: built.revision, buildState: built.status, imageUri: built.imageUri };
  }
  reportProgress(`registering image ${inputs.registryImageUri} as ${inputs.name}`);
  const build = await registerImageUri(client, { imageUri: inputs.registryImageUri!, registryLoginSecret: inputs.registryLoginSecret, rayVersion: inputs.rayVersion, name: inputs.name });
  return { imageId: build.cluster_environment_id, buildId: build.id, version: build.revision, buildState: build.status, imageUri: imageAlias(inputs.name, build.revision) };
}

async function versionOrInitFailure(inputs: Inputs, id: string | undefined, timeoutMs: number): Promise<Version> {
  try {
    return await newVersion(inputs as unknown as ContainerImageInputs, timeoutMs);
  } catch (error) {
    // The image exists (its failed build is a version of it): record it so nothing is orphaned.
    if (error instanceof ImageBuildFailedError) {
      const build = await getImageBuild(api(), error.buildId).catch(() => undefined);
      const imageId = id ?? build?.cluster_environment_id;
      if (imageId) throwInitFailure(imageId, { ...inputs, imageId, buildId: error.buildId, buildState: "failed" }, inputs, error.message);
    }
    throw error;
  }
}

export async function create(inputs: Inputs): Promise<dynamic.CreateResult> {
  await refuseForeignImage(api(), String(inputs.name), inputs.adoptExisting === true);
  const version = await versionOrInitFailure(inputs, undefined, timeoutMsFor(inputs.timeouts as never, "create", IMAGE_BUILD_TIMEOUT_MS));
  return { id: version.imageId, outs: { ...inputs, ...version } };
}

export async function update(id: string, olds: Inputs, news: Inputs): Promise<dynamic.UpdateResult> {
  const plan = planContainerImageChange(olds, news);
  if (plan.newVersion.length === 0) {
    return { outs: { ...news, imageId: olds.imageId, buildId: olds.buildId, version: olds.version, buildState: olds.buildState, imageUri: olds.imageUri } };
  }
  const version = await versionOrInitFailure(news, id, timeoutMsFor(news.timeouts as never, "update", IMAGE_BUILD_TIMEOUT_MS));
  return { outs: { ...news, ...version } };
}

/** Refresh: gone when the image is archived or missing; otherwise the recorded build's current state. */
export async function read(id: string, props: Inputs): Promise<dynamic.ReadResult> {
  const client = api();
  const image = await getImage(client, id);
  if (!image || image.archived_at) return {};
  const buildId = typeof props.buildId === "string" ? props.buildId : image.latest_build?.id;
  if (!buildId) return { id, props: { ...props, imageId: id, name: image.name } };
  const build = await getImageBuild(client, buildId);
  return {
    id,
    props: { ...props, imageId: id, name: image.name, buildId: build.id, version: build.revision, buildState: build.status, imageUri: imageAlias(image.name, build.revision) },
  };
}

export async function delete_(id: string): Promise<void> {
  await archiveImage(api(), id);
}
export { delete_ as delete };
