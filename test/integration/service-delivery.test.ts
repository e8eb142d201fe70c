// Progressive delivery and declarative rollback, driven through the provider module against the real
// local plane over HTTP: the gates probe the plane's query URL, whose per-version faults make a
// version fail or slow down through the real weight routing.
import { isSecretValue } from "../../provider/core/dynamic-support";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as provider from "../../provider/service/dynamic";
import { configureFor } from "../helpers/provider-driver";
import { failureOf, generationApp, serviceDeliveryDriver } from "../helpers/service-delivery-driver";
import { withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(120_000);

const plane = withLocalPlane({ startupMs: 200, rolloutStepMs: 30 });
type Props = Record<string, any>;

beforeAll(() => configureFor(provider, plane(), { pollIntervalMs: 20 }));

const app = generationApp;
const { checked, api: a, live, versionCount, create, update } = serviceDeliveryDriver(plane);

describe("held canary: canaryPercent 0, completing, declarative rollback", () => {
  it("canaryPercent 0 holds the canary at 0%; it then moves and completes on the platform's steps without a new version", async () => {
    const svc = await create("dl-zero");
    const held = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout: { canaryPercent: 0 } });
    expect(held.outs.canaryVersion).toMatchObject({ weight: 0, state: "RUNNING" });
    expect(held.outs.primaryVersion).toMatchObject({ id: svc.outs.primaryVersion.id, weight: 100 });
    const canaryId = held.outs.canaryVersion.id;
    const count = await versionCount(svc.id);

    const moved = await update(svc.id, held.outs, { ...held.inputs, rollout: { canaryPercent: 25 } });
    expect(moved.outs.canaryVersion).toMatchObject({ id: canaryId, weight: 25 });

    const done = await update(svc.id, moved.outs, { ...moved.inputs, rollout: {} });
    expect(done.outs.primaryVersion.id).toBe(canaryId);
    expect(done.outs.canaryVersion).toBeNull();
    expect(await versionCount(svc.id)).toBe(count);
    // The platform stepped the traffic (25 → 30 → 50 → 75 → 100), as `anyscale service deploy` without --canary-percent does.
    const events = (await a().get(`/api/v2/services-v2/${svc.id}/events?count=50&ascending_order=true`)).body.results.map((e: any) => e.message as string);
    const shares = events.map((m: string) => /at (\d+)% of traffic/.exec(m)?.[1]).filter(Boolean).map(Number);
    expect(shares.slice(-3)).toEqual([30, 50, 75]);
  });

  it("going back to the primary's config while a canary is held rolls back through the platform's rollback call, with no third version", async () => {
    const svc = await create("dl-revert");
    const held = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout: { canaryPercent: 25 } });
    expect(held.outs.canaryVersion.weight).toBe(25);
    const count = await versionCount(svc.id);

    const reverted = await update(svc.id, held.outs, { ...held.inputs, applications: app("1"), rollout: undefined });
    expect(reverted.outs.primaryVersion).toMatchObject({ id: svc.outs.primaryVersion.id, weight: 100 });
    expect(reverted.outs.canaryVersion).toBeNull();
    expect(await versionCount(svc.id)).toBe(count);
    const service = await live(svc.id);
    expect(service.canary_version ?? null).toBeNull();
    const events = (await a().get(`/api/v2/services-v2/${svc.id}/events?count=50`)).body.results.map((e: any) => e.event_type ?? e.message);
    expect(JSON.stringify(events)).toMatch(/ROLLBACK_INITIATED|Rolling back/);
  });
});

