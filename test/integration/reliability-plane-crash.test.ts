import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, applyBody, planeDefaults, waitUntil, type ApiCaller, type PlaneDefaults } from "../helpers/local-plane";
import { killAllChildPlanes, spawnChildPlane, type ChildPlane } from "../fixtures/reliability/child-plane";

// kill -9 of the local control plane while many clients write at once: after a restart on the same
// data dir, every write the plane acknowledged (a 2xx answer) is there. The stream is long enough to
// cross the store's journal compaction (every 500 writes), where a crash would hurt most.

jest.setTimeout(180_000);
afterAll(killAllChildPlanes);

const TOKEN = "sss_reliability_crash_token_0123";
const ACKS_BEFORE_KILL = 560;
const PLANE_ARGS = ["--startup-ms", "300", "--rollout-step-ms", "50", "--job-startup-ms", "50"];

interface Ledger {
  createdServices: Map<string, string>; // id -> name
  createdQueues: Map<string, string>; // id -> name
  /** Per tagged service: the last sequence number acknowledged, and the last one sent. */
  tagSequence: Map<string, { acked: number; sent: number }>;
  acks: number;
  failures: string[];
}

/** Runs `writer` until `stop()` is true; errors from the dying plane end the loop quietly. */
async function writeUntil(stop: () => boolean, writer: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; !stop(); i++) {
    try {
      await writer(i);
    } catch {
      return; // connection refused / reset: the plane is gone
    }
  }
}

describe("local control plane: kill -9 while clients write", () => {
  test("every acknowledged write survives the crash, across a journal compaction", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "reliability-crash-"));
    const first: ChildPlane = await spawnChildPlane(dataDir, TOKEN, PLANE_ARGS);
    const a1: ApiCaller = api(first);
    const defaults: PlaneDefaults = await planeDefaults(a1);

    // Services the taggers write to, created before the storm.
    const tagged: string[] = [];
    for (let t = 0; t < 4; t++) {
      const res = await a1.put("/api/v2/services-v2/apply", applyBody(defaults, `crash-tagged-${t}`));
      expect(res.status).toBe(202);
      tagged.push(res.body.result.id);
    }

    const ledger: Ledger = { createdServices: new Map(), createdQueues: new Map(), tagSequence: new Map(), acks: 0, failures: [] };
    let killed = false;
    const stop = () => killed;
    const acknowledged = () => {
      ledger.acks += 1;
    };

    const serviceCreators = [0, 1, 2, 3].map((w) =>
      writeUntil(stop, async (i) => {
        const name = `crash-w${w}-${i}`;
        const res = await a1.put("/api/v2/services-v2/apply", applyBody(defaults, name, { tags: { writer: String(w) } }));
        if (res.status !== 202) return void ledger.failures.push(`apply ${name}: ${res.status}`);
        ledger.createdServices.set(res.body.result.id, name);
        acknowledged();
      }),
    );
    const taggers = tagged.map((serviceId) =>
      writeUntil(stop, async (i) => {
        const sequence = ledger.tagSequence.get(serviceId) ?? { acked: -1, sent: -1 };
        ledger.tagSequence.set(serviceId, sequence);
        sequence.sent = i;
        const res = await a1.put("/api/v2/tags/resource", { resource_type: "service", resource_id: serviceId, tags: { seq: String(i) } });
        if (res.status !== 200) return void ledger.failures.push(`tags ${serviceId}: ${res.status}`);
        sequence.acked = i;
        acknowledged();
      }),
    );
    const queueCreators = [0, 1].map((w) =>
      writeUntil(stop, async (i) => {
        const name = `crash-queue-${w}-${i}`;
        const res = await a1.post("/api/v2/job_queues/create", {
          job_queue_name: name,
          execution_mode: "FIFO",
          compute_config_id: defaults.computeConfigId,
          cluster_environment_build_id: defaults.buildId,
          idle_timeout_sec: 60,
          project_id: defaults.projectId,
        });
        if (res.status !== 200) return void ledger.failures.push(`queue ${name}: ${res.status}`);
        ledger.createdQueues.set(res.body.result.id, name);
        acknowledged();
      }),
    );

    const stormStarted = Date.now();
    // Kill while the writers are mid-request: no graceful shutdown, no flush.
    await waitUntil(() => ledger.acks >= ACKS_BEFORE_KILL, { timeoutMs: 120_000, intervalMs: 5, what: `${ACKS_BEFORE_KILL} acknowledged writes` });
    const stormMs = Date.now() - stormStarted;
    first.child.kill("SIGKILL");
    killed = true;
    await first.exited;
    await Promise.all([...serviceCreators, ...taggers, ...queueCreators]);
    expect(ledger.failures).toEqual([]);

    const second = await spawnChildPlane(dataDir, TOKEN, PLANE_ARGS);
    const a2 = api(second);
    try {
      const missingServices: string[] = [];
      for (const [id, name] of ledger.createdServices) {
        const res = await a2.get(`/api/v2/services-v2/${id}`);
        if (res.status !== 200 || res.body.result.name !== name) missingServices.push(`${name} (${id}): ${res.status}`);
      }
      expect(missingServices).toEqual([]);

      const missingQueues: string[] = [];
      for (const [id, name] of ledger.createdQueues) {
        const res = await a2.get(`/api/v2/job_queues/${id}`);
        if (res.status !== 200 || res.body.result.name !== name) missingQueues.push(`${name} (${id}): ${res.status}`);
      }
      expect(missingQueues).toEqual([]);

      // A tag write in flight at the kill may or may not have landed; an acknowledged one must have.
      for (const [serviceId, sequence] of ledger.tagSequence) {
        const tags = (await a2.get(`/api/v2/tags/resource?resource_type=service&resource_id=${serviceId}`)).body.result.tags;
        const seq = Number(tags.find((t: any) => t.key === "seq")?.value ?? -1);
        expect(seq).toBeGreaterThanOrEqual(sequence.acked);
        expect(seq).toBeLessThanOrEqual(sequence.sent);
      }

      // No duplicates: each acknowledged name exists exactly once.
      const names = [...ledger.createdServices.values()];
      const listed = await a2.get(`/api/v2/services-v2/?name=crash-w&count=50`);
      const listedNames: string[] = [];
      for (let token: string | undefined, page = listed; ; ) {
        listedNames.push(...page.body.results.map((s: any) => s.name));
        token = page.body.metadata?.next_paging_token ?? undefined;
        if (!token) break;
        page = await a2.get(`/api/v2/services-v2/?name=crash-w&count=50&paging_token=${encodeURIComponent(token)}`);
      }
      for (const name of names) expect(listedNames.filter((n) => n === name)).toHaveLength(1);

      // Overdue transitions catch up after the restart: every service eventually RUNNING.
      const someId = [...ledger.createdServices.keys()].pop()!;
      await waitUntil(async () => (await a2.get(`/api/v2/services-v2/${someId}`)).body.result.current_state === "RUNNING", { timeoutMs: 30_000, what: "a service created just before the kill to be RUNNING" });

      process.stdout.write(
        `[reliability] plane crash: ${ledger.acks} acknowledged writes (${ledger.createdServices.size} service applies, ${ledger.createdQueues.size} queues, ` +
          `${[...ledger.tagSequence.values()].reduce((n, s) => n + s.acked + 1, 0)} tag updates) in ${stormMs} ms before kill -9; all present after restart\n`,
      );
    } finally {
      await second.kill("SIGTERM");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
