// ComputeConfig and ContainerImage resources, containerfile builds for Service and Job, inline and
// multi-resource compute configs, and the catalog endpoints, against the real local control plane.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, withLocalPlane } from "../helpers/local-plane";
import { checked, configureFor, type ProviderModule } from "../helpers/provider-driver";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const computeConfigProvider: ProviderModule = require("../../provider/computeconfig/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const imageProvider: ProviderModule = require("../../provider/containerimage/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const serviceProvider: ProviderModule = require("../../provider/service/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: ProviderModule = require("../../provider/job/dynamic");

jest.setTimeout(90_000);

const plane = withLocalPlane({ buildMs: 200 });
type Props = Record<string, any>;

beforeAll(async () => {
  for (const provider of [computeConfigProvider, imageProvider, serviceProvider, jobProvider]) await configureFor(provider, plane(), { pollIntervalMs: 20 });
});

const app = [{ name: "default", import_path: "main:app" }];

function containerfile(content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "containerfile-")), "Containerfile");
  fs.writeFileSync(file, content);
  return file;
}

async function create(provider: ProviderModule, news: Props): Promise<{ id: string; inputs: Props; outs: Props }> {
  const inputs = await checked(provider, news);
  const created = await provider.create(inputs);
  return { id: created.id, inputs, outs: created.outs! };
}

async function update(provider: ProviderModule, id: string, old: { inputs: Props; outs: Props }, news: Props): Promise<{ inputs: Props; outs: Props; diff: any }> {
  const inputs = await checked(provider, news, old.inputs);
  const diff = await provider.diff(id, old.outs, inputs);
  const updated = await provider.update(id, old.outs, inputs);
  return { inputs, outs: updated.outs!, diff };
}

async function versions(serviceId: string): Promise<any[]> {
  return (await api(plane()).get(`/api/v2/services-v2/${serviceId}/versions?count=50`)).body.results;
}

async function failuresOf(provider: ProviderModule, news: Props): Promise<string[]> {
  const before = (await api(plane()).get<any[]>("/_local/requests")).body.length;
  const result = await provider.check({}, news);
  const after = (await api(plane()).get<any[]>("/_local/requests")).body.length;
  expect(after).toBe(before); // check made no request (the admin log does not log its own reads)
  return (result.failures ?? []).map((failure) => failure.property).sort();
}

