// One measurement in a fresh process, as the engine's provider process meets it: a Service `check`
// (its sourceHash) or, for the baseline, the in-memory zip the provider used before content manifests.
// Prints {ms, peakRssMb, sourceHash, filesRead} as JSON. Args: mode ("check" | "zip-in-memory"), dir, [previous sourceHash].
import { checkService } from "../../provider/service/check";
import { packDirectory } from "../../provider/anyscale/upload";
import { digestDirectory } from "../../provider/anyscale/content-manifest";

async function main(): Promise<void> {
  const [mode, dir, previous] = process.argv.slice(2);
  const started = performance.now();
  let sourceHash: string | undefined;
  if (mode === "zip-in-memory") {
    sourceHash = packDirectory(dir).contentHash;
  } else {
    const olds = previous ? { name: "svc", applications: [{ import_path: "main:app" }], workingDir: dir, sourceHash: previous } : {};
    const result = await checkService(undefined, olds, { name: "svc", applications: [{ import_path: "main:app" }], workingDir: dir });
    if (result.failures?.length) throw new Error(JSON.stringify(result.failures));
    sourceHash = result.inputs?.sourceHash as string | undefined;
  }
  const ms = performance.now() - started;
  const filesRead = mode === "check" ? digestDirectory(dir, [], { reuse: true }).filesRead : undefined;
  process.stdout.write(JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, sourceHash, filesRead }) + "\n");
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
