import { api } from "../test/helpers/local-plane";
import { REPO_ROOT } from "../test/helpers/pulumi";
import type { Report } from "./lib/report";
import { max, median, seconds } from "./lib/stats";
import { REALISTIC_TIMINGS, startBenchPlane } from "./lib/stacks";

// Readiness detection: from the moment the platform marks a new service RUNNING (its RUNNING event)
// to the moment the provider's create returns. The provider runs in this process, with its default
// polling schedule (what users get), against a plane where a version takes 1.5 s to start.

const SAMPLES = 5;
const GOAL_MEDIAN_MS = 1000;
const OFFICIAL_POLL_S = 10;

export async function readinessBench(report: Report): Promise<void> {
  const plane = await startBenchPlane(REALISTIC_TIMINGS);
  const savedPoll = process.env.ANYSCALE_POLL_INTERVAL_MS;
  delete process.env.ANYSCALE_POLL_INTERVAL_MS;
  try {
    const provider = require(`${REPO_ROOT}/dist/provider/service/dynamic`);
    const config = new Map([["anyscale:host", plane.url], ["anyscale:token", plane.token]]);
    await provider.configure({ config: { get: (key: string) => config.get(key) } });
    const lags: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const inputs = { name: `ready-${i}`, imageUri: "anyscale/ray:2.48.0-py311", applications: [{ name: "app", import_path: "main:app", route_prefix: "/" }] };
      const checked = await provider.check({}, inputs);
      if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
      const created = await provider.create(checked.inputs);
      const returnedAt = Date.now();
      const events = (await api(plane).get(`/api/v2/services-v2/${created.id}/events?count=50`)).body.results as any[];
      const running = events.find((e) => e.event_type === "RUNNING");
      if (!running) throw new Error(`no RUNNING event for ${created.id}`);
      lags.push(returnedAt - Date.parse(running.created_at));
    }
    report.add({ bench: "readiness", metric: `RUNNING -> provider returns, median of ${SAMPLES} (default polling)`, value: seconds(median(lags)), goal: "< 1 s", met: median(lags) < GOAL_MEDIAN_MS });
    report.add({ bench: "readiness", metric: "RUNNING -> provider returns, worst", value: seconds(max(lags)) });
    report.add({ bench: "readiness", metric: `fixed ${OFFICIAL_POLL_S} s polling (computed, not measured): expected / worst`, value: `${seconds((OFFICIAL_POLL_S * 1000) / 2)} / ${seconds(OFFICIAL_POLL_S * 1000)}` });
  } finally {
    if (savedPoll !== undefined) process.env.ANYSCALE_POLL_INTERVAL_MS = savedPoll;
    await plane.stop();
  }
}
