// The public surface (sdk/functions): configuration from the environment as in a user's program,
// plain and Output forms, against the local control plane.
import * as pulumi from "@pulumi/pulumi";
import * as anyscale from "../../sdk/functions";
import { api, waitUntil, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();
const savedEnv = { ...process.env };
let serviceId: string;
let queryToken: string | undefined;

/** The value of an Output outside a deployment (tests only). A failed apply rejects every internal promise: all are observed. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  const internals = output as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  internals.isKnown.catch(() => undefined);
  internals.isSecret.catch(() => undefined);
  return internals.promise();
}

function isSecret<T>(output: pulumi.Output<T>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

beforeAll(async () => {
  process.env.ANYSCALE_HOST = plane().url;
  process.env.ANYSCALE_CLI_TOKEN = plane().token;
  const caller = api(plane());
  const cloud = (await caller.get("/ext/v0/clouds/default")).body.result;
  const compute = (await caller.get(`/ext/v0/cluster_computes/default?cloud_id=${cloud.id}`)).body.result;
  const build = (await caller.get("/ext/v0/cluster_environment_builds/default?python_version=py311&ray_version=2.59.0")).body.result;
  const applied = await caller.put("/api/v2/services-v2/apply", {
    name: "sdk-svc",
    ray_serve_config: { applications: [{ import_path: "main:app" }] },
    build_id: build.id,
    compute_config_id: compute.id,
    config: { access: { use_bearer_token: true } },
    tags: { owner: "platform" },
  });
  serviceId = applied.body.result.id;
  queryToken = applied.body.result.auth_token;
  await waitUntil(async () => (await caller.get(`/api/v2/services-v2/${serviceId}`)).body.result.current_state === "RUNNING", { what: "running" });
});

afterAll(() => {
  process.env = savedEnv;
});

test("plain form reads ANYSCALE_HOST / ANYSCALE_CLI_TOKEN like the provider", async () => {
  const service = await anyscale.getService({ name: "sdk-svc" });
  expect(service.id).toBe(serviceId);
  expect((await anyscale.listServices({ tags: { owner: "platform" } })).services.map((s) => s.id)).toEqual([serviceId]);
  expect((await anyscale.getTags({ resource: "service", id: serviceId })).tags).toEqual({ owner: "platform" });
});

test("Output form takes Output arguments and is not secret (it carries no token)", async () => {
  const name = pulumi.output("sdk-svc");
  const service = anyscale.getServiceOutput({ name });
  expect((await valueOf(service)).id).toBe(serviceId);
  expect(await isSecret(service)).toBe(false);
  const listed = anyscale.listServicesOutput({ tags: pulumi.output({ owner: ["platform", "nobody"] }) });
  expect((await valueOf(listed)).services).toHaveLength(1);
  expect(JSON.stringify(await valueOf(service))).not.toContain(queryToken ?? "no-token");
});

test("bad arguments reject with the function and argument named, in both forms", async () => {
  await expect(anyscale.listJobs({ sortOrder: "DESC" })).rejects.toThrow("anyscale.listJobs: invalid argument 'sortOrder'");
  await expect(valueOf(anyscale.getJobOutput({}))).rejects.toThrow(anyscale.InvalidArgumentError);
});

test("a missing token is a configuration error that never echoes a token", async () => {
  delete process.env.ANYSCALE_CLI_TOKEN;
  const previousHome = process.env.HOME;
  process.env.HOME = "/nonexistent-home-for-test";
  try {
    await expect(anyscale.getService({ name: "sdk-svc" })).rejects.toThrow("No Anyscale token configured");
  } finally {
    process.env.ANYSCALE_CLI_TOKEN = plane().token;
    process.env.HOME = previousHome;
  }
});
