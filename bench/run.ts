import { Report } from "./lib/report";
import { nativePluginBench } from "./native-plugin.bench";
import { noopPreviewBench } from "./noop-preview.bench";
import { rayRuntimeBench } from "./ray-runtime.bench";
import { sourceHashBench } from "./source-hash.bench";
import { scaleBench } from "./scale.bench";
import { startBench } from "./start.bench";
import { stateBytesBench } from "./state-bytes.bench";
import { terraformPeerBench } from "./terraform-peer.bench";
import { waitsBench } from "./waits.bench";

// Runs the benchmarks (all, or those named on the command line) and prints one table of figures.

const BENCHES: Record<string, (report: Report) => Promise<void>> = {
  "state-bytes": stateBytesBench,
  waits: waitsBench,
  "noop-preview": noopPreviewBench,
  "native-plugin": nativePluginBench,
  "ray-runtime": rayRuntimeBench,
  "source-hash": sourceHashBench,
  scale: scaleBench,
  start: startBench,
  "terraform-peer": terraformPeerBench,
};
/** On demand only (named on the command line): minutes of work at hundreds of objects. */
const ON_DEMAND = new Set(["scale", "terraform-peer"]);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // --quick: platform timings divided by 10 in the wait benchmark (figures labelled so).
  if (args.includes("--quick")) process.env.BENCH_QUICK = "1";
  const wanted = args.filter((arg) => arg !== "--quick");
  const unknown = wanted.filter((name) => !(name in BENCHES));
  if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
  const report = new Report();
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (wanted.length ? !wanted.includes(name) : ON_DEMAND.has(name)) continue;
    process.stderr.write(`[bench] running ${name}\n`);
    try {
      await bench(report);
    } catch (error) {
      report.add({ bench: name, metric: "run", value: `FAILED: ${String((error as Error).message ?? error).split("\n")[0].slice(0, 160)}`, met: false });
    }
  }
  report.print();
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
