// Gates that judge the canary, not the blend, against the real local plane over HTTP: the plane routes
// the query URL by the versions' real weights and its admin API makes one version fail, slow down or
// answer wrongly. A rejected version stays rejected; a held pause is released without a program change.
import { isSecretValue } from "../../provider/core/dynamic-support";
import * as provider from "../../provider/service/dynamic";
import { PROMOTE_ENV } from "../../provider/service/promote";
import { configureFor } from "../helpers/provider-driver";
import { failureOf, generationApp, serviceDeliveryDriver } from "../helpers/service-delivery-driver";
import { withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(180_000);

const plane = withLocalPlane({ startupMs: 200, rolloutStepMs: 30 });
type Props = Record<string, any>;

beforeAll(() => configureFor(provider, plane(), { pollIntervalMs: 20 }));

const app = generationApp;
const { checked, api: a, live, versionCount, create, update } = serviceDeliveryDriver(plane);

const SCHEDULE = [{ percent: 10, pause: "300ms" }, { percent: 50, pause: "300ms" }, { percent: 100 }];

describe("canary-attributed gates", () => {
  it("stops a v2 failing 50% at the first step of [10, 50, 100], reporting the canary's own rate near 0.5; the same program is not rolled out again", async () => {
    const svc = await create("cg-half");
    await a().post(`/_local/services/cg-half/query-faults`, { version: "v2", errorRate: 0.5 });
    const program = await checked({ ...svc.inputs, versionName: "v2", applications: app("2"), rollout: { steps: SCHEDULE, healthCheck: { minSuccessRate: 0.99 } } }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, program));
    // Stopped early: once even all remaining probes succeeding could not lift the canary's upper bound to 0.99.
    expect(error.message).toMatch(/^step 1 \(10%\): canary success rate 0\.(4|5)\d < 0\.99 \(95% CI 0\.\d\d–0\.\d\d; \d+ requests, ~\d+ to the canary at 10%; primary alone 1\.00 over 20\)\. Rolled back/);
    const status = error.properties.rolloutStatus;
    expect(status).toMatchObject({ phase: "rolledBack", step: 1, percent: 10, lastGate: { passed: false, primary: { requests: 20, successRate: 1 } } });
    expect(status.lastGate.canary.successRate).toBeGreaterThan(0.4);
    expect(status.lastGate.canary.successRate).toBeLessThan(0.6);
    expect(status.rejected).toMatchObject({ versionName: "v2", step: 1, percent: 10 });
    expect(status.rejected.reason).toMatch(/^canary success rate 0\.\d\d < 0\.99/);
    const token = (await live(svc.id)).auth_token;
    const { queryAuthToken, ...recorded } = error.properties;
    expect(JSON.stringify(recorded)).not.toContain(token);
    // Recorded with the failure, as a secret the engine encrypts.
    expect(isSecretValue(queryAuthToken) && queryAuthToken.value).toBe(token);

    // The next `up` with the same program: no change, no new version.
    const failedOuts = error.properties as Props;
    const count = await versionCount(svc.id);
    expect(await provider.diff(svc.id, failedOuts, program)).toMatchObject({ changes: false });
    // Even an update for another reason (a tag) does not roll it out.
    const tagged = await update(svc.id, failedOuts, { ...program, tags: { team: "ml" } });
    expect(tagged.outs.rolloutStatus.rejected.versionName).toBe("v2");
    expect(await versionCount(svc.id)).toBe(count);
    expect((await live(svc.id)).canary_version ?? null).toBeNull();
    // After refresh (the live primary folded into the stored inputs), the program still previews clean.
    const refreshed = await provider.read(svc.id, tagged.outs);
    expect(await provider.diff(svc.id, refreshed.props!, await checked({ ...program, tags: { team: "ml" } }, refreshed.inputs))).toMatchObject({ changes: false });
    // retryRejected rolls it out again.
    const retry = await checked({ ...program, tags: { team: "ml" }, rollout: { ...program.rollout, retryRejected: true } }, tagged.inputs);
    expect(await provider.diff(svc.id, tagged.outs, retry)).toMatchObject({ changes: true });
  });

  it("stops a v2 400 ms slower at 5%", async () => {
    const svc = await create("cg-slow");
    await a().post(`/_local/services/cg-slow/query-faults`, { version: "v2", latencyMs: 400 });
    const news = await checked({ ...svc.inputs, versionName: "v2", applications: app("2"), rollout: { steps: [{ percent: 5, pause: "300ms" }, { percent: 100 }], healthCheck: { maxP95LatencyMs: 250 } } }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, news));
    expect(error.message).toMatch(/^step 1 \(5%\): canary p95 latency 4\d\dms > 250ms .*400 requests, ~20 to the canary at 5%/);
    expect((await live(svc.id)).primary_version.id).toBe(svc.outs.primaryVersion.id);
  });

  it("one failed probe of the primary does not fail a gate with failureLimit 2", async () => {
    const svc = await create("cg-blip");
    // The primary fails its 334th answer only (20 baseline + 180 per measurement: inside measurement 2).
    await a().post(`/_local/services/cg-blip/query-faults`, { version: svc.outs.primaryVersion.id, errorRate: 0.003 });
    const healthCheck = { measurements: 3, failureLimit: 2 };
    const done = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout: { steps: [{ percent: 10, pause: "300ms" }, { percent: 100 }], healthCheck } });
    expect(done.outs.rolloutStatus).toMatchObject({ phase: "completed", lastGate: { passed: true, measurements: { planned: 3, taken: 3, notPassed: 1 } } });
  });

  it("an inconclusive gate with inconclusive: hold keeps the canary at its share for a person, who releases it", async () => {
    const svc = await create("cg-hold");
    // The primary fails its 167th answer only (20 baseline + 180 in the measurement): one blip in 200.
    await a().post(`/_local/services/cg-hold/query-faults`, { version: svc.outs.primaryVersion.id, errorRate: 0.006 });
    const program = { ...svc.inputs, applications: app("2"), rollout: { steps: [{ percent: 10, pause: "300ms" }, { percent: 100 }], healthCheck: { inconclusive: "hold" } } };
    const held = await update(svc.id, svc.outs, program);
    expect(held.outs.canaryVersion).toMatchObject({ weight: 10 });
    expect(held.outs.rolloutStatus).toMatchObject({ phase: "paused", step: 1, lastGate: { passed: false } });
    expect(held.outs.rolloutStatus.message).toMatch(/not conclusively.*held for a person: release with ANYSCALE_PROMOTE=cg-hold/);
    process.env[PROMOTE_ENV] = "cg-hold";
    try {
      const done = await update(svc.id, held.outs, program);
      expect(done.outs.primaryVersion.id).toBe(held.outs.canaryVersion.id);
    } finally {
      delete process.env[PROMOTE_ENV];
    }
  });

  it("a golden-set check stops a v2 that answers the wrong value with 200", async () => {
    const svc = await create("cg-golden");
    await a().post(`/_local/services/cg-golden/query-faults`, { version: "v2", answer: { application: "wrong" } });
    const golden = [{ path: "/predict", method: "POST", body: '{"text":"hello"}', jsonPath: "$.application", equals: "default" }];
    const news = await checked({ ...svc.inputs, versionName: "v2", applications: app("2"), rollout: { steps: SCHEDULE, healthCheck: { golden } } }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, news));
    expect(error.message).toMatch(/^step 1 \(10%\): canary success rate 0\.0\d < 0\.99/);
    expect(error.properties.rolloutStatus.rejected.versionName).toBe("v2");
  });

  it("a manual pause is released without a program change (ANYSCALE_PROMOTE)", async () => {
    const svc = await create("cg-promote");
    const program = { ...svc.inputs, applications: app("2"), rollout: { steps: [{ percent: 30, pause: "manual" }, { percent: 100 }] } };
    const held = await update(svc.id, svc.outs, program);
    expect(held.outs.rolloutStatus).toMatchObject({ phase: "paused", percent: 30 });
    const same = await checked(program, held.inputs);
    expect(await provider.diff(svc.id, held.outs, same)).toMatchObject({ changes: false });
    process.env[PROMOTE_ENV] = "cg-promote";
    try {
      expect(await provider.diff(svc.id, held.outs, same)).toMatchObject({ changes: true });
      const done = await update(svc.id, held.outs, program);
      expect(done.outs.primaryVersion.id).toBe(held.outs.canaryVersion.id);
      expect(done.outs.rolloutStatus.phase).toBe("completed");
      expect(done.lines.some((line) => line.includes("pause released"))).toBe(true);
    } finally {
      delete process.env[PROMOTE_ENV];
    }
  });
});
