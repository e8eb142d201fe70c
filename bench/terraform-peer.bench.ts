import * as fs from "node:fs";
import { measuredRun, spread, type PeerPhase, type PeerRun } from "./lib/peer-measure";
import { pulumiTool, resolvePeerIds, tofuTool, type PeerTool } from "./lib/peer-tools";
import type { Report } from "./lib/report";
import { median } from "./lib/stats";
import { PLATFORM_TIMINGS, QUICK_TIMINGS, startPlane } from "./lib/waits";

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
// rounds at defaults (default: the same); BENCH_QUICK divides the platform timings by 10.

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
  const modes: Mode[] = [
    { name: "equal" as const, label: `parallelism ${EQUAL_PARALLELISM} both`, parallelism: EQUAL_PARALLELISM, rounds },
    { name: "defaults" as const, label: "each tool's default parallelism", parallelism: undefined, rounds: Number(process.env.BENCH_PEER_DEFAULT_ROUNDS ?? rounds) },
  ].filter((mode) => wanted.includes(mode.name));
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
      for (let round = 0; round < mode.rounds; round++) {
        // Alternating order, so load from elsewhere on the machine hits both sides alike.
        const order = round % 2 === 0 ? tools : [...tools].reverse();
        for (const tool of order) {
          for (const phase of PHASES) {
            process.stderr.write(`[bench] terraform-peer: ${mode.name} round ${round + 1}/${mode.rounds}: ${tool.label} ${phase}\n`);
            const run = await measuredRun(plane, tool, phase, mode.parallelism).catch((error: Error) => {
              // The report keeps the first line; the tool's own output goes to stderr in full.
              process.stderr.write(`[bench] terraform-peer: ${tool.label} ${phase} failed:\n${error.message}\n`);
              throw error;
            });
            process.stderr.write(`[bench] terraform-peer: ${tool.label} ${phase}: ${(run.wallMs / 1000).toFixed(1)} s, floor ${(run.floorMs / 1000).toFixed(1)} s, requests ${JSON.stringify(run.byPath)}\n`);
            if (Object.keys(run.refused).length) process.stderr.write(`[bench] terraform-peer: ${tool.label} ${phase}: answers >= 400: ${JSON.stringify(run.refused)}\n`);
            if (run.scheduled !== services) throw new Error(`${tool.label} ${phase}: the plane scheduled ${run.scheduled} of ${services} services`);
            runs.get(tool)![phase].push(run);
          }
        }
      }
      reportMode(report, bench, mode, runs.get(ours)!, peer ? runs.get(peer) : undefined);
    }
  } finally {
    for (const tool of tools) await tool.dispose().catch(() => undefined);
    await plane.dispose();
  }
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
