// The Service provider's check/diff/create/read/update/delete against the real local control plane over HTTP.
import * as provider from "../../provider/service/dynamic";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();

type Props = Record<string, any>;

const configure = () => configureFor(provider, plane(), { pollIntervalMs: 20 });

const checked = (news: Props, olds: Props = {}): Promise<Props> => checkedBy(provider, news, olds);

async function createService(news: Props): Promise<{ id: string; inputs: Props; outs: Props }> {
  const inputs = await checked(news);
  const created = await provider.create(inputs);
  return { id: created.id, inputs, outs: created.outs };
}

async function updateService(id: string, oldInputs: Props, outs: Props, news: Props): Promise<{ inputs: Props; outs: Props; diff: any }> {
  const inputs = await checked(news, oldInputs);
  const diff = await provider.diff(id, outs, inputs);
  const updated = await provider.update(id, outs, inputs);
  return { inputs, outs: updated.outs as Props, diff };
}

async function versionCount(id: string): Promise<number> {
  const response = await api(plane()).get(`/api/v2/services-v2/${id}/versions?count=50`);
  return response.body.results.length;
}

const app = (path = "main:app") => [{ name: "default", import_path: path }];

describe("Service provider against the local control plane", () => {
  beforeAll(configure);

  it("creates, reads, updates tags only, holds a canary, completes it, and deletes", async () => {
    const created = await createService({ name: "svc-lifecycle", applications: app(), tags: { team: "a" } });
    expect(created.id).toMatch(/^service2_/);
    expect(created.outs).toMatchObject({ state: "RUNNING", name: "svc-lifecycle", deployment: { status: "succeeded" } });
    expect(created.outs.queryAuthToken).toEqual(expect.any(String));
    expect(created.outs.primaryVersion).toMatchObject({ state: "RUNNING", weight: 100 });

    const read = await provider.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.inputs).toEqual(created.inputs);

    // Tags only: the tags API, no new version.
    const before = await versionCount(created.id);
    const tagged = await updateService(created.id, created.inputs, created.outs, { ...created.inputs, tags: { team: "b", env: "prod" } });
    expect(tagged.diff).toMatchObject({ changes: true, replaces: [] });
    expect(await versionCount(created.id)).toBe(before);
    const tags = await api(plane()).get(`/api/v2/tags/resource?resource_type=service&resource_id=${created.id}`);
    expect(Object.fromEntries(tags.body.result.tags.map((t: any) => [t.key, t.value]))).toEqual({ team: "b", env: "prod" });

    // A new version held at 30%.
    const held = await updateService(created.id, tagged.inputs, tagged.outs, { ...tagged.inputs, applications: app("main:app2"), rollout: { canaryPercent: 30 } });
    expect(held.outs.canaryVersion).toMatchObject({ weight: 30, state: "RUNNING" });
    expect(held.outs.primaryVersion.id).toBe(created.outs.primaryVersion.id);

    // A later update completes it without another version.
    const versionsWhileHeld = await versionCount(created.id);
    const done = await updateService(created.id, held.inputs, held.outs, { ...held.inputs, rollout: undefined });
    expect(done.outs.canaryVersion).toBeNull();
    expect(done.outs.primaryVersion.id).toBe(held.outs.canaryVersion.id);
    expect(await versionCount(created.id)).toBe(versionsWhileHeld);

    await provider.delete(created.id, { ...done.outs, deletionPolicy: "delete" });
    const gone = await api(plane()).get(`/api/v2/services-v2/${created.id}`);
    expect(gone.status).toBe(404);
    // Deleting again is a success.
    await provider.delete(created.id, { ...done.outs, deletionPolicy: "delete" });
  });

  it("restarts a service terminated outside Pulumi, and forgets one deleted outside Pulumi", async () => {
    const created = await createService({ name: "svc-oob", applications: app(), deletionPolicy: "archive" });
    const client = api(plane());
    await client.post(`/api/v2/services-v2/${created.id}/terminate`);
    let read = await provider.read(created.id, created.outs);
    for (let i = 0; i < 100 && read.props.state !== "TERMINATED"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      read = await provider.read(created.id, created.outs);
    }
    expect(read.props.state).toBe("TERMINATED");
    expect(await provider.diff(created.id, read.props, created.inputs)).toMatchObject({ changes: true, replaces: [] });
    const restarted = await provider.update(created.id, read.props, created.inputs);
    expect(restarted.outs).toMatchObject({ state: "RUNNING", serviceId: created.id });

    // Archive policy: terminated, then archived (still readable by id).
    await provider.delete(created.id, restarted.outs as Props);
    const archived = await client.get(`/api/v2/services-v2/?name=svc-oob&archive_status=ARCHIVED`);
    expect(archived.body.results.map((s: any) => s.id)).toEqual([created.id]);
    await client.del(`/api/v2/services-v2/${created.id}`);
    expect(await provider.read(created.id, restarted.outs as Props)).toMatchObject({ id: "" });
  });

  it("refresh shows a held canary moved outside Pulumi", async () => {
    const created = await createService({ name: "svc-canary-drift", applications: app() });
    const held = await updateService(created.id, created.inputs, created.outs, { ...created.inputs, applications: app("main:v2"), rollout: { canaryPercent: 20 } });
    expect(held.outs.canaryVersion).toMatchObject({ weight: 20 });
    const live = (await api(plane()).get(`/api/v2/services-v2/${created.id}`)).body.result;
    const canary = live.canary_version;
    await api(plane()).put("/api/v2/services-v2/apply", {
      name: "svc-canary-drift",
      project_id: live.project_id,
      version: canary.version,
      build_id: canary.build_id,
      compute_config_id: canary.compute_config_id,
      ray_serve_config: canary.ray_serve_config,
      config: live.config ?? { access: { use_bearer_token: true } },
      canary_percent: 50,
      rollout_strategy: "ROLLOUT",
    });
    let read = await provider.read(created.id, held.outs);
    for (let i = 0; i < 100 && read.props.canaryVersion?.weight !== 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      read = await provider.read(created.id, held.outs);
    }
    expect(read.inputs).toMatchObject({ rollout: { canaryPercent: 50 } });
    // Declaring 20% again moves the same canary back: a weight update, no new version.
    const versions = await versionCount(created.id);
    const back = await updateService(created.id, read.inputs!, read.props, held.inputs);
    expect(back.diff).toMatchObject({ changes: true });
    expect(back.outs.canaryVersion).toMatchObject({ id: held.outs.canaryVersion.id, weight: 20 });
    expect(await versionCount(created.id)).toBe(versions);
  });
});