describe("ComputeConfig", () => {
  it("registers a version, a change registers the next one, a Service on its ref rolls out, destroy archives", async () => {
    const v1 = await create(computeConfigProvider, { name: "cc-roll", headNode: { instanceType: "m5.large" }, workerNodes: [{ instanceType: "m5.xlarge", maxNodes: 2 }] });
    expect(v1.outs).toMatchObject({ version: 1, ref: "cc-roll:1", computeConfigId: v1.id, cloudId: expect.stringMatching(/^cld_/) });
    const service = await create(serviceProvider, { name: "svc-on-cc", applications: app, computeConfig: v1.outs.ref });
    expect((await versions(service.id)).map((v) => v.compute_config_id)).toEqual([v1.id]);

    // A config change is a replacement: the next version, registered before the old one is archived.
    const nextInputs = await checked(computeConfigProvider, { ...v1.inputs, workerNodes: [{ instanceType: "m5.xlarge", maxNodes: 4 }] }, v1.inputs);
    expect(await computeConfigProvider.diff(v1.id, v1.outs, nextInputs)).toMatchObject({ changes: true, replaces: ["workerNodes"], deleteBeforeReplace: false });
    const v2 = await computeConfigProvider.create(nextInputs);
    expect(v2.outs).toMatchObject({ version: 2, ref: "cc-roll:2" });

    const rolled = await update(serviceProvider, service.id, service, { ...service.inputs, computeConfig: v2.outs!.ref });
    expect(rolled.diff).toMatchObject({ changes: true });
    const live = (await api(plane()).get(`/api/v2/services-v2/${service.id}`)).body.result;
    expect(live.primary_version.compute_config_id).toBe(v2.id);
    expect(live.primary_version.id).not.toBe((await versions(service.id)).find((v) => v.compute_config_id === v1.id)?.id);

    await computeConfigProvider.delete(v1.id, v1.outs);
    const archived = (await api(plane()).get(`/api/v2/compute_templates/${v1.id}`)).body.result;
    expect(archived.archived_at).toEqual(expect.any(String));
    expect(await computeConfigProvider.read(v1.id, v1.outs)).toEqual({});
    expect(await computeConfigProvider.read(v2.id, v2.outs!)).toMatchObject({ id: v2.id, props: { version: 2 } });
    await serviceProvider.delete(service.id, rolled.outs);
  });

  it("a registration whose answer is lost is looked up, then sent again only when no new version exists", async () => {
    const a = api(plane());
    // The first registration fails with a 500 before the plane acts: the look finds nothing new, so it is
    // resent once. The prefix also covers the search for the latest version sent just before, hence the 2nd.
    await a.del("/_local/requests");
    await a.post("/_local/faults", { kinds: ["500"], pathPrefix: "/api/v2/compute_templates/", method: "POST", everyNth: 2, limit: 1 });
    try {
      const created = await create(computeConfigProvider, { name: "cc-lost-answer", headNode: { instanceType: "m5.large" } });
      expect(created.outs).toMatchObject({ version: 1, ref: "cc-lost-answer:1" });
    } finally {
      await a.del("/_local/faults");
    }
    const log = (await a.get("/_local/requests")).body as { method: string; path: string; status: number }[];
    expect(log.filter((r) => r.method === "POST" && r.path === "/api/v2/compute_templates/").map((r) => r.status)).toEqual([500, 200]);
    const all = await a.post("/api/v2/compute_templates/search", { name: { equals: "cc-lost-answer" }, version: -2, archive_status: "ALL" });
    expect(all.body.results).toHaveLength(1);
  });

  it("registers a MultiResourceComputeConfig with every deployment intact", async () => {
    const multi = await create(computeConfigProvider, {
      name: "cc-multi",
      flags: { shared: true },
      configs: [
        { cloudResource: "vm-aws-us-west-2", headNode: { instanceType: "m5.large" }, workerNodes: [{ instanceType: "g5.xlarge", minNodes: 0, maxNodes: 2, marketType: "SPOT" }] },
        { cloudResource: "vm-aws-us-east-1", workerNodes: [{ instanceType: "m5.xlarge" }] },
      ],
    });
    const template = (await api(plane()).get(`/api/v2/compute_templates/${multi.id}`)).body.result;
    expect(template.config.deployment_configs).toHaveLength(2);
    expect(template.config.deployment_configs[0]).toMatchObject({ cloud_deployment: "vm-aws-us-west-2", flags: { shared: true }, worker_node_types: [{ instance_type: "g5.xlarge", use_spot: true, max_workers: 2 }] });
    expect(template.config.deployment_configs[1]).toMatchObject({ cloud_deployment: "vm-aws-us-east-1", head_node_type: { instance_type: "m5.2xlarge" } });
  });

  it("rejects bad input at check, naming the field, with no request", async () => {
    expect(await failuresOf(computeConfigProvider, { name: "bad", headNode: { instanceType: "m5.large" }, gpus: 1 })).toEqual(["(inputs)"]);
    expect(await failuresOf(computeConfigProvider, { name: "bad", workerNodes: [{ maxNodes: 2 }] })).toEqual(["workerNodes[0].instanceType"]);
    expect(await failuresOf(computeConfigProvider, { name: "bad", workerNodes: [{ instanceType: "m5.large", minNodes: -1 }] })).toEqual(["workerNodes[0].minNodes"]);
    expect(await failuresOf(computeConfigProvider, { name: "bad", workerNodes: [{ instanceType: "m5.large", minNodes: 3, maxNodes: 1 }] })).toEqual(["workerNodes[0].maxNodes"]);
    expect(await failuresOf(computeConfigProvider, { name: "bad:2" })).toEqual(["name"]);
    expect(await failuresOf(imageProvider, { name: "img", containerfile: "/no/such/Containerfile" })).toEqual(["containerfile"]);
    expect(await failuresOf(imageProvider, { name: "img", registryImageUri: "not a uri!" })).toEqual(["registryImageUri"]);
    expect(await failuresOf(serviceProvider, { name: "svc", applications: app, computeConfig: { head_node: { instance_type: "m5.large" }, worker: [] } })).toEqual(["computeConfig"]);
  });

  it("ComputeConfig.get reads a version by id; getComputeConfig resolves name and name:version", async () => {
    const made = await create(computeConfigProvider, { name: "cc-lookup", headNode: { instanceType: "m5.large" } });
    const read = await computeConfigProvider.read(made.id, { name: undefined, computeConfigId: undefined, version: undefined, ref: undefined, cloudId: undefined });
    expect(read).toMatchObject({ id: made.id, props: { name: "cc-lookup", version: 1, ref: "cc-lookup:1" } });
    const { AnyscaleClient } = await import("../../provider/anyscale/client");
    const { getComputeConfig } = await import("../../provider/functions/compute-configs");
    const context = { client: new AnyscaleClient({ host: plane().url, token: plane().token }) };
    expect(await getComputeConfig(context, { name: "cc-lookup" })).toMatchObject({ id: made.id, ref: "cc-lookup:1", anonymous: false, archived: false, config: { head_node_type: { instance_type: "m5.large" } } });
    expect(await getComputeConfig(context, { name: "cc-lookup:1" })).toMatchObject({ id: made.id });
    await expect(getComputeConfig(context, { name: "cc-lookup:9" })).rejects.toThrow(/not found/);
  });

  it("search follows the model's version semantics: -1 latest, -2 all, N exactly N", async () => {
    await create(computeConfigProvider, { name: "cc-versions", headNode: { instanceType: "m5.large" } });
    // A second resource on the same name registers only with adoptExisting (provider/computeconfig/name-guard.ts).
    await create(computeConfigProvider, { name: "cc-versions", headNode: { instanceType: "m5.xlarge" }, adoptExisting: true });
    const search = async (version: number) =>
      (await api(plane()).post("/api/v2/compute_templates/search", { orgwide: true, name: { equals: "cc-versions" }, version })).body.results.map((t: any) => t.version);
    expect(await search(-1)).toEqual([2]);
    expect(await search(-2)).toEqual([2, 1]);
    expect(await search(1)).toEqual([1]);
  });
});

