import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Report } from "./lib/report";
import { ratio, seconds } from "./lib/stats";

// A Service `check` on a large working dir (8 model files of 64 MB and 2,000 small sources: 521 MB),
// each measurement in a fresh process with an empty or kept manifest cache: cold, unchanged, one file
// edited, and a stack recorded by the previous provider (old sourceHash format). Baseline, in the same
// run: the in-memory zip every check made before content manifests. BENCH_QUICK: 8 MB model files.

const MODEL_FILES = 8;
const SMALL_FILES = 2000;
const GOAL_UNCHANGED_MS = 500;
const GOAL_PEAK_MB = 300;

interface ChildResult {
  ms: number;
  peakRssMb: number;
  sourceHash?: string;
  filesRead?: number;
}

export async function sourceHashBench(report: Report): Promise<void> {
  const modelBytes = (process.env.BENCH_QUICK ? 8 : 64) << 20;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "bench-source-hash-"));
  const dir = path.join(base, "app");
  const manifests = path.join(base, "manifests");
  try {
    const totalMb = makeWorkingDir(dir, modelBytes);
    const label = `${totalMb.toFixed(0)} MB working dir`;
    const run = (mode: string, previous?: string): ChildResult => {
      const args = [path.join(__dirname, "..", "local", "dev", "run-ts.js"), path.join(__dirname, "lib", "source-hash-child.ts"), mode, dir, ...(previous ? [previous] : [])];
      const output = execFileSync(process.execPath, args, { env: { ...process.env, PULUMI_ANYSCALE_MANIFEST_DIR: manifests }, encoding: "utf8", maxBuffer: 1 << 20 });
      return JSON.parse(output.trim().split("\n").pop()!);
    };
    const baseline = run("zip-in-memory");
    report.add({ bench: "source hash", metric: `${label}: in-memory zip (before), time / peak memory`, value: `${seconds(baseline.ms)} / ${baseline.peakRssMb.toFixed(0)} MB` });

    const cold = run("check");
    report.add({ bench: "source hash", metric: `${label}: check, no manifest (cold), time / peak memory`, value: `${seconds(cold.ms)} / ${cold.peakRssMb.toFixed(0)} MB`, goal: `<= ${GOAL_PEAK_MB} MB`, met: cold.peakRssMb <= GOAL_PEAK_MB });

    const warm = run("check");
    report.add({
      bench: "source hash",
      metric: `${label}: check, unchanged (fresh process), time / peak memory / files read`,
      value: `${seconds(warm.ms)} / ${warm.peakRssMb.toFixed(0)} MB / ${warm.filesRead}`,
      goal: `<= ${seconds(GOAL_UNCHANGED_MS)}, <= ${GOAL_PEAK_MB} MB`,
      met: warm.ms <= GOAL_UNCHANGED_MS && warm.peakRssMb <= GOAL_PEAK_MB && warm.sourceHash === cold.sourceHash,
    });
    report.add({ bench: "source hash", metric: `${label}: unchanged check vs in-memory zip`, value: ratio(warm.ms, baseline.ms) });

    // A stack recorded by the previous provider: its value is kept (no diff), computed once.
    const legacyValue = execFileSync(process.execPath, ["-e", legacyValueScript(), baseline.sourceHash!], { encoding: "utf8" }).trim();
    const firstLegacy = run("check", legacyValue);
    const againLegacy = run("check", legacyValue);
    report.add({
      bench: "source hash",
      metric: `${label}: stack with the old sourceHash, first check / later checks`,
      value: `${seconds(firstLegacy.ms)} / ${seconds(againLegacy.ms)}`,
      goal: "old value kept",
      met: firstLegacy.sourceHash === legacyValue && againLegacy.sourceHash === legacyValue,
    });
    // A same-size edit to one model file, its mtime put back a minute: only ctime betrays it.
    const model = path.join(dir, "models", "model-3.bin");
    const { atime, mtime } = fs.statSync(model);
    const handle = fs.openSync(model, "r+");
    fs.writeSync(handle, Buffer.from("edited"), 0, 6, 1000);
    fs.closeSync(handle);
    fs.utimesSync(model, atime, mtime);
    const edited = run("check");
    report.add({
      bench: "source hash",
      metric: `${label}: check after a same-size, same-mtime edit of one file, time / files read`,
      value: `${seconds(edited.ms)} / ${edited.filesRead}`,
      goal: "new hash, 1 file read",
      met: edited.sourceHash !== warm.sourceHash && edited.filesRead === 1,
    });

  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** The sourceHash the previous provider recorded for a Service with only a working dir (zip md5 given). */
function legacyValueScript(): string {
  return `const c=require("node:crypto");process.stdout.write(c.createHash("md5").update("workingDir="+process.argv[1]).digest("hex").slice(0,16))`;
}

function makeWorkingDir(dir: string, modelBytes: number): number {
  let total = 0;
  fs.mkdirSync(path.join(dir, "models"), { recursive: true });
  for (let i = 0; i < MODEL_FILES; i++) {
    const file = path.join(dir, "models", `model-${i}.bin`);
    const handle = fs.openSync(file, "w");
    for (let written = 0; written < modelBytes; written += 1 << 22) fs.writeSync(handle, randomBytes(Math.min(1 << 22, modelBytes - written)));
    fs.closeSync(handle);
    total += modelBytes;
  }
  for (let i = 0; i < SMALL_FILES; i++) {
    const file = path.join(dir, "src", `pkg${i % 40}`, `module_${i}.py`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = `# module ${i}\n` + `def f_${i}(x):\n    return x * ${i}\n`.repeat(150);
    fs.writeFileSync(file, text);
    total += text.length;
  }
  // Files in a repository are older than the run: an hour back, out of the racy window.
  const hourAgo = new Date(Date.now() - 3_600_000);
  const age = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) age(full);
      else fs.utimesSync(full, hourAgo, hourAgo);
    }
  };
  age(dir);
  return total / (1 << 20);
}
