import { api, applyBody, planeDefaults, waitUntil, withLocalPlane, type PlaneDefaults } from "../helpers/local-plane";

// GET /_local/services/schedule: every phase as the plane armed it, with the durations it drew
// (jitter on), so a benchmark can compare a client's time with the platform's own.

interface Scheduled {
  serviceId: string;
  name: string;
  kind: string;
  versionId: string | null;
  from: number;
  dueAt: number;
}

describe("local control plane: the schedule of service phases", () => {
  const STARTUP = 200;
  const STEP = 40;
  const plane = withLocalPlane({ startupMs: STARTUP, rolloutStepMs: STEP, jitter: { percent: 20, seed: 7 } });
  const a = () => api(plane());
  let d: PlaneDefaults;
  const schedule = async (): Promise<Scheduled[]> => (await a().get("/_local/services/schedule")).body;
  const getService = async (id: string) => (await a().get(`/api/v2/services-v2/${id}`)).body.result;

  beforeAll(async () => {
    d = await planeDefaults(a());
  });

  test("a start, a rollout and a termination are each one chain from the write to a scheduled rest", async () => {
    expect((await a().del("/_local/services/schedule")).status).toBe(204);
    const sentAt = Date.now();
    const created = (await a().put("/api/v2/services-v2/apply", applyBody(d, "sched-svc"))).body.result;
    await waitUntil(async () => (await getService(created.id)).current_state === "RUNNING");
    let entries = await schedule();
    expect(entries.map((e) => e.kind)).toEqual(["starting", "settled"]);
    const [start, rest] = entries;
    expect(start).toMatchObject({ serviceId: created.id, name: "sched-svc" });
    expect(start.from).toBeGreaterThanOrEqual(sentAt);
    // The drawn start is within ±20% of the base, and the rest comes exactly at its due time.
    expect(start.dueAt - start.from).toBeGreaterThanOrEqual(STARTUP * 0.8 - 1);
    expect(start.dueAt - start.from).toBeLessThanOrEqual(STARTUP * 1.2 + 1);
    expect(rest.from).toBe(start.dueAt);

    await a().del("/_local/services/schedule");
    await a().put("/api/v2/services-v2/apply", applyBody(d, "sched-svc", { version: "v2" }, "app:v2"));
    await waitUntil(async () => {
      const s = await getService(created.id);
      return s.current_state === "RUNNING" && s.primary_version.version === "v2";
    });
    entries = await schedule();
    expect(entries[0].kind).toBe("canary_starting");
    expect(entries.slice(1, -1).every((e) => e.kind === "canary_step")).toBe(true);
    expect(entries[entries.length - 1].kind).toBe("settled");
    // Each timed phase begins where the previous one was due: the chain is the plane's own time.
    for (let i = 1; i < entries.length; i++) expect(entries[i].from).toBe(entries[i - 1].dueAt);

    await a().del("/_local/services/schedule");
    await a().post(`/api/v2/services-v2/${created.id}/terminate`);
    await waitUntil(async () => (await getService(created.id)).current_state === "TERMINATED");
    entries = await schedule();
    expect(entries.map((e) => e.kind)).toEqual(["terminating", "settled"]);
    expect(entries[1].from).toBe(entries[0].dueAt);
  });

  test("the schedule is an admin route: not in the request log", async () => {
    await a().del("/_local/requests");
    await schedule();
    const log = (await a().get("/_local/requests")).body as Array<{ path: string }>;
    expect(log.filter((e) => e.path.startsWith("/_local/"))).toEqual([]);
  });
});
