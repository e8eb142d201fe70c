import * as fs from "node:fs";
import { measuredRun, spread, type PeerPhase, type PeerRun } from "./lib/peer-measure";
import { pulumiTool, resolvePeerIds, tofuTool, type PeerTool } from "./lib/peer-tools";
import type { Report } from "./lib/report";
import { median } from "./lib/stats";
import { PLATFORM_TIMINGS, QUICK_TIMINGS, startPlane, type BenchPlane } from "./lib/waits";

// Side by side with Anyscale's Terraform provider (on demand: `npm run bench -- terraform-peer`).
// The same local plane (a version starts in 60 s ± 20%, seeded; canary steps 10 s ± 20%), N services
// (BENCH_PEER_SERVICES, default 20), and for each tool: create, update to a new image, destroy,
// BENCH_PEER_ROUNDS rounds (default 3; the order of the tools alternates per round), at equal
// parallelism (20) and at each tool's default (no flag). Figures per row, each against a baseline of
// the same run: the platform's own floor for that phase (the slowest service's scheduled time,
// GET /_local/services/schedule), time minus floor, ours / Terraform, launch to first API write, and
// requests per service (the plane's request log).
// ANYSCALE_TF_PROVIDER names a built terraform-provider-anyscale binary; without it only our rows
// are printed. BENCH_PEER_MODES=equal,defaults picks the modes; BENCH_PEER_DEFAULT_ROUNDS sets the
// rounds at defaults (default: the same); BENCH_PEER_DEADLINE (a time) starts no round that the
// previous round of its mode says would end after it; BENCH_QUICK divides the platform timings by 10.

const EQUAL_PARALLELISM = 20;
const GOALS = { overFloorMs: 3000, ratioEqual: 0.95, ratioDefaults: 1.0, firstWriteMs: 1500 };
const PHASES: PeerPhase[] = ["create", "update", "destroy"];
const PHASE_LABEL: Record<PeerPhase, string> = { create: "create", update: "update to a new image", destroy: "destroy" };

interface Mode {
  name: "equal" | "defaults";
  label: string;
  parallelism: number | undefined;
  rounds: number;
}

type Runs = Record<PeerPhase, PeerRun[]>;
const emptyRuns = (): Runs => ({ create: [], update: [], destroy: [] });
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const x = (r: number) => `${r.toFixed(2)}x`;

export async function terraformPeerBench(report: Report): Promise<void> {
  const services = Number(process.env.BENCH_PEER_SERVICES ?? 20);
  const rounds = Number(process.env.BENCH_PEER_ROUNDS ?? 3);
  const quick = process.env.BENCH_QUICK === "1";
  const timings = quick ? QUICK_TIMINGS : PLATFORM_TIMINGS;
  const wanted = (process.env.BENCH_PEER_MODES ?? "equal,defaults").split(",");
  const known: Mode[] = [
    { name: "equal", label: `parallelism ${EQUAL_PARALLELISM} both`, parallelism: EQUAL_PARALLELISM, rounds },
    { name: "defaults", label: "each tool's default parallelism", parallelism: undefined, rounds: Number(process.env.BENCH_PEER_DEFAULT_ROUNDS ?? rounds) },
  ];
  // In the order named, so a run with a deadline spends its time on the modes named first.
  const modes = wanted.map((name) => known.find((mode) => mode.name === name)).filter((mode): mode is Mode => mode !== undefined);
  const deadline = process.env.BENCH_PEER_DEADLINE ? Date.parse(process.env.BENCH_PEER_DEADLINE) : Infinity;
  const bench = `terraform-peer (${services} services, ${s(timings.startupMs)} ±20% starts${quick ? ", quick: /10 timings" : ""})`;
  const providerBinary = process.env.ANYSCALE_TF_PROVIDER;
  if (!providerBinary || !fs.existsSync(providerBinary)) {
    report.add({ bench, metric: "peer rows skipped", value: "set ANYSCALE_TF_PROVIDER to a built terraform-provider-anyscale binary" });
  }
  const plane = await startPlane(timings, { percent: 20, seed: 25 });
  const tools: PeerTool[] = [];
  try {
    const ours = await pulumiTool(plane, services, "pp");
    tools.push(ours);
    const peer = providerBinary && fs.existsSync(providerBinary) ? await tofuTool(plane, services, "tf", providerBinary, await resolvePeerIds(plane)) : undefined;
    if (peer) tools.push(peer);
    for (const mode of modes) {
      const runs = new Map<PeerTool, Runs>(tools.map((tool) => [tool, emptyRuns()]));
      let lastRoundMs = 0;
      for (let round = 0; round < mode.rounds; round++) {
        // BENCH_PEER_DEADLINE: no round starts that the previous one says would end after it.
        if (Date.now() + lastRoundMs > deadline) {
          report.add({ bench, metric: `${mode.label}: rounds run`, value: `${round} of ${mode.rounds} (BENCH_PEER_DEADLINE)` });
          break;
        }
        const started = Date.now();
        // Alternating order, so load from elsewhere on the machine hits both sides alike.
        for (const tool of round % 2 === 0 ? tools : [...tools].reverse()) {
          for (const phase of PHASES) runs.get(tool)![phase].push(await loggedRun(plane, tool, phase, mode, `${mode.name} round ${round + 1}/${mode.rounds}`, services));
        }
        lastRoundMs = Date.now() - started;
      }
      if (runs.get(ours)!.create.length) reportMode(report, bench, mode, runs.get(ours)!, peer ? runs.get(peer) : undefined);
    }
  } finally {
    for (const tool of tools) await tool.dispose().catch(() => undefined);
    await plane.dispose();
  }
}

