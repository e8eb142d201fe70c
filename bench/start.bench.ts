import { nativePluginDir } from "../test/helpers/native-plugin";
import { runCommand, type PulumiProject } from "../test/helpers/pulumi";
import { anyscaleProgram, noopProgram, yamlPluginProgram, type ProgramFiles } from "./lib/programs";
import type { Report } from "./lib/report";
import { median, seconds } from "./lib/stats";
import { benchProject, clearRequestLog, FAST_TIMINGS, requestLog, startBenchPlane } from "./lib/stacks";

// Where `pulumi up` of one Service spends its start, against a plane with fast timings (the wait itself
// is not the subject): time from launch to the first API write and to exit, median of RUNS, runs of
// each setup interleaved with its floor so load from elsewhere hits both alike. Setups:
// - a Pulumi YAML program with the plugin installed the Pulumi way (`pulumi plugin install --file` of
//   the archive scripts/build-plugin.sh makes; PLUGIN_ARCHIVE): the engine caches the schema of an
//   installed plugin, so `up` starts the plugin twice (preview, update). Floor: the same engine and
//   language host running a YAML program with no resources. Goal: first write <= 1.5 s (issue 25).
// - the same program finding the plugin in node_modules (`plugins: providers: path:`): an unversioned
//   plugin's schema is not cached, so each phase starts it once more to ask for it.
// - the TypeScript classes (dynamic host); floor: one no-op dynamic resource.
// Modes: `up`, `up --skip-preview`, and (TypeScript) `up` launched with SIGINT ignored (a background step
// in a script without job control, as CI steps often are). BENCH_ENGINE_BIN_DIR puts another engine
// build first on PATH (to compare language hosts).

const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const FIRST_WRITE_GOAL_MS = 1500;
type Mode = "up" | "skip-preview" | "sigint-ignored";

interface Setup {
  label: string;
  program: ProgramFiles;
  floor: ProgramFiles;
  modes: Mode[];
  goal?: boolean;
  installArchive?: string;
}

function withoutPluginPath(files: ProgramFiles): ProgramFiles {
  return { ...files, "Pulumi.yaml": files["Pulumi.yaml"].replace(/plugins:\n( {2}.*\n)+/, "") };
}

async function setups(): Promise<Setup[]> {
  const pluginDir = await nativePluginDir();
  const archive = process.env.PLUGIN_ARCHIVE;
  const yamlFloor = yamlPluginProgram("sy0", 0, pluginDir);
  return [
    ...(archive
      ? [{ label: "YAML, plugin installed", program: withoutPluginPath(yamlPluginProgram("sy", 1, pluginDir)), floor: withoutPluginPath(yamlFloor), modes: ["up", "skip-preview"] as Mode[], goal: true, installArchive: archive }]
      : []),
    { label: "YAML, plugin from node_modules", program: yamlPluginProgram("sp", 1, pluginDir), floor: yamlFloor, modes: ["up", "skip-preview"] },
    { label: "TypeScript classes", program: anyscaleProgram("st", { services: 1, jobs: 0 }), floor: noopProgram("sb", 1), modes: ["up", "skip-preview", "sigint-ignored"] },
  ];
}

export async function startBench(report: Report): Promise<void> {
  const plane = await startBenchPlane(FAST_TIMINGS);
  const binDir = process.env.BENCH_ENGINE_BIN_DIR;
  if (!process.env.PLUGIN_ARCHIVE) report.add({ bench: "start", metric: "YAML with the plugin installed", value: "skipped: PLUGIN_ARCHIVE unset (scripts/bench.sh sets it)" });
  try {
    for (const setup of await setups()) {
      const project = await benchProject(`start-${setup.label.replace(/\W+/g, "-")}`, setup.program, plane);
      const floorProject = await benchProject(`start-floor-${setup.label.replace(/\W+/g, "-")}`, setup.floor, plane);
      const env = (p: PulumiProject) => ({ ...p.env, ...(binDir ? { PATH: `${binDir}:${p.env.PATH}` } : {}) });
      if (setup.installArchive) {
        for (const p of [project, floorProject]) await runCommand("pulumi", ["plugin", "install", "resource", "anyscale", `v${process.env.PLUGIN_VERSION ?? "0.1.0"}`, "--file", setup.installArchive], { cwd: p.dir, env: env(p) });
      }
      const up = async (p: PulumiProject, mode: Mode): Promise<{ total: number; firstWrite?: number }> => {
        await clearRequestLog(plane);
        const args = ["up", "--yes", "--non-interactive", "--stack", p.stack, ...(mode === "skip-preview" ? ["--skip-preview"] : [])];
        const started = Date.now();
        if (mode === "sigint-ignored") await runCommand("bash", ["-c", 'trap "" INT; exec pulumi "$@"', "bash", ...args], { cwd: p.dir, env: env(p) });
        else await runCommand("pulumi", args, { cwd: p.dir, env: env(p) });
        const total = Date.now() - started;
        // The first write of a create is the image's build lookup or the apply, whichever comes first.
        const write = (await requestLog(plane)).find((e) => e.method !== "GET");
        await runCommand("pulumi", ["destroy", "--yes", "--non-interactive", "--stack", p.stack], { cwd: p.dir, env: env(p) });
        return { total, firstWrite: write ? Date.parse(write.ts) - started : undefined };
      };
      const bench = `start (1 Service, ${setup.label}${binDir ? `, engine ${binDir}` : ""})`;
      for (const mode of setup.modes) {
        const ours: Array<{ total: number; firstWrite?: number }> = [];
        const floor: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          ours.push(await up(project, mode));
          floor.push((await up(floorProject, mode)).total);
        }
        const firstWrite = median(ours.map((o) => o.firstWrite).filter((ms): ms is number => ms !== undefined));
        const goal = setup.goal && mode === "up";
        report.add({
          bench,
          metric: `${mode}: first API write / exit (median of ${RUNS})`,
          value: `${seconds(firstWrite)} / ${seconds(median(ours.map((o) => o.total)))}`,
          ...(goal ? { goal: `first write <= ${seconds(FIRST_WRITE_GOAL_MS)}`, met: firstWrite <= FIRST_WRITE_GOAL_MS } : {}),
        });
        report.add({ bench, metric: `${mode}: exit of the floor (same engine and language, nothing to create)`, value: seconds(median(floor)) });
        report.add({ bench, metric: `${mode}: first write − floor's exit`, value: seconds(firstWrite - median(floor)) });
      }
      project.remove();
      floorProject.remove();
    }
  } finally {
    await plane.stop();
  }
}
