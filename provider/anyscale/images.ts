// Images on the platform, following the official SDK's calls: a named image is a cluster environment
// whose builds are numbered revisions. A build comes from a containerfile (find or create the
// environment, reuse a succeeded build of the same containerfile, else start one and poll it) or is
// registered from an image URI. Shared by Service, Job and ContainerImage.
import { z } from "zod";
import { AnyscaleError, ConflictError, NotFoundError, WaitError } from "../core/errors";
import { reportProgress } from "../core/progress";
import { redact } from "../core/redact";
import { waitFor, type PollSchedule } from "../core/waiter";
import type { AnyscaleClient } from "./client";
import { buildWaitRules, imageAlias, type ObservedBuild } from "./image-build-rules";

const optionalString = z.string().nullish();

export const clusterEnvSchema = z.looseObject({ id: z.string(), name: z.string(), anonymous: z.boolean().nullish(), archived_at: optionalString });
export const imageBuildSchema = z.looseObject({
  id: z.string(),
  cluster_environment_id: z.string(),
  revision: z.number().int(),
  status: z.string(),
  containerfile: optionalString,
  docker_image_name: optionalString,
  ray_version: optionalString,
  error_message: optionalString,
  is_byod: z.boolean().nullish(),
});
export type ImageBuildModel = z.infer<typeof imageBuildSchema>;
const buildOperationSchema = z.looseObject({ cluster_environment_build_id: z.string() });
const buildLogSchema = z.looseObject({ logs: optionalString });
export const applicationTemplateSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  archived_at: optionalString,
  latest_build: z.looseObject({ id: z.string(), revision: z.number().int(), status: z.string(), docker_image_name: optionalString }).nullish(),
});

/** A build that failed: the message carries the builder's log (redacted). */
export class ImageBuildFailedError extends AnyscaleError {
  constructor(
    message: string,
    readonly buildId: string,
    readonly log: string,
  ) {
    super(message);
  }
}

export interface ContainerfileBuildRequest {
  /** The image (cluster environment) name; Service and Job use `image-for-service-<name>` / `image-for-job-<name>` as the SDK does. */
  imageName: string;
  containerfile: string;
  containerfilePath?: string;
  rayVersion?: string;
  anonymous: boolean;
  timeoutMs: number;
  schedule?: PollSchedule;
}

export interface BuiltImage {
  buildId: string;
  imageId: string;
  imageName: string;
  revision: number;
  status: string;
  /** `anyscale/image/<name>:<revision>`. */
  imageUri: string;
}

/** The SDK's _find_or_create_cluster_env: search by exact name; create; on 409 (a racing creator) search again. */
export async function findOrCreateImage(client: AnyscaleClient, name: string, anonymous: boolean): Promise<z.output<typeof clusterEnvSchema>> {
  const find = async () => {
    const page = await client.page(clusterEnvSchema, "POST", "/ext/v0/cluster_environments/search", {
      body: { name: { equals: name }, paging: { count: 1 }, include_anonymous: true },
      idempotent: true,
    });
    return page.items.find((env) => env.name === name);
  };
  const existing = await find();
  if (existing) return existing;
  try {
    return await client.result(clusterEnvSchema, "POST", "/ext/v0/cluster_environments", { body: { name, anonymous } });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const raced = await find();
    if (!raced) throw error;
    return raced;
  }
}

export function listImageBuilds(client: AnyscaleClient, imageId: string): Promise<ImageBuildModel[]> {
  return client.listAll(imageBuildSchema, "GET", "/ext/v0/cluster_environment_builds", { query: { cluster_environment_id: imageId, desc: true } });
}

export function getImageBuild(client: AnyscaleClient, buildId: string): Promise<ImageBuildModel> {
  return client.result(imageBuildSchema, "GET", `/ext/v0/cluster_environment_builds/${encodeURIComponent(buildId)}`);
}

export async function getBuildLog(client: AnyscaleClient, buildId: string): Promise<string> {
  try {
    return (await client.result(buildLogSchema, "GET", `/api/v2/builds/${encodeURIComponent(buildId)}/logs`)).logs ?? "";
  } catch (error) {
    if (error instanceof NotFoundError) return "";
    throw error;
  }
}

/**
 * A build serves the request when it has the same containerfile and, when the request names a Ray
 * version, that Ray version. (The SDK matches the containerfile alone, so a changed rayVersion would
 * run on the old build.) Without a version the platform derives one from the base image, as before.
 */
export function buildMatchesRequest(build: ImageBuildModel, request: Pick<ContainerfileBuildRequest, "containerfile" | "rayVersion">): boolean {
  if (build.containerfile !== request.containerfile) return false;
  return request.rayVersion === undefined || build.ray_version === request.rayVersion;
}

/**
 * Builds an image from a containerfile the way the SDK does, reusing a succeeded build with the same
 * containerfile (and Ray version, when given); waits for the build; a failed build throws
 * ImageBuildFailedError with its log.
 */
