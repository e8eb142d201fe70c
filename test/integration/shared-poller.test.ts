// The shared poller against the real local control plane: many waits in one process cost one list
// request per round (not one read per resource per poll), a single 429's Retry-After holds every
// request of the process, and the plane stopped and restarted mid-wait fails nothing. Assertions read
// the plane's own request log; none depends on how fast this machine is.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AnyscaleClient } from "../../provider/anyscale/client";
import { observerFor } from "../../provider/anyscale/watch";
import { clearLookupCache } from "../../provider/anyscale/connect";
import * as serviceProvider from "../../provider/service/dynamic";
import { checked, configureFor, type ProviderModule } from "../helpers/provider-driver";
import { api, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { scope } from "./job-helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: ProviderModule = require("../../provider/job/dynamic");

jest.setTimeout(120_000);

const TOKEN = "sss_shared_poller_token_0123456";
const POLL_MS = 100;
const SERVICES = "/api/v2/services-v2/";
const JOBS = "/api/v2/decorated_ha_jobs/";

interface LogEntry {
  ts: string;
  method: string;
  path: string;
  status: number;
  client: string | null;
  body?: any;
  query?: Record<string, string | string[]>;
}

let plane: TestPlane;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-poller-"));
  plane = await startTestPlane({ dataDir, token: TOKEN, startupMs: 1500, rolloutStepMs: 30, jobStartupMs: 800 });
  port = Number(new URL(plane.url).port);
  await configureFor(serviceProvider, plane, { pollIntervalMs: POLL_MS });
  await configureFor(jobProvider, plane, { pollIntervalMs: POLL_MS });
});

afterAll(async () => {
  await plane?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await api(plane).del("/_local/faults");
});

const observer = () => observerFor(new AnyscaleClient({ host: plane.url, token: TOKEN }));

async function requestLog(): Promise<LogEntry[]> {
  const body = (await api(plane).get("/_local/requests")).body;
  return (Array.isArray(body) ? body : body.result) as LogEntry[];
}

const isProvider = (entry: LogEntry) => entry.client === "pulumi-anyscale";
const isServiceRead = (entry: LogEntry) => entry.method === "GET" && entry.path.startsWith(SERVICES.slice(0, -1)) && !entry.path.includes("/versions");
const isJobRead = (entry: LogEntry) => entry.method === "GET" && entry.path.startsWith(JOBS.slice(0, -1));
const isList = (entry: LogEntry, prefix: string) => entry.path === prefix || entry.path === prefix.slice(0, -1);

function service(name: string) {
  return { name, applications: [{ name: "default", import_path: "main:app" }], imageUri: "anyscale/ray:2.49.0-py311" };
}

async function createServices(names: string[]): Promise<Array<{ id: string; outs?: Record<string, any> }>> {
  const inputs = await Promise.all(names.map((name) => checked(serviceProvider, service(name))));
  return Promise.all(inputs.map((input) => serviceProvider.create(input)));
}

async function appliesSeen(names: string[]): Promise<boolean> {
  const applied = new Set((await requestLog()).filter((e) => e.path.endsWith("/apply") && e.status < 300).map((e) => e.body?.name));
  return names.every((name) => applied.has(name));
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("condition never held");
}

async function versionsOf(id: string): Promise<number> {
  return (await api(plane).get(`${SERVICES}${id}/versions`)).body.results.length;
}

