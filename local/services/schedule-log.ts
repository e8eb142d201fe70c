import type { Phase } from "./model";

// What the plane scheduled, for benchmarks that compare a client's time with the platform's own
// (GET /_local/services/schedule). Each entry is one phase as the engine armed it: a write starts a
// phase at the time it was received; a timed transition starts the next one at the previous phase's
// due time (the chain is exact, whatever the timer's own lateness). `settled` marks the scheduled end
// of a chain (the service reached a state with nothing left to do). With jitter on, these are the
// drawn durations, which the client cannot see otherwise.

export interface ScheduledPhase {
  serviceId: string;
  name: string;
  /** The phase's kind, or "settled" when the service came to rest. */
  kind: Phase["kind"] | "settled";
  versionId: string | null;
  /** When the phase began, epoch ms: the write's arrival, or the previous phase's due time. */
  from: number;
  /** When the plane scheduled it to end, epoch ms (equal to `from` for "settled"). */
  dueAt: number;
}

/** Kept in memory (a benchmark clears it between runs); bounded so a long-lived plane cannot grow without end. */
export class ScheduleLog {
  private entries: ScheduledPhase[] = [];
  /** The phase each service was last saved with (so a save needs no read of the stored record). */
  private readonly current = new Map<string, Phase | null>();

  constructor(private readonly limit = 50_000) {}

  /** Called on every save of a service record, with the phase being saved. */
  record(service: { id: string; name: string }, next: Phase | null, now: number): void {
    const previous = this.current.get(service.id);
    this.current.set(service.id, next);
    if (samePhase(previous, next)) return;
    // A due phase replaced by the engine's timer began its successor at its own due time.
    const from = previous && previous.dueAt <= now ? previous.dueAt : now;
    if (next) this.push({ serviceId: service.id, name: service.name, kind: next.kind, versionId: "versionId" in next ? (next.versionId ?? null) : null, from, dueAt: next.dueAt });
    else if (previous) this.push({ serviceId: service.id, name: service.name, kind: "settled", versionId: null, from, dueAt: from });
  }

  forget(serviceId: string): void {
    this.current.delete(serviceId);
  }

  read(): ScheduledPhase[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }

  private push(entry: ScheduledPhase): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }
}

function samePhase(a: Phase | null | undefined, b: Phase | null): boolean {
  if (!a || !b) return !a && !b;
  return a.kind === b.kind && a.dueAt === b.dueAt && ("versionId" in a ? a.versionId : null) === ("versionId" in b ? b.versionId : null);
}