describe("rollout.steps", () => {
  const gated = (extra: Props = {}) => ({
    steps: [{ percent: 20, pause: "300ms" }, { percent: 50, pause: "300ms" }, { percent: 100 }],
    healthCheck: { requests: 10, minSuccessRate: 0.99, ...extra },
  });

  it("a good version passes a 3-step gated schedule and ends primary at 100%", async () => {
    const svc = await create("dl-good");
    const result = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout: gated() });
    expect(result.outs.canaryVersion).toBeNull();
    expect(result.outs.primaryVersion.weight).toBe(100);
    expect(result.outs.primaryVersion.id).not.toBe(svc.outs.primaryVersion.id);
    expect(result.outs.rolloutStatus).toMatchObject({ phase: "completed", step: 3, steps: 3, percent: 100 });
    // 10 requested, raised to 40 so ~20 reach a canary at 50% (service-canary-gates.test.ts covers the sizing).
    expect(result.outs.rolloutStatus.lastGate).toMatchObject({ step: 2, percent: 50, requests: 40, succeeded: 40, successRate: 1, passed: true, canary: { successRate: 1 } });
    expect(result.lines).toContain("canary 20% (step 1 of 3)");
    expect(result.lines).toContain("canary 50% (step 2 of 3), gate 40/40 ok");
    const token = (await live(svc.id)).auth_token;
    expect(JSON.stringify(result.lines)).not.toContain(token);
  });

  it("a version failing 50% of its queries is stopped at the first gate and rolled back", async () => {
    const svc = await create("dl-bad");
    await a().post(`/_local/services/dl-bad/query-faults`, { version: "bad", errorRate: 0.5 });
    const news = await checked({ ...svc.inputs, versionName: "bad", applications: app("2"), rollout: gated({ requests: 20 }) }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, news));
    expect(error.id).toBe(svc.id);
    expect(error.message).toMatch(/^step 1 \(20%\): canary success rate 0\.\d\d < 0\.99 \(95% CI .*\)\. Rolled back/);
    const service = await live(svc.id);
    expect(service.auth_token).toBeTruthy();
    expect(error.message).not.toContain(service.auth_token);
    const { queryAuthToken, ...recorded } = error.properties;
    expect(JSON.stringify(recorded)).not.toContain(service.auth_token);
    expect(isSecretValue(queryAuthToken) && queryAuthToken.value).toBe(service.auth_token);
    expect(service.canary_version ?? null).toBeNull();
    expect(service.primary_version.id).toBe(svc.outs.primaryVersion.id);
    expect(error.properties.primaryVersion.id).toBe(service.primary_version.id);
    expect(error.properties.canaryVersion).toBeNull();
    expect(error.properties.rolloutStatus).toMatchObject({ phase: "rolledBack", step: 1, percent: 20, lastGate: { passed: false } });
  });

  it("a slow version fails the latency gate", async () => {
    const svc = await create("dl-slow");
    await a().post(`/_local/services/dl-slow/query-faults`, { version: "slow", latencyMs: 400 });
    const news = await checked({ ...svc.inputs, versionName: "slow", applications: app("2"), rollout: { ...gated({ maxP95LatencyMs: 200 }), steps: [{ percent: 50, pause: "300ms" }, { percent: 100 }] } }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, news));
    expect(error.message).toMatch(/^step 1 \(50%\): canary p95 latency \d+ms > 200ms/);
    expect((await live(svc.id)).primary_version.id).toBe(svc.outs.primaryVersion.id);
  });

  it("a manual pause holds; changing the program continues the same canary to 100%", async () => {
    const svc = await create("dl-manual");
    const held = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout: { steps: [{ percent: 30, pause: "manual" }, { percent: 100 }] } });
    expect(held.outs.canaryVersion).toMatchObject({ weight: 30 });
    expect(held.outs.rolloutStatus).toMatchObject({ phase: "paused", step: 1, percent: 30 });
    const count = await versionCount(svc.id);
    const next = await checked({ ...held.inputs, rollout: { steps: [{ percent: 30 }, { percent: 100 }] } }, held.outs);
    expect(await provider.diff(svc.id, held.outs, next)).toMatchObject({ changes: true, replaces: [] });
    const done = await update(svc.id, held.outs, next);
    expect(done.outs.primaryVersion.id).toBe(held.outs.canaryVersion.id);
    expect(done.outs.rolloutStatus.phase).toBe("completed");
    expect(await versionCount(svc.id)).toBe(count);
  });

  it("a held canaryPercent replaced by a schedule: the schedule takes that same canary onward", async () => {
    const svc = await create("dl-switch");
    const held = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout: { canaryPercent: 25 } });
    const count = await versionCount(svc.id);
    const done = await update(svc.id, held.outs, { ...held.inputs, rollout: { steps: [{ percent: 50, pause: "200ms" }, { percent: 100 }] } });
    expect(done.outs.primaryVersion.id).toBe(held.outs.canaryVersion.id);
    expect(done.lines).toContain("canary 50% (step 1 of 2)");
    expect(await versionCount(svc.id)).toBe(count);
  });

  it("resumes from the platform's canary weight with no new version", async () => {
    const svc = await create("dl-resume");
    const steps = [{ percent: 20, pause: "manual" }, { percent: 100 }];
    const held = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout: { steps } });
    const count = await versionCount(svc.id);
    // As after a killed `pulumi up`: state still holds generation 1, the platform a canary of generation 2 at 20%.
    const resumed = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout: { steps: [{ percent: 20, pause: "200ms" }, { percent: 100 }] } });
    expect(resumed.outs.primaryVersion.id).toBe(held.outs.canaryVersion.id);
    expect(resumed.lines.some((line) => line.startsWith("resuming step 1 of 2 (20%)"))).toBe(true);
    expect(await versionCount(svc.id)).toBe(count);
  });

  it("a stuck canary hits the progress deadline and is rolled back", async () => {
    const svc = await create("dl-stuck");
    await a().post(`/_local/services/dl-stuck/next-version-fails`, { mode: "stuck" });
    const news = await checked({ ...svc.inputs, applications: app("2"), rollout: { steps: [{ percent: 20, pause: "1s" }, { percent: 100 }], progressDeadline: "1s" } }, svc.inputs);
    const error = await failureOf(provider.update(svc.id, svc.outs, news));
    expect(error.message).toMatch(/^step 1 of 2 \(20%\): the canary was not RUNNING at 20% within progressDeadline 1s; it stopped at 0% \(STARTING\)\. Rolled back/);
    const service = await live(svc.id);
    expect(service.canary_version ?? null).toBeNull();
    expect(service.primary_version.id).toBe(svc.outs.primaryVersion.id);
    expect(error.properties.rolloutStatus.phase).toBe("rolledBack");
  });

  it("probes at a rate for the whole pause, and moves on only once the confirm webhook answers 2xx", async () => {
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        bodies.push(body);
        res.statusCode = bodies.length === 1 ? 503 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/confirm`;
      const svc = await create("dl-webhook");
      const rollout = { steps: [{ percent: 50, pause: "500ms" }, { percent: 100 }], healthCheck: { ratePerSecond: 20, webhookUrl } };
      const result = await update(svc.id, svc.outs, { ...svc.inputs, applications: app("2"), rollout });
      expect(result.outs.rolloutStatus).toMatchObject({ phase: "completed", lastGate: { step: 1, requests: 40, passed: true, webhookStatus: 200 } });
      expect(bodies).toHaveLength(2);
      expect(JSON.parse(bodies[1])).toMatchObject({ service: "dl-webhook", step: 1, percent: 50, gate: { requests: 40, succeeded: 40 } });
      const token = (await live(svc.id)).auth_token;
      expect(bodies.join("")).not.toContain(token);
    } finally {
      server.close();
    }
  });

  it("a webhook that never answers 2xx fails the gate within the progress deadline and rolls back", async () => {
    const server = http.createServer((_req, res) => {
      res.statusCode = 403;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/confirm`;
      const svc = await create("dl-webhook-no");
      const news = await checked({ ...svc.inputs, applications: app("2"), rollout: { steps: [{ percent: 20 }, { percent: 100 }], healthCheck: { requests: 3, webhookUrl }, progressDeadline: "1s" } }, svc.inputs);
      const error = await failureOf(provider.update(svc.id, svc.outs, news));
      expect(error.message).toMatch(/^step 1 \(20%\): the confirm webhook did not answer 2xx within 1s \(last: 403\)\. Rolled back/);
      const service = await live(svc.id);
      expect(service.canary_version ?? null).toBeNull();
      expect(service.primary_version.id).toBe(svc.outs.primaryVersion.id);
    } finally {
      server.close();
    }
  });
});