describe("one shared poller per provider process", () => {
  test("12 services and 6 jobs waiting together: every status read is a list round shared by all of them", async () => {
    await api(plane).del("/_local/requests");
    const before = { ...observer().stats };
    const names = Array.from({ length: 12 }, (_, i) => `poller-rate-${i}`);
    const jobInputs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => checked(jobProvider, { entrypoint: `echo job-${i}`, submissionScope: scope(`poller-job-${i}`), maxRetries: 0 })),
    );
    const [services, jobs] = await Promise.all([createServices(names), Promise.all(jobInputs.map((input) => jobProvider.create(input)))]);
    expect(services.every((s) => s.outs?.state === "RUNNING")).toBe(true);
    expect(jobs.every((j) => j.outs?.state === "SUCCEEDED")).toBe(true);

    const log = (await requestLog()).filter(isProvider);
    const serviceReads = log.filter(isServiceRead);
    // The observer's lists are the sorted ones; a create's own by-name lookup is a list too, but not a poll.
    const serviceLists = serviceReads.filter((e) => isList(e, SERVICES) && e.query?.sort_field !== undefined);
    const jobReads = log.filter(isJobRead);
    const stats = observer().stats;
    const rounds = stats.rounds - before.rounds;
    const polled = stats.requests - before.requests;

    // Waiting never reads a service by id: the list pages answer for all 12.
    expect(serviceReads.filter((e) => !isList(e, SERVICES))).toEqual([]);
    // At most one service list and one job list per round, whatever the number of waiters.
    expect(serviceLists.length).toBeLessThanOrEqual(rounds);
    expect(polled).toBeLessThanOrEqual(2 * rounds);
    // Per-resource polling would have read each of the 18 resources once per round.
    expect(polled).toBeLessThan(18 * rounds);
    // The job reads outside the shared rounds are the final describe of each job (one each).
    expect(jobReads.filter((e) => !isList(e, JOBS)).length).toBeLessThanOrEqual(jobs.length);
    // The process-wide bucket: no 1 s window of the log holds more polls than rate + burst.
    const pollTimes = [...serviceLists, ...jobReads.filter((e) => isList(e, JOBS) && e.query?.sort_field === "CREATED_AT")].map((e) => Date.parse(e.ts)).sort((a, b) => a - b);
    const options = { rate: Math.max(2, (2 * 1000) / POLL_MS), burst: 4 };
    let maxInWindow = 0;
    for (let i = 0, j = 0; i < pollTimes.length; i++) {
      while (pollTimes[i] - pollTimes[j] >= 1000) j++;
      maxInWindow = Math.max(maxInWindow, i - j + 1);
    }
    expect(maxInWindow).toBeLessThanOrEqual(options.rate + options.burst);
  });

  test("one 429 with Retry-After holds every request of the process, then every wait still succeeds", async () => {
    const names = Array.from({ length: 6 }, (_, i) => `poller-429-${i}`);
    await api(plane).del("/_local/requests");
    const created = createServices(names);
    await until(() => appliesSeen(names));
    await api(plane).post("/_local/faults", { kinds: ["429"], everyNth: 1, limit: 1, retryAfterS: 2, pathPrefix: "/api/v2/services-v2", method: "GET" });
    const results = await created;
    expect(results.every((s) => s.outs?.state === "RUNNING")).toBe(true);

    const log = (await requestLog()).filter(isProvider);
    const limited = log.filter((e) => e.status === 429);
    expect(limited).toHaveLength(1);
    const pausedAt = Date.parse(limited[0].ts);
    const after = log.filter((e) => Date.parse(e.ts) > pausedAt);
    expect(after.length).toBeGreaterThan(0);
    // Nothing from this process, on any path, inside the 2 s the server asked for (log times are ms).
    const earliest = Math.min(...after.map((e) => Date.parse(e.ts)));
    expect(earliest - pausedAt).toBeGreaterThanOrEqual(2000 - 5);
  });

  test("the plane stopped and restarted on the same data dir mid-wait: no wait fails, no version is applied twice", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `poller-outage-${i}`);
    const created = createServices(names);
    const settled = created.then(
      (value) => ({ ok: true as const, value }),
      (error) => ({ ok: false as const, error }),
    );
    await until(() => appliesSeen(names));
    await plane.stop();
    // Several failed rounds (and a stale answer to every waiter) before the plane is back.
    await until(async () => (observer().stats.failingSince !== undefined && observer().stats.failedRounds >= 3) || false);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    plane = await startTestPlane({ dataDir, port, token: TOKEN, startupMs: 1500, rolloutStepMs: 30, jobStartupMs: 800 });
    clearLookupCache();
    const outcome = await settled;
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.map((s) => s.outs?.state)).toEqual(names.map(() => "RUNNING"));
    for (const { id } of outcome.value) expect(await versionsOf(id)).toBe(1);
    const listed = (await api(plane).get(`${SERVICES}?name=poller-outage-&count=50`)).body.results;
    expect(listed).toHaveLength(names.length);
  });
});