describe("inline compute configs on a Service", () => {
  it("moves a held canary from 25 to 75 without a new version when the inline config is unchanged", async () => {
    const inline = { head_node: { instance_type: "m5.large" }, worker_nodes: [{ instance_type: "m5.xlarge", min_nodes: 0, max_nodes: 3 }] };
    const created = await create(serviceProvider, { name: "svc-inline-canary", applications: app, computeConfig: inline });
    const held = await update(serviceProvider, created.id, created, { ...created.inputs, applications: [{ name: "default", import_path: "main:v2" }], rollout: { canaryPercent: 25 } });
    expect(held.outs.canaryVersion).toMatchObject({ weight: 25 });
    const count = (await versions(created.id)).length;
    const moved = await update(serviceProvider, created.id, held, { ...held.inputs, rollout: { canaryPercent: 75 } });
    expect(moved.outs.canaryVersion).toMatchObject({ weight: 75, id: held.outs.canaryVersion.id });
    expect((await versions(created.id)).length).toBe(count);
    await serviceProvider.delete(created.id, moved.outs);
  });
});

describe("ContainerImage and containerfile builds", () => {
  it("builds an image from a containerfile that a Job runs on; a content change builds the next version", async () => {
    const file = containerfile("FROM anyscale/ray:2.49.0-py311\nRUN pip install emoji\n");
    const image = await create(imageProvider, { name: "img-for-job", containerfile: file });
    expect(image.outs).toMatchObject({ imageUri: "anyscale/image/img-for-job:1", version: 1, buildState: "succeeded", buildId: expect.stringMatching(/^bld_/) });

    const job = await create(jobProvider, { name: "job-on-image", entrypoint: "echo ran-on-image", imageUri: image.outs.imageUri, maxRetries: 0 });
    expect(job.outs).toMatchObject({ state: "SUCCEEDED" });
    const live = (await api(plane()).get(`/api/v2/decorated_ha_jobs/${job.id}`)).body.result;
    expect(live.config.build_id).toBe(image.outs.buildId);

    fs.writeFileSync(file, "FROM anyscale/ray:2.49.0-py311\nRUN pip install emoji==2.0\n");
    const next = await update(imageProvider, image.id, image, { name: "img-for-job", containerfile: file });
    expect(next.diff).toMatchObject({ changes: true, replaces: [] });
    expect(next.outs).toMatchObject({ imageUri: "anyscale/image/img-for-job:2", version: 2, buildState: "succeeded" });

    const read = await imageProvider.read(image.id, next.outs);
    expect(read.props).toMatchObject({ version: 2, buildState: "succeeded" });
    await imageProvider.delete(image.id, next.outs);
    expect(await imageProvider.read(image.id, next.outs)).toEqual({});
  });

  it("waits for a build of the same content left running by an earlier attempt instead of starting another", async () => {
    const content = "FROM anyscale/ray:2.49.0-py311\nRUN echo resumed\n";
    const env = (await api(plane()).post("/ext/v0/cluster_environments", { name: "img-resumed", anonymous: false })).body.result;
    const started = (await api(plane()).post("/ext/v0/cluster_environment_builds", { cluster_environment_id: env.id, containerfile: content })).body.result;
    // The earlier attempt's image has no record in this stack: taking it needs adoptExisting (containerimage/name-guard.ts).
    const image = await create(imageProvider, { name: "img-resumed", containerfile: containerfile(content), adoptExisting: true });
    expect(image.outs).toMatchObject({ buildId: started.cluster_environment_build_id, version: 1, buildState: "succeeded" });
  });

  it("registers an external image URI with its registry secret and Ray version", async () => {
    const image = await create(imageProvider, { name: "img-registered", registryImageUri: "docker.io/acme/app:1.2", registryLoginSecret: "arn:aws:secretsmanager:us-west-2:0:secret:reg", rayVersion: "2.49.0" });
    expect(image.outs).toMatchObject({ imageUri: "anyscale/image/img-registered:1", buildState: "succeeded" });
    // Unchanged inputs: no diff (the output imageUri is the alias, never compared with the registered URI).
    expect(await imageProvider.diff(image.id, image.outs, await checked(imageProvider, image.inputs, image.inputs))).toMatchObject({ changes: false });
    const build = (await api(plane()).get(`/api/v2/builds/${image.outs.buildId}`)).body.result;
    expect(build).toMatchObject({ docker_image_name: "docker.io/acme/app:1.2", registry_login_secret: "arn:aws:secretsmanager:us-west-2:0:secret:reg", ray_version: "2.49.0" });
  });

  it("a failed build puts its log, redacted, in the error and records the image", async () => {
    const secret = "sss_build_secret_0123456789";
    await api(plane()).post("/_local/images/img-broken/next-build-fails", { reason: `pip install failed (token ${secret})` });
    const inputs = await checked(imageProvider, { name: "img-broken", containerfile: containerfile("FROM anyscale/ray:2.49.0-py311\nRUN pip install nothing-here\n") });
    const error = (await imageProvider.create(inputs).then(() => undefined, (e) => e)) as Error & { id?: string };
    expect(error).toBeDefined();
    expect(error.message).toContain("Step 2/2 : RUN pip install nothing-here");
    expect(error.message).toContain("pip install failed");
    expect(error.message).not.toContain(secret);
    expect(error.id).toMatch(/^apt_/);
  });

  it("a Service or Job whose containerfile build fails reports the build log and sends no apply or submit", async () => {
    await api(plane()).post("/_local/images/image-for-service-svc-broken/next-build-fails", { reason: "COPY failed: no such file" });
    const service = await checked(serviceProvider, { name: "svc-broken", applications: app, containerfile: containerfile("FROM anyscale/ray:2.49.0-py311\nCOPY missing /app\n") });
    const serviceError = (await serviceProvider.create(service).then(() => undefined, (e) => e)) as Error;
    expect(serviceError.message).toContain("Step 2/2 : COPY missing /app");
    expect(serviceError.message).toContain("COPY failed: no such file");
    const services = (await api(plane()).get("/api/v2/services-v2/?name=svc-broken")).body.results;
    expect(services).toEqual([]);

    await api(plane()).post("/_local/images/image-for-job-job-broken/next-build-fails", { reason: "RUN exited 2" });
    const job = await checked(jobProvider, { name: "job-broken", entrypoint: "echo never", containerfile: containerfile("FROM anyscale/ray:2.49.0-py311\nRUN exit 2\n") });
    const jobError = (await jobProvider.create(job).then(() => undefined, (e) => e)) as Error;
    expect(jobError.message).toContain("RUN exited 2");
    expect((await api(plane()).get("/api/v2/decorated_ha_jobs?name=job-broken")).body.results).toEqual([]);
  });

  it("a Service built from a containerfile rolls out when the content changes", async () => {
    const file = containerfile("FROM anyscale/ray:2.49.0-py311\nRUN echo one\n");
    const created = await create(serviceProvider, { name: "svc-containerfile", applications: app, containerfile: file });
    const first = (await api(plane()).get(`/api/v2/services-v2/${created.id}`)).body.result.primary_version;
    fs.writeFileSync(file, "FROM anyscale/ray:2.49.0-py311\nRUN echo two\n");
    const rolled = await update(serviceProvider, created.id, created, { ...created.inputs, containerfile: file });
    expect(rolled.diff).toMatchObject({ changes: true });
    const second = (await api(plane()).get(`/api/v2/services-v2/${created.id}`)).body.result.primary_version;
    expect(second.build_id).not.toBe(first.build_id);
    const envs = (await api(plane()).post("/ext/v0/cluster_environments/search", { name: { equals: "image-for-service-svc-containerfile" }, include_anonymous: true })).body.results;
    expect(envs).toHaveLength(1);
    await serviceProvider.delete(created.id, rolled.outs);
  });

  it("a Job with a containerfile runs, and a content change re-runs it", async () => {
    const file = containerfile("FROM anyscale/ray:2.49.0-py311\nRUN echo one\n");
    const job = await create(jobProvider, { name: "job-containerfile", entrypoint: "echo built", containerfile: file, maxRetries: 0 });
    expect(job.outs).toMatchObject({ state: "SUCCEEDED" });
    fs.writeFileSync(file, "FROM anyscale/ray:2.49.0-py311\nRUN echo two\n");
    const inputs = await checked(jobProvider, job.inputs, job.inputs);
    expect(await jobProvider.diff(job.id, job.outs, inputs)).toMatchObject({ changes: true, replaces: expect.arrayContaining(["sourceHash"]) });
  });
});

