import { randomBytes } from "node:crypto";
import { randomToken } from "../ids";
import type { LocalApp } from "../types";
import type { LifecycleContext, Timings } from "./record-ops";
import { jitteredTimings } from "../jitter";
import { ScheduleLog } from "./schedule-log";
import { advance } from "./transitions";
import { SERVICES, type ServiceRecord } from "./model";
import { echoRuntime, type ServiceRuntime } from "./runtime";

/**
 * Persists service records and arms one timer per service for its next due transition. The timer
 * only says when to look again; what happens is decided by the pure advance().
 */
export class ServiceEngine {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** hostname → service id; hostnames never change, so the index only grows and shrinks. */
  private hostIndex: Map<string, string> | undefined;
  private stopped = false;
  private timings: Timings | undefined;
  /** Every phase as armed, with its drawn duration (GET /_local/services/schedule). */
  readonly schedule = new ScheduleLog();

  constructor(
    private readonly app: LocalApp,
    readonly runtime: ServiceRuntime = echoRuntime,
  ) {
    app.onStop(() => this.stop());
  }

  context(): LifecycleContext {
    return {
      now: Date.now(),
      timings: (this.timings ??= jitteredTimings({ startupMs: this.app.options.startupMs, rolloutStepMs: this.app.options.rolloutStepMs }, this.app.options.jitter)),
      newId: (prefix) => this.app.newId(prefix),
      newVersionName: () => randomToken(5),
      newAuthToken: () => randomBytes(32).toString("base64url"),
      ...(this.runtime === echoRuntime
        ? {}
        : { readiness: { of: (service, version) => this.runtime.readiness(service, version), pollMs: this.runtime.pollMs, startTimeoutMs: this.runtime.startTimeoutMs } }),
    };
  }

  get(id: string): ServiceRecord | undefined {
    return this.app.store.get<ServiceRecord>(SERVICES, id);
  }

  /** Copies of the records `where` keeps (all without it); `where` reads the stored record, never changes it. */
  all(where?: (service: ServiceRecord) => boolean): ServiceRecord[] {
    return this.app.store.list<ServiceRecord>(SERVICES, where);
  }

  /** The service served at a query-URL hostname, without reading every record (query traffic is hot). */
  byHostname(hostname: string): ServiceRecord | undefined {
    this.hostIndex ??= new Map(this.all().map((s) => [s.hostname, s.id]));
    const id = this.hostIndex.get(hostname);
    return id === undefined ? undefined : this.get(id);
  }

  /** Persists (fsync'd) and re-arms the timer; call before acknowledging anything to a client. */
  save(service: ServiceRecord): void {
    this.schedule.record(service, service.phase, Date.now());
    this.app.store.put(SERVICES, service.id, service);
    this.hostIndex?.set(service.hostname, service.id);
    this.arm(service);
    this.reconcile();
  }

  remove(id: string): void {
    this.disarm(id);
    this.schedule.forget(id);
    const hostname = this.get(id)?.hostname;
    this.app.store.delete(SERVICES, id);
    if (hostname !== undefined) this.hostIndex?.delete(hostname);
    this.reconcile();
  }

  private reconcile(): void {
    if (this.runtime.reconcile) this.runtime.reconcile(this.all());
  }

  /** After a restart: catch up on transitions that fell due while down, then re-arm every timer. */
  resume(): void {
    this.reconcile();
    for (const service of this.all()) this.tick(service.id);
  }

  private tick(id: string): void {
    this.timers.delete(id);
    if (this.stopped) return;
    try {
      const current = this.get(id);
      if (!current) return;
      const { service, changed } = advance(current, this.context());
      if (changed) this.save(service);
      else this.arm(service);
    } catch (err) {
      this.app.log(`service ${id}: transition failed: ${(err as Error).stack ?? String(err)}`);
    }
  }

  private arm(service: ServiceRecord): void {
    this.disarm(service.id);
    if (this.stopped || !service.phase) return;
    const delay = Math.max(0, service.phase.dueAt - Date.now());
    const timer = setTimeout(() => this.tick(service.id), delay);
    timer.unref?.();
    this.timers.set(service.id, timer);
  }

  private disarm(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  private stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
