// Failure paths against the real local control plane: platform rollbacks, our autoRollback, failed
// creates that must not orphan, adoption, refresh drift, in-place updates, and 4xx errors.
import { isSecretValue } from "../../provider/core/dynamic-support";
import * as provider from "../../provider/service/dynamic";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();
type Props = Record<string, any>;

beforeAll(() => configureFor(provider, plane(), { pollIntervalMs: 20 }));

const app = (path = "main:app") => [{ name: "default", import_path: path }];

const checked = (news: Props, olds: Props = {}): Promise<Props> => checkedBy(provider, news, olds);

async function create(news: Props) {
  const inputs = await checked(news);
  const created = await provider.create(inputs);
  return { id: created.id, inputs, outs: created.outs as Props };
}

async function update(id: string, oldInputs: Props, outs: Props, news: Props) {
  const inputs = await checked(news, oldInputs);
  const diff = await provider.diff(id, outs, inputs);
  return { inputs, diff, outs: (await provider.update(id, outs, inputs)).outs as Props };
}

async function failureOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

const armFault = (name: string, mode: "fail_start" | "unhealthy") => api(plane()).post(`/_local/services/${name}/next-version-fails`, { mode });

describe("Service failure paths", () => {
  it("reports a rollback done by the platform as a failed update, and the next update continues", async () => {
    const svc = await create({ name: "svc-platform-rollback", applications: app() });
    await armFault("svc-platform-rollback", "fail_start");
    const news = await checked({ ...svc.inputs, applications: app("main:broken") }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, news));
    expect(error.id).toBe(svc.id);
    expect(error.message).toMatch(/rolled back.*failed to start/);
    expect(error.properties).toMatchObject({ deployment: { status: "failed" }, primaryVersion: { id: svc.outs.primaryVersion.id } });
    // The token is recorded with the failure, only as a value the engine keeps secret.
    expect(isSecretValue(error.properties.queryAuthToken)).toBe(true);
    expect(error.properties.__provider).toBeUndefined(); // no __provider in the inputs used here

    // Next `pulumi up`: same inputs, but the failed deploy is converged.
    const failedOuts = error.properties;
    expect(await provider.diff(svc.id, failedOuts, news)).toMatchObject({ changes: true });
    const retried = await provider.update(svc.id, failedOuts, news);
    expect(retried.outs).toMatchObject({ state: "RUNNING", deployment: { status: "succeeded" } });
    expect((retried.outs as Props).primaryVersion.id).not.toBe(svc.outs.primaryVersion.id);
  });

  it("a create whose version fails is recorded (id kept), then converged by the next update", async () => {
    await armFault("svc-create-fails", "fail_start");
    const inputs = await checked({ name: "svc-create-fails", applications: app() });
    const error = await failureOf(provider.create(inputs));
    expect(error.id).toMatch(/^service2_/);
    expect(error.message).toMatch(/USER_ERROR_FAILURE.*failed to start/);
    const next = await provider.update(error.id, error.properties, inputs);
    expect(next.outs).toMatchObject({ state: "RUNNING", deployment: { status: "succeeded" } });
    await provider.delete(error.id, { ...next.outs, deletionPolicy: "delete" });
  });

  it("refuses to create over a live service of the same name unless adoptExisting", async () => {
    const original = await create({ name: "svc-adopt", applications: app(), tags: { owner: "someone" } });
    const clash = await failureOf(provider.create(await checked({ name: "svc-adopt", applications: app() })));
    expect(clash.message).toMatch(/already exists.*adoptExisting/);
    expect(clash.id).toBeUndefined();

    const adopted = await provider.create(await checked({ name: "svc-adopt", applications: app(), adoptExisting: true, tags: { owner: "pulumi" } }));
    expect(adopted.id).toBe(original.id);
    // Same config as live: taken over without a new version.
    expect((adopted.outs as Props).primaryVersion.id).toBe(original.outs.primaryVersion.id);
    const tags = await api(plane()).get(`/api/v2/tags/resource?resource_type=service&resource_id=${original.id}`);
    expect(tags.body.result.tags.map((t: any) => `${t.key}=${t.value}`)).toEqual(["owner=pulumi"]);
  });

  it("refresh shows out-of-band changes as drift", async () => {
    const svc = await create({ name: "svc-drift", applications: app(), tags: { team: "a" } });
    const client = api(plane());
    await client.put("/api/v2/tags/resource", { resource_type: "service", resource_id: svc.id, tags: { team: "b" } });
    const live = (await client.get(`/api/v2/services-v2/${svc.id}`)).body.result;
    const primary = live.primary_version;
    const applied = await client.put("/api/v2/services-v2/apply", {
      name: "svc-drift",
      project_id: live.project_id,
      build_id: primary.build_id,
      compute_config_id: primary.compute_config_id,
      ray_serve_config: { applications: app("main:hotfix") },
      rollout_strategy: "ROLLOUT",
    });
    expect(applied.status).toBeLessThan(300);
    const refreshed = await provider.read(svc.id, svc.outs);
    expect(refreshed.inputs).toMatchObject({ tags: { team: "b" } });
    expect(refreshed.inputs!.applications[0].import_path).toBe("main:hotfix");
    const drift = await provider.diff(svc.id, refreshed.props, svc.inputs);
    expect(drift).toMatchObject({ changes: true, replaces: [] });
    // Unchanged after a second refresh with nothing new.
    const again = await provider.read(svc.id, refreshed.props);
    expect(again.inputs).toEqual(refreshed.inputs);
  });

  it("updates in place without a new version", async () => {
    const svc = await create({ name: "svc-in-place", applications: app(), rollout: { strategy: "inPlace" } });
    const count = async () => (await api(plane()).get(`/api/v2/services-v2/${svc.id}/versions`)).body.results.length;
    const before = await count();
    const updated = await update(svc.id, svc.inputs, svc.outs, { ...svc.inputs, applications: app("main:v2") });
    expect(updated.outs).toMatchObject({ state: "RUNNING", deployment: { status: "succeeded" } });
    expect(updated.outs.primaryVersion.id).toBe(svc.outs.primaryVersion.id);
    expect(await count()).toBe(before);
  });

  it("reads an existing service with no prior state (Service.get)", async () => {
    const svc = await create({ name: "svc-get", applications: app(), tags: { k: "v" } });
    const read = await provider.read(svc.id, { __provider: "x" });
    expect(read.inputs).toMatchObject({ name: "svc-get", applications: app(), tags: { k: "v" }, queryAuthTokenEnabled: true });
    expect(read.props).toMatchObject({ state: "RUNNING", serviceId: svc.id });
    expect(await provider.read("service2_doesnotexist", {})).toMatchObject({ id: "" });
  });

  it("names the field when a name does not resolve, with the server's answer", async () => {
    const missing = await failureOf(provider.create(await checked({ name: "svc-bad-cc", applications: app(), computeConfig: "no-such-config:3" })));
    expect(missing.message).toMatch(/Compute config 'no-such-config:3' was not found \(computeConfig\)/);
    const noCloud = await failureOf(provider.create(await checked({ name: "svc-bad-cloud", applications: app(), cloud: "nowhere" })));
    expect(noCloud.message).toMatch(/Cloud 'nowhere' was not found/);
  });

  it("never sends or logs the token in plaintext", async () => {
    const log = await api(plane()).get("/_local/requests");
    const text = JSON.stringify(log.body);
    expect(text).not.toContain(plane().token);
    expect(log.body.some((entry: any) => entry.client === "pulumi-anyscale" || /pulumi-anyscale/.test(JSON.stringify(entry)))).toBe(true);
  });
});
