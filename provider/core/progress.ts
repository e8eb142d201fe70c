// The one channel for live progress ("v2 STARTING 1m40s", "canary 20% (step 4 of 7)"). Code that waits
// calls reportProgress; the host that runs the operation decides where it goes. The dynamic host has
// no channel to the engine, so outside a reporting scope it goes nowhere. The native host opens a
// scope per operation and forwards each line to the engine as ephemeral status for that resource.
// AsyncLocalStorage keeps the scope per operation, so concurrent operations never mix their lines.
import { AsyncLocalStorage } from "node:async_hooks";
import { redact } from "./redact";

export type ProgressSink = (message: string) => void;

const scope = new AsyncLocalStorage<ProgressSink>();

/** Runs `operation` with every reportProgress inside it (however deep, across awaits) sent to `sink`. */
export function withProgress<T>(sink: ProgressSink, operation: () => Promise<T>): Promise<T> {
  return scope.run(sink, operation);
}

/** Reports one progress line for the operation in scope; redacted, and never throws. */
export function reportProgress(message: string): void {
  const sink = scope.getStore();
  if (!sink) return;
  try {
    sink(redact(message));
  } catch {
    // A broken sink must never fail the operation it reports on.
  }
}