describe("plane: builds", () => {
  it("refuses to deploy a service on a build that did not succeed", async () => {
    const client = api(plane());
    await client.post("/_local/images/plane-failing/next-build-fails", {});
    const env = (await client.post("/ext/v0/cluster_environments", { name: "plane-failing", anonymous: false })).body.result;
    const op = (await client.post("/ext/v0/cluster_environment_builds", { cluster_environment_id: env.id, containerfile: "FROM anyscale/ray:2.49.0-py311\n" })).body.result;
    expect(op).toMatchObject({ completed: false, cluster_environment_build_id: expect.stringMatching(/^bld_/) });
    expect((await client.get(`/ext/v0/cluster_environment_builds/${op.cluster_environment_build_id}`)).body.result.status).toMatch(/pending|in_progress/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const failed = (await client.get(`/ext/v0/cluster_environment_builds/${op.cluster_environment_build_id}`)).body.result;
    expect(failed).toMatchObject({ status: "failed", error_message: "RUN step exited with code 1" });
    const compute = (await client.get("/ext/v0/cluster_computes/default")).body.result;
    const apply = await client.put("/api/v2/services-v2/apply", { name: "svc-on-failed-build", build_id: failed.id, compute_config_id: compute.id, ray_serve_config: { applications: [{ import_path: "main:app" }] } });
    expect(apply.status).toBe(400);
    expect(JSON.stringify(apply.body)).toContain("its status is failed");
    expect((await client.post("/ext/v0/cluster_environment_builds", { cluster_environment_id: env.id, containerfile: "RUN echo no base" })).status).toBe(400);
  });
});

describe("catalog endpoints", () => {
  it("serves cloud resources, application templates, project collaborators and the service checklist", async () => {
    const client = api(plane());
    const cloud = (await client.get("/ext/v0/clouds/default")).body.result;
    const resources = (await client.get(`/api/v2/clouds/${cloud.id}/resources`)).body;
    expect(resources.results[0]).toMatchObject({ provider: "AWS", compute_stack: "VM", cloud_resource_id: expect.any(String) });

    const project = (await client.get(`/api/v2/projects/default_project?parent_cloud_id=${cloud.id}`)).body.result;
    const collaborators = (await client.get(`/api/v2/projects/${project.id}/collaborators/users`)).body;
    expect(collaborators.results[0]).toMatchObject({ permission_level: "owner", value: { email: expect.stringContaining("@") } });

    await create(imageProvider, { name: "img-catalog", registryImageUri: "docker.io/acme/catalog:1" });
    const templates = (await client.get("/api/v2/application_templates?name_contains=img-catalog")).body.results;
    expect(templates).toEqual([expect.objectContaining({ name: "img-catalog", creator: expect.any(Object), latest_build: expect.objectContaining({ revision: 1, status: "succeeded" }) })]);
    const one = (await client.get(`/api/v2/application_templates/${templates[0].id}`)).body.result;
    expect(one).toMatchObject({ id: templates[0].id, name: "img-catalog" });

    const service = await create(serviceProvider, { name: "svc-checklist", applications: app });
    const live = (await client.get(`/api/v2/services-v2/${service.id}`)).body.result;
    expect(live.service_status_checklist.per_version).toEqual([expect.objectContaining({ version_id: live.primary_version.id })]);
    expect(live.service_status_checklist.shared[0]).toMatchObject({ kind: "SERVICE", state: "RUNNING" });
    await serviceProvider.delete(service.id, service.outs);
  });
});