export async function buildFromContainerfile(client: AnyscaleClient, request: ContainerfileBuildRequest): Promise<BuiltImage> {
  const env = await findOrCreateImage(client, request.imageName, request.anonymous);
  const done = (build: ImageBuildModel): BuiltImage => ({
    buildId: build.id,
    imageId: env.id,
    imageName: env.name,
    revision: build.revision,
    status: build.status,
    imageUri: imageAlias(env.name, build.revision),
  });
  // Newest first: a succeeded build of this content is reused (as the SDK does); one still running
  // (started by an earlier attempt whose process died) is waited for instead of starting another.
  const same = (await listImageBuilds(client, env.id)).filter((b) => buildMatchesRequest(b, request));
  const reusable = same.find((b) => b.status === "succeeded");
  if (reusable) return done(reusable);
  const running = same.find((b) => b.status === "pending" || b.status === "in_progress");
  const buildId =
    running?.id ??
    (
      await client.result(buildOperationSchema, "POST", "/ext/v0/cluster_environment_builds", {
        body: {
          cluster_environment_id: env.id,
          containerfile: request.containerfile,
          containerfile_path: request.containerfilePath,
          ray_version: request.rayVersion,
        },
      })
    ).cluster_environment_build_id;
  reportProgress(`building image ${env.name} (build ${buildId})`);
  try {
    const waited = await waitFor<ObservedBuild, undefined, ObservedBuild>({
      description: `image build ${buildId} of ${env.name}`,
      observe: () => getImageBuild(client, buildId),
      rules: buildWaitRules,
      timeoutMs: request.timeoutMs,
      schedule: request.schedule ?? { initialDelayMs: 1000, maxDelayMs: 5000, factor: 1.5, jitter: 0.2 },
    });
    return done(await getImageBuild(client, waited.result.id));
  } catch (error) {
    if (error instanceof WaitError && error.outcome === "failure") {
      const log = redact(await getBuildLog(client, buildId));
      throw new ImageBuildFailedError(`${error.message}\nBuild log of ${buildId}:\n${log.trimEnd()}`, buildId, log);
    }
    throw error;
  }
}

export interface ImageRegistration {
  imageUri: string;
  registryLoginSecret?: string;
  rayVersion?: string;
  /** A name makes it a named image (the SDK's `image register`); without one the platform files it anonymously. */
  name?: string;
}

/** POST /api/v2/builds/get_or_create_build_from_image_uri: the build for an image URI (BYOD). */
export async function registerImageUri(client: AnyscaleClient, registration: ImageRegistration): Promise<ImageBuildModel> {
  return client.result(imageBuildSchema, "POST", "/api/v2/builds/get_or_create_build_from_image_uri", {
    body: {
      image_uri: registration.imageUri,
      registry_login_secret: registration.registryLoginSecret,
      ray_version: registration.rayVersion,
      cluster_env_name: registration.name,
    },
    idempotent: true,
  });
}

export async function getImage(client: AnyscaleClient, imageId: string): Promise<z.output<typeof applicationTemplateSchema> | undefined> {
  try {
    return await client.result(applicationTemplateSchema, "GET", `/api/v2/application_templates/${encodeURIComponent(imageId)}`);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** POST /api/v2/application_templates/{id}/archive; an image already gone counts as archived. */
export async function archiveImage(client: AnyscaleClient, imageId: string): Promise<void> {
  try {
    await client.send("POST", `/api/v2/application_templates/${encodeURIComponent(imageId)}/archive`, { idempotent: true });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** The SDK's image build wait limit (3600 s). */
export const IMAGE_BUILD_TIMEOUT_MS = 60 * 60 * 1000;

export interface WorkloadImage {
  /** `image-for-service-<name>` or `image-for-job-<name>`, the SDK's names for a workload's own image. */
  imageName: string;
  imageUri?: string;
  /** Path of a containerfile (read here, sent as its content). */
  containerfile?: string;
  registryLoginSecret?: string;
  rayVersion?: string;
}

/**
 * The build a Service or Job runs on, as the SDK picks it: built from the containerfile, registered
 * from the image URI, or (neither given) the default build.
 */
export async function resolveWorkloadBuildId(
  client: AnyscaleClient,
  image: WorkloadImage,
  readFile: (path: string) => string,
  defaultBuild: () => Promise<string>,
): Promise<string> {
  if (image.containerfile !== undefined) {
    const built = await buildFromContainerfile(client, {
      imageName: image.imageName,
      containerfile: readFile(image.containerfile),
      containerfilePath: image.containerfile,
      rayVersion: image.rayVersion,
      anonymous: true,
      timeoutMs: IMAGE_BUILD_TIMEOUT_MS,
    });
    return built.buildId;
  }
  if (image.imageUri !== undefined) return buildForImageUri(client, image.imageUri, image);
  return defaultBuild();
}

/**
 * The build registered for an image URI, asked once per process per (image, Ray version, registry
 * secret): twenty Services on one image made twenty identical get-or-create calls. The answer is
 * shared in flight and reused for the client's lookup lifetime (LOOKUP_TTL_MS); a failure is not kept.
 */
function buildForImageUri(client: AnyscaleClient, imageUri: string, image: Pick<WorkloadImage, "rayVersion" | "registryLoginSecret">): Promise<string> {
  const key = `build-for-image-uri ${JSON.stringify([imageUri, image.rayVersion ?? null, image.registryLoginSecret ?? null])}`;
  return client.lookup(key, async () => (await registerImageUri(client, { imageUri, rayVersion: image.rayVersion, registryLoginSecret: image.registryLoginSecret })).id);
}
