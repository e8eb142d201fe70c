// The plane's per-version query faults, over real HTTP and through the real weight routing: what the
// Service's health gates are tested against.
import { request } from "undici";
import { api, applyBody, planeDefaults, waitUntil, withLocalPlane, type PlaneDefaults } from "../helpers/local-plane";

describe("local control plane: query faults", () => {
  const plane = withLocalPlane();
  let d: PlaneDefaults;
  const a = () => api(plane());
  const getService = async (id: string) => (await a().get(`/api/v2/services-v2/${id}`)).body.result;
  const query = async (url: string, token: string) => {
    const started = performance.now();
    const res = await request(url + "/", { headers: { authorization: `Bearer ${token}` } });
    const text = await res.body.text();
    return { status: res.statusCode, text, ms: performance.now() - started };
  };

  beforeAll(async () => {
    d = await planeDefaults(a());
  });

  async function heldCanary(name: string, percent: number) {
    const created = (await a().put("/api/v2/services-v2/apply", applyBody(d, name, { version: "v1" }))).body.result;
    await waitUntil(async () => (await getService(created.id)).current_state === "RUNNING");
    await a().put("/api/v2/services-v2/apply", applyBody(d, name, { version: "v2", canary_percent: percent }, "app:v2"));
    await waitUntil(async () => (await getService(created.id)).canary_version?.weight === percent);
    return created;
  }

  test("one version's answers fail at the given rate, spread over its share of the traffic", async () => {
    const svc = await heldCanary("qf-rate", 20);
    const armed = await a().post(`/_local/services/qf-rate/query-faults`, { version: "v2", errorRate: 0.5 });
    expect(armed.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await query(svc.base_url, svc.auth_token)).status);
    // 20 of 100 reach the canary, half of those fail; the canary's share is interleaved, not a run of 20.
    expect(statuses.filter((s) => s === 503)).toHaveLength(10);
    expect(statuses.slice(0, 10).filter((s) => s === 503).length).toBeGreaterThan(0);
    expect((await a().get(`/_local/services/qf-rate/query-faults`)).body.results).toEqual([expect.objectContaining({ version: "v2", errorRate: 0.5 })]);
    expect((await a().del(`/_local/services/qf-rate/query-faults`)).status).toBe(204);
    for (let i = 0; i < 20; i++) expect((await query(svc.base_url, svc.auth_token)).status).toBe(200);
  });

  test("one version's answers come later by the given latency; the other version's do not", async () => {
    const svc = await heldCanary("qf-slow", 50);
    const canaryId = (await getService(svc.id)).canary_version.id;
    await a().post(`/_local/services/qf-slow/query-faults`, { version: canaryId, latencyMs: 300 });
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await query(svc.base_url, svc.auth_token));
    const slow = answers.filter((x) => x.text.includes('"version":"v2"'));
    const fast = answers.filter((x) => x.text.includes('"version":"v1"'));
    expect(slow).toHaveLength(5);
    for (const x of slow) expect(x.ms).toBeGreaterThanOrEqual(290);
    expect(fast.every((x) => x.status === 200)).toBe(true);
  });

  test("bad fault specs are refused naming the field", async () => {
    const res = await a().post(`/_local/services/qf-rate/query-faults`, { version: "v2", errorRate: 2 });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain("errorRate");
  });
});
