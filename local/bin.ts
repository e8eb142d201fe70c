#!/usr/bin/env node
import { parseArgs as parseCommandLine } from "node:util";
import { startLocalControlPlane, type StartOptions } from "./index";

const USAGE = `usage: anyscale-local --data-dir DIR [--port N] [--token T] [--startup-ms MS] [--rollout-step-ms MS] [--job-startup-ms MS] [--build-ms MS] [--jitter PERCENT [--jitter-seed N]] [--runtime echo|ray] [--ray-address HOST:PORT] [--ray-python PATH] [--ray-serve-url URL] [--quiet]`;

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  quiet: { type: "boolean" },
  port: { type: "string" },
  "data-dir": { type: "string" },
  token: { type: "string" },
  "startup-ms": { type: "string" },
  "rollout-step-ms": { type: "string" },
  "job-startup-ms": { type: "string" },
  "build-ms": { type: "string" },
  runtime: { type: "string" },
  "ray-address": { type: "string" },
  "ray-python": { type: "string" },
  "ray-serve-url": { type: "string" },
  jitter: { type: "string" },
  "jitter-seed": { type: "string" },
} as const;

function parseArgs(argv: string[]): StartOptions {
  let parsed;
  try {
    // Strict: an unknown option or a missing value is an error, as before; `--key=value` and `--key value` both work.
    parsed = parseCommandLine({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    fail((error as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
  }
  const values = new Map(Object.entries(parsed.values).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const quiet = parsed.values.quiet === true;
  const dataDir = values.get("data-dir");
  if (!dataDir) fail("--data-dir is required");
  const int = (key: string): number | undefined => {
    const raw = values.get(key);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) fail(`--${key} must be a non-negative integer, got '${raw}'`);
    return Number(raw);
  };
  const port = int("port");
  if (port !== undefined && port > 65535) fail("--port must be at most 65535");
  const runtime = values.get("runtime") ?? (values.has("ray-address") ? "ray" : "echo");
  if (runtime !== "echo" && runtime !== "ray") fail(`--runtime must be echo or ray, got '${runtime}'`);
  if (runtime === "echo" && ["ray-address", "ray-python", "ray-serve-url"].some((k) => values.has(k))) fail("--ray-* options need --runtime ray");
  return {
    runtime,
    ray: { address: values.get("ray-address"), python: values.get("ray-python"), serveUrl: values.get("ray-serve-url") },
    dataDir: dataDir!,
    port,
    token: values.get("token") ?? process.env.ANYSCALE_LOCAL_TOKEN,
    startupMs: int("startup-ms"),
    rolloutStepMs: int("rollout-step-ms"),
    jobStartupMs: int("job-startup-ms"),
    buildMs: int("build-ms"),
    jitter: values.has("jitter") ? { percent: int("jitter")!, seed: int("jitter-seed") } : undefined,
    quiet,
  };
}

function fail(message: string): never {
  process.stderr.write(`anyscale-local: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const plane = await startLocalControlPlane(parseArgs(process.argv.slice(2)));
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[anyscale-local] ${signal}: stopping\n`);
    plane.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`[anyscale-local] stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // The lines say "ready", so they come after the handlers: a signal sent on reading them stops the plane cleanly.
  process.stdout.write(`ANYSCALE_HOST=${plane.url}\n`);
  if (plane.tokenGenerated) process.stdout.write(`ANYSCALE_CLI_TOKEN=${plane.token}\n`);
  if (plane.ray) process.stderr.write(`[anyscale-local] services and jobs run on Ray at ${plane.ray.address} (Serve ${plane.ray.serveUrl})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`anyscale-local: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
