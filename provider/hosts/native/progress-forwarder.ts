// Live progress for one operation: each reportProgress line (every waitFor retry feeds it) becomes the
// resource's ephemeral status in `pulumi up`, with the time spent so far ("v2 STARTING 1m40s"). The
// last line is re-sent now and then so the clock keeps moving while the platform says nothing new.
import { withProgress } from "../../core/progress";
import { formatDuration } from "../../core/timeouts";
import type { EngineLog } from "./engine-log";

export interface ProgressClock {
  now(): number;
}

/** Pure: the status text of a progress line after `elapsedMs`. */
export function statusLine(line: string, elapsedMs: number): string {
  return `${line} ${formatDuration(elapsedMs)}`;
}

export async function withEngineProgress<T>(
  engine: EngineLog,
  urn: string,
  operation: () => Promise<T>,
  options: { refreshMs?: number; clock?: ProgressClock } = {},
): Promise<T> {
  const clock = options.clock ?? Date;
  const started = clock.now();
  let last: string | undefined;
  const send = () => {
    if (last !== undefined) void engine.log("info", statusLine(last, clock.now() - started), urn, true);
  };
  const timer = setInterval(send, options.refreshMs ?? 10_000);
  timer.unref();
  try {
    const result = await withProgress((line) => {
      last = line;
      send();
    }, operation);
    // The display keeps a row's last status beside "created"; an empty one clears a stale "STARTING".
    // A failed operation keeps its last line: it says where things were left.
    // Awaited: the engine must have it before the operation's answer marks the row done.
    if (last !== undefined) await engine.log("info", "", urn, true);
    return result;
  } finally {
    clearInterval(timer);
  }
}
