import { anyscaleProgram, noopProgram } from "./lib/programs";
import type { Report } from "./lib/report";
import { median, ratio, seconds, timed } from "./lib/stats";
import { benchProject, clearRequestLog, FAST_TIMINGS, requestLog, startBenchPlane } from "./lib/stacks";

// No-op `pulumi preview` of 50 Services + 50 Jobs: API requests made (goal 0) and wall time as a
// ratio to the same engine previewing 100 dynamic resources whose provider does nothing (goal <= 1.3x).
// Creation speed is not measured here, so the plane runs with fast timings.

const RUNS = 3;
const GOAL_RATIO = 1.3;

export async function noopPreviewBench(report: Report): Promise<void> {
  const plane = await startBenchPlane(FAST_TIMINGS);
  try {
    const stack = await benchProject("noop-anyscale", anyscaleProgram("np", { services: 50, jobs: 50 }), plane);
    const baseline = await benchProject("noop-baseline", noopProgram("nb", 100), plane);
    await stack.up();
    await baseline.up();

    const anyscaleTimes: number[] = [];
    const baselineTimes: number[] = [];
    let requestsDuringPreviews = 0;
    // Interleaved, so load from elsewhere on the machine hits both sides alike.
    for (let run = 0; run < RUNS; run++) {
      await clearRequestLog(plane);
      anyscaleTimes.push((await timed(() => stack.pulumi(["preview", "--stack", stack.stack]))).ms);
      requestsDuringPreviews += (await requestLog(plane)).length;
      baselineTimes.push((await timed(() => baseline.pulumi(["preview", "--stack", baseline.stack]))).ms);
    }
    const requestsPerPreview = requestsDuringPreviews / RUNS;
    report.add({ bench: "no-op preview", metric: "API requests per preview (50 services + 50 jobs)", value: String(requestsPerPreview), goal: "0", met: requestsPerPreview === 0 });
    report.add({ bench: "no-op preview", metric: "wall time, median of 3 (pulumi-anyscale)", value: seconds(median(anyscaleTimes)) });
    report.add({ bench: "no-op preview", metric: "wall time, median of 3 (100 no-op dynamic resources)", value: seconds(median(baselineTimes)) });
    const r = median(anyscaleTimes) / median(baselineTimes);
    report.add({ bench: "no-op preview", metric: "ratio to the no-op baseline", value: ratio(median(anyscaleTimes), median(baselineTimes)), goal: `<= ${GOAL_RATIO}x`, met: r <= GOAL_RATIO });

    await stack.destroy({ allowFailure: true });
    await baseline.destroy({ allowFailure: true });
    stack.remove();
    baseline.remove();
  } finally {
    await plane.stop();
  }
}
