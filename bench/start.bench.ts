import { runCommand } from "../test/helpers/pulumi";
import { anyscaleProgram, noopProgram } from "./lib/programs";
import type { Report } from "./lib/report";
import { median, seconds } from "./lib/stats";
import { benchProject, clearRequestLog, FAST_TIMINGS, requestLog, startBenchPlane } from "./lib/stacks";

// Where `pulumi up` of one Service spends its start, through the TypeScript classes, against a plane
// with fast timings (the wait itself is not the subject): time from launch to the first API write and to
// exit, median of RUNS, for a plain `up`, `up --skip-preview`, and `up` launched with SIGINT ignored (a
// background step in a script without job control, as CI steps often are). Baseline in the same run: an
// `up` of one no-op dynamic resource (the engine's own floor). BENCH_ENGINE_BIN_DIR puts another engine
// build first on PATH (to compare language hosts).

const RUNS = 3;

export async function startBench(report: Report): Promise<void> {
  const plane = await startBenchPlane(FAST_TIMINGS);
  const binDir = process.env.BENCH_ENGINE_BIN_DIR;
  try {
    const project = await benchProject("start-anyscale", anyscaleProgram("st", { services: 1, jobs: 0 }), plane);
    const baseline = await benchProject("start-baseline", noopProgram("sb", 1), plane);
    const env = (p: typeof project) => ({ ...p.env, ...(binDir ? { PATH: `${binDir}:${p.env.PATH}` } : {}) });
    const up = async (p: typeof project, variant: string): Promise<{ total: number; firstWrite?: number }> => {
      await clearRequestLog(plane);
      const args = ["up", "--yes", "--non-interactive", "--stack", p.stack, ...(variant === "skip-preview" ? ["--skip-preview"] : [])];
      const started = Date.now();
      if (variant === "sigint-ignored") await runCommand("bash", ["-c", 'trap "" INT; exec pulumi "$@"', "bash", ...args], { cwd: p.dir, env: env(p) });
      else await runCommand("pulumi", args, { cwd: p.dir, env: env(p) });
      const total = Date.now() - started;
      const write = (await requestLog(plane)).find((e) => e.method !== "GET" && e.path.startsWith("/api/v2/services-v2"));
      await runCommand("pulumi", ["destroy", "--yes", "--non-interactive", "--stack", p.stack], { cwd: p.dir, env: env(p) });
      return { total, firstWrite: write ? Date.parse(write.ts) - started : undefined };
    };
    const bench = `start (1 Service, TypeScript classes${binDir ? `, engine ${binDir}` : ""})`;
    for (const variant of ["up", "skip-preview", "sigint-ignored"]) {
      const ours: Array<{ total: number; firstWrite?: number }> = [];
      const floor: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        ours.push(await up(project, variant));
        floor.push((await up(baseline, variant)).total);
      }
      const firstWrites = ours.map((o) => o.firstWrite).filter((ms): ms is number => ms !== undefined);
      report.add({ bench, metric: `${variant}: first API write / exit (median of ${RUNS})`, value: `${seconds(median(firstWrites))} / ${seconds(median(ours.map((o) => o.total)))}` });
      report.add({ bench, metric: `${variant}: exit of the same up with one no-op dynamic resource (floor)`, value: seconds(median(floor)) });
    }
    project.remove();
    baseline.remove();
  } finally {
    await plane.stop();
  }
}