/** One run, with where its requests went (and any refused) on stderr; every service must have gone through the phase. */
async function loggedRun(plane: BenchPlane, tool: PeerTool, phase: PeerPhase, mode: Mode, where: string, services: number): Promise<PeerRun> {
  const log = (line: string) => process.stderr.write(`[bench] terraform-peer: ${where}: ${tool.label} ${phase}${line}\n`);
  log("");
  const run = await measuredRun(plane, tool, phase, mode.parallelism).catch((error: Error) => {
    // The report keeps the first line; the tool's own output goes to stderr in full.
    log(` failed:\n${error.message}`);
    throw error;
  });
  log(`: ${s(run.wallMs)}, floor ${s(run.floorMs)}, first write ${s(run.firstWriteMs)}, requests ${JSON.stringify(run.byPath)}`);
  if (Object.keys(run.refused).length) log(`: answers >= 400: ${JSON.stringify(run.refused)}`);
  if (run.scheduled !== services) throw new Error(`${tool.label} ${phase}: the plane scheduled ${run.scheduled} of ${services} services`);
  return run;
}

function reportMode(report: Report, bench: string, mode: Mode, ours: Runs, peer: Runs | undefined): void {
  const add = (metric: string, value: string, goal?: string, met?: boolean) => report.add({ bench, metric: `${mode.label}, ${metric}`, value, goal, met });
  const equal = mode.name === "equal";
  for (const phase of PHASES) {
    const label = `${PHASE_LABEL[phase]} (${ours[phase].length} round${ours[phase].length === 1 ? "" : "s"})`;
    const figures = (runs: PeerRun[]) => ({
      wall: runs.map((r) => r.wallMs),
      floor: runs.map((r) => r.floorMs),
      over: runs.map((r) => r.wallMs - r.floorMs),
      firstWrite: runs.map((r) => r.firstWriteMs),
      perService: runs.map((r) => r.requests),
    });
    const o = figures(ours[phase]);
    const services = (runs: PeerRun[]) => runs[0]?.scheduled ?? 1;
    const perService = (runs: PeerRun[], f: ReturnType<typeof figures>) => f.perService.map((n) => n / services(runs));
    add(`${label}: wall time, ours`, spread(o.wall, s));
    add(`${label}: platform floor (slowest scheduled service), ours`, spread(o.floor, s));
    add(`${label}: time − floor, ours`, spread(o.over, s), equal ? `<= ${s(GOALS.overFloorMs)}` : undefined, equal ? median(o.over) <= GOALS.overFloorMs : undefined);
    add(`${label}: launch → first API write, ours`, spread(o.firstWrite, s), `<= ${s(GOALS.firstWriteMs)}`, median(o.firstWrite) <= GOALS.firstWriteMs);
    if (!peer) {
      add(`${label}: requests per service, ours`, spread(perService(ours[phase], o), (v) => v.toFixed(2)));
      continue;
    }
    const t = figures(peer[phase]);
    add(`${label}: wall time, Terraform`, spread(t.wall, s));
    add(`${label}: platform floor, Terraform`, spread(t.floor, s));
    add(`${label}: time − floor, Terraform`, spread(t.over, s));
    // Paired by round: each round's two runs met the same machine load.
    const ratios = o.wall.map((ms, i) => ms / t.wall[i]);
    const ratioGoal = equal ? GOALS.ratioEqual : GOALS.ratioDefaults;
    add(`${label}: time ours / Terraform`, spread(ratios, x), `<= ${x(ratioGoal)}`, median(ratios) <= ratioGoal);
    add(`${label}: launch → first API write, Terraform`, spread(t.firstWrite, s));
    const ourRequests = perService(ours[phase], o);
    const peerRequests = perService(peer[phase], t);
    add(`${label}: requests per service, ours / Terraform`, `${spread(ourRequests, (v) => v.toFixed(2))} / ${spread(peerRequests, (v) => v.toFixed(2))}`, "ours < Terraform", median(ourRequests) < median(peerRequests));
  }
}
