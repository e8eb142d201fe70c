// One driver per operation: a provider process whose engine is gone stops at once. When only the
// `pulumi` CLI is killed, the plugins it started keep running; left alone, a provider would go on
// moving a rollout's traffic that no engine will ever record, and a `cancel` + `up` in that window
// would have two processes driving one service. Pulumi's own Go providers poll the engine's gRPC
// health service (sdk/go/common/util/rpcutil/health.go: any error but Unimplemented means gone)
// and cancel; this does the same, plus the parent process (the engine) being replaced by init.
// Stopping is exiting the process: every request in flight is abandoned, the object stays where it is,
// and the next `up` (after `pulumi cancel`) continues from what it finds.

export interface EngineWatchOptions {
  /** Between checks. */
  intervalMs?: number;
  /** Consecutive failed checks that mean the engine is gone (one refused connection is not a verdict under load). */
  failuresToStop?: number;
  /** What stopping does (tests); the default exits the process. */
  onGone?: (reason: string) => void;
}

type HealthCheck = (deadlineMs: number) => Promise<"alive" | string>;

const DEFAULT_INTERVAL_MS = 1000;
const DEFAULT_FAILURES = 2;

let watching: { stop(): void } | undefined;

/** The engine's health service over gRPC (lazy: grpc-js loads only where a watch runs). */
function grpcHealthCheck(address: string): HealthCheck {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return (deadlineMs) =>
    new Promise((resolve) => {
      client.makeUnaryRequest(
        "/grpc.health.v1.Health/Check",
        () => Buffer.alloc(0),
        (buffer: Buffer) => buffer,
        {},
        new grpc.Metadata(),
        { deadline: Date.now() + deadlineMs },
        (error) => resolve(!error || error.code === grpc.status.UNIMPLEMENTED ? "alive" : `engine health check failed: ${error.details || error.message}`),
      );
    });
}

/** Starts watching the engine at `address` (idempotent per process). Returns a stop function. */
export function watchEngine(address: string, options: EngineWatchOptions = {}, check: HealthCheck = grpcHealthCheck(address)): { stop(): void } {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const failuresToStop = options.failuresToStop ?? DEFAULT_FAILURES;
  const parent = process.ppid;
  const onGone =
    options.onGone ??
    ((reason: string) => {
      process.stderr.write(`pulumi-anyscale: the Pulumi engine is gone (${reason}); stopping this provider, leaving every object where it is.\n`);
      process.exit(1);
    });
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    const reparented = process.ppid !== parent && process.ppid === 1;
    const verdict = reparented ? "the engine process exited" : await check(Math.max(intervalMs, 1500));
    if (stopped) return;
    failures = verdict === "alive" ? 0 : failures + 1;
    if (verdict !== "alive" && (reparented || failures >= failuresToStop)) {
      stopped = true;
      onGone(verdict);
      return;
    }
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };
  timer = setTimeout(tick, intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The engine address when this process is Pulumi's Node.js dynamic-provider host (its first argument), else undefined. */
export function dynamicHostEngineAddress(argv: string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const address = argv[2];
  return /cmd[\\/]dynamic-provider/.test(script) && address && !address.startsWith("-") ? address : undefined;
}

/** The hook: watch the engine once per process, wherever this provider is hosted (no-op in tests and programs). */
export function watchEngineOnce(address: string | undefined = dynamicHostEngineAddress()): void {
  if (watching || !address || process.env.PULUMI_ANYSCALE_NO_ENGINE_WATCH) return;
  watching = watchEngine(address);
}
