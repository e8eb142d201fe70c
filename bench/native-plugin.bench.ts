import { nativePluginDir } from "../test/helpers/native-plugin";
import { anyscaleProgram, nativePluginProgram } from "./lib/programs";
import type { Report } from "./lib/report";
import { median, ratio, seconds, timed } from "./lib/stats";
import { benchProject, FAST_TIMINGS, startBenchPlane } from "./lib/stacks";
import type { PulumiProject } from "../test/helpers/pulumi";

// The native plugin against the dynamic host, in one run, on the same 20 Services and the same
// Node.js program runtime: no-op preview wall time, and state bytes per Service.

const SERVICES = 20;
const RUNS = 3;

async function serviceStateBytes(project: PulumiProject): Promise<number> {
  const { stdout } = await project.pulumi(["stack", "export", "--stack", project.stack]);
  const resources = (JSON.parse(stdout).deployment.resources as { type: string }[]).filter((r) => r.type.endsWith("anyscale:Service") || r.type === "anyscale:index:Service");
  return resources.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / resources.length;
}

export async function nativePluginBench(report: Report): Promise<void> {
  const plane = await startBenchPlane(FAST_TIMINGS);
  try {
    const dynamicStack = await benchProject("host-dynamic", anyscaleProgram("hd", { services: SERVICES, jobs: 0 }), plane);
    const pluginStack = await benchProject("host-plugin", nativePluginProgram("hp", SERVICES, await nativePluginDir()), plane);
    await dynamicStack.up();
    await pluginStack.up();
    const dynamicTimes: number[] = [];
    const pluginTimes: number[] = [];
    // Interleaved, so load from elsewhere on the machine hits both sides alike.
    for (let run = 0; run < RUNS; run++) {
      dynamicTimes.push((await timed(() => dynamicStack.pulumi(["preview", "--expect-no-changes", "--stack", dynamicStack.stack]))).ms);
      pluginTimes.push((await timed(() => pluginStack.pulumi(["preview", "--expect-no-changes", "--stack", pluginStack.stack]))).ms);
    }
    report.add({ bench: "plugin vs dynamic", metric: `no-op preview of ${SERVICES} Services, median of ${RUNS} (native plugin)`, value: seconds(median(pluginTimes)) });
    report.add({ bench: "plugin vs dynamic", metric: `no-op preview of ${SERVICES} Services, median of ${RUNS} (dynamic host)`, value: seconds(median(dynamicTimes)) });
    report.add({ bench: "plugin vs dynamic", metric: "no-op preview time, plugin / dynamic", value: ratio(median(pluginTimes), median(dynamicTimes)) });
    const pluginBytes = await serviceStateBytes(pluginStack);
    const dynamicBytes = await serviceStateBytes(dynamicStack);
    report.add({ bench: "plugin vs dynamic", metric: "state bytes per Service (native plugin)", value: `${Math.round(pluginBytes)} B` });
    report.add({ bench: "plugin vs dynamic", metric: "state bytes per Service (dynamic host, serialized provider included)", value: `${Math.round(dynamicBytes)} B` });
    report.add({ bench: "plugin vs dynamic", metric: "state bytes per Service, plugin / dynamic", value: ratio(pluginBytes, dynamicBytes) });
    for (const stack of [dynamicStack, pluginStack]) {
      await stack.destroy({ allowFailure: true });
      stack.remove();
    }
  } finally {
    await plane.stop();
  }
}
