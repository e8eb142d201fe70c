// A `pulumi up` killed mid-rollout leaves a canary heading to 100% that no finished up recorded.
// Refresh folds its config in as drift; the next up must then wait for the rollout, not report
// "no changes" while the platform is still moving traffic (and never start a second version).
import * as provider from "../../provider/service/dynamic";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, waitUntil, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(120_000);

// Slow canary steps leave a wide window between "the canary takes traffic" and "the rollout is done".
const plane = withLocalPlane({ rolloutStepMs: 1500 });

type Props = Record<string, any>;
const app = (path: string) => [{ name: "default", import_path: path }];

describe("refresh during an interrupted rollout", () => {
  beforeAll(() => configureFor(provider, plane(), { pollIntervalMs: 20 }));

  it("marks the deployment interrupted, so the next update converges on the same version", async () => {
    const v1 = await checkedBy(provider, { name: "svc-interrupted", applications: app("main:app") });
    const created = await provider.create(v1);
    const v2 = await checkedBy(provider, { ...v1, applications: app("main:app2") }, v1);

    // The "killed" up: its rollout goes on on the platform, and its answer is never recorded.
    const abandoned = provider.update(created.id, created.outs, v2).catch(() => undefined);
    await waitUntil(async () => {
      const live = (await api(plane()).get(`/api/v2/services-v2/${created.id}`)).body.result;
      return live.canary_version && live.canary_version.weight > 0 && live.canary_version.weight < 100;
    }, { timeoutMs: 60_000, intervalMs: 20, what: "the canary to take part of the traffic" });

    const refreshed = await provider.read(created.id, created.outs as Props);
    expect(refreshed.props.deployment).toMatchObject({ status: "interrupted", message: expect.stringContaining("heading to 100%") });
    expect(refreshed.inputs).toMatchObject({ applications: [expect.objectContaining({ import_path: "main:app2" })] });
    const diff = await provider.diff(created.id, refreshed.props, v2);
    expect(diff.changes).toBe(true);

    const converged = await provider.update(created.id, refreshed.props, v2);
    expect(converged.outs).toMatchObject({ state: "RUNNING", canaryVersion: null, deployment: { status: "succeeded" } });
    await abandoned;
    const versions = (await api(plane()).get(`/api/v2/services-v2/${created.id}/versions?count=50`)).body.results as unknown[];
    expect(versions).toHaveLength(2);
    await provider.delete(created.id, converged.outs as Props);
  });
});
