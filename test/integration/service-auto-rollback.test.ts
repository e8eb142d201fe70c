// autoRollback against the real local control plane. New versions take seconds to start here, so a
// 1 ms update timeout always expires while the canary is still starting, whatever the machine's load.
import * as provider from "../../provider/service/dynamic";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane({ startupMs: 1500, rolloutStepMs: 30 });
type Props = Record<string, any>;

beforeAll(() => configureFor(provider, plane(), { pollIntervalMs: 20 }));

const app = (path = "main:app") => [{ name: "default", import_path: path }];

const checked = (news: Props, olds: Props = {}): Promise<Props> => checkedBy(provider, news, olds);

async function create(news: Props) {
  const inputs = await checked(news);
  const created = await provider.create(inputs);
  return { id: created.id, inputs, outs: created.outs as Props };
}

async function failureOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("Service autoRollback", () => {
  it("autoRollback rolls a timed-out rollout back before failing", async () => {
    const svc = await create({ name: "svc-auto-rollback", applications: app() });
    const news = await checked({ ...svc.inputs, applications: app("main:slow"), rollout: { autoRollback: true }, timeouts: { update: "1ms" } }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, news));
    expect(error.id).toBe(svc.id);
    expect(error.message).toMatch(/Timed out.*autoRollback: rolled back/);
    const live = await api(plane()).get(`/api/v2/services-v2/${svc.id}`);
    expect(live.body.result.canary_version ?? null).toBeNull();
    expect(live.body.result.primary_version.id).toBe(svc.outs.primaryVersion.id);
  });


  it("without autoRollback, a timed-out rollout is left running and the next update continues the same canary", async () => {
    const svc = await create({ name: "svc-timeout-resume", applications: app() });
    const news = await checked({ ...svc.inputs, applications: app("main:v2"), timeouts: { update: "1ms" } }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, news));
    expect(error.id).toBe(svc.id);
    expect(error.message).toMatch(/Timed out .*still .*heading to 100%/);
    const canaryId = error.properties.canaryVersion?.id;
    expect(canaryId).toEqual(expect.any(String));

    const versions = async () => (await api(plane()).get(`/api/v2/services-v2/${svc.id}/versions`)).body.results.length;
    const before = await versions();
    const retry = await checked({ ...news, timeouts: undefined }, news);
    expect(await provider.diff(svc.id, error.properties, retry)).toMatchObject({ changes: true });
    const resumed = await provider.update(svc.id, error.properties, retry);
    expect((resumed.outs as Props).primaryVersion.id).toBe(canaryId);
    expect(await versions()).toBe(before);
  });
});
