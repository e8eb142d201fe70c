#!/usr/bin/env node
import { startLocalControlPlane, type StartOptions } from "./index";

const USAGE = `usage: anyscale-local --data-dir DIR [--port N] [--token T] [--startup-ms MS] [--rollout-step-ms MS] [--job-startup-ms MS] [--build-ms MS] [--quiet]`;

function parseArgs(argv: string[]): StartOptions {
  const values = new Map<string, string>();
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    }
    if (arg === "--quiet") {
      quiet = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const [key, value] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, argv[++i]];
    if (!key.startsWith("--") || value === undefined) fail(`unexpected argument '${arg}'`);
    values.set(key.slice(2), value);
  }
  const known = new Set(["port", "data-dir", "token", "startup-ms", "rollout-step-ms", "job-startup-ms", "build-ms"]);
  for (const key of values.keys()) if (!known.has(key)) fail(`unknown option --${key}`);
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
  return {
    dataDir: dataDir!,
    port,
    token: values.get("token") ?? process.env.ANYSCALE_LOCAL_TOKEN,
    startupMs: int("startup-ms"),
    rolloutStepMs: int("rollout-step-ms"),
    jobStartupMs: int("job-startup-ms"),
    buildMs: int("build-ms"),
    quiet,
  };
}

function fail(message: string): never {
  process.stderr.write(`anyscale-local: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const plane = await startLocalControlPlane(parseArgs(process.argv.slice(2)));
  process.stdout.write(`ANYSCALE_HOST=${plane.url}\n`);
  if (plane.tokenGenerated) process.stdout.write(`ANYSCALE_CLI_TOKEN=${plane.token}\n`);
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
}

main().catch((err: unknown) => {
  process.stderr.write(`anyscale-local: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
