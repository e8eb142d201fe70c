// The Ray runtime of the plane's services: after every saved change it sends the sidecar the whole
// set of applications the records ask for (one sync at a time, coalescing changes made meanwhile),
// keeps a fresh snapshot of Serve's status while anyone asks, and answers readiness from it.
import type { ServiceRecord, VersionRecord } from "../services/model";
import type { Readiness, ServiceRuntime } from "../services/runtime";
import type { RouteContext, RouteResult } from "../types";
import { applicationsOf, desiredApps, internalRoutePrefix, versionReadiness, type PackageDirs, type StatusSnapshot, type UserApplication } from "./apps";
import { forwardToServe, pathUnderPrefix } from "./forward";
import type { RaySidecar, SidecarApp } from "./sidecar";

export interface RayRuntimeOptions {
  tag: string;
  packages: PackageDirs;
  /** Where Serve's HTTP proxy answers (the sidecar's, unless overridden for a remote cluster). */
  serveUrl: string;
  log(message: string): void;
  pollMs?: number;
  startTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export class RayServiceRuntime implements ServiceRuntime {
  readonly name = "ray" as const;
  readonly pollMs: number;
  readonly startTimeoutMs: number;
  private byVersion = new Map<string, string[]>();
  private invalid = new Map<string, string>();
  /** Per Serve app: the sidecar sync that last changed its config (its status counts only after that). */
  private readonly appliedSeq = new Map<string, number>();
  private readonly sentConfig = new Map<string, string>();
  private status: StatusSnapshot | undefined;
  private statusAt = 0;
  private statusInFlight = false;
  private pending: readonly ServiceRecord[] | undefined;
  private syncing = false;
  private syncError: string | undefined;
  private stopped = false;
  private sidecarGone: string | undefined;

  constructor(
    private readonly sidecar: RaySidecar,
    private readonly opts: RayRuntimeOptions,
  ) {
    this.pollMs = opts.pollMs ?? 500;
    this.startTimeoutMs = opts.startTimeoutMs ?? 300_000;
    // Without the sidecar nothing new can start: versions waiting on it fail with the reason.
    sidecar.onUnexpectedExit((reason) => {
      this.sidecarGone = reason;
      opts.log(`ray runtime: ${reason}`);
    });
  }

  readiness(_service: ServiceRecord, version: VersionRecord): Readiness {
    if (applicationsOf(version).length === 0) return { kind: "ready" };
    if (this.sidecarGone) return { kind: "failed", message: `${this.sidecarGone}.` };
    this.refreshStatus();
    const names = this.byVersion.get(version.id);
    const readiness = versionReadiness(names, this.status, this.appliedSeq, this.invalid);
    if (readiness.kind === "pending" && this.syncError && names?.some((n) => !this.appliedSeq.has(n))) {
      return { kind: "failed", message: `the Ray runtime could not deploy it: ${this.syncError}` };
    }
    return readiness;
  }

  reconcile(services: readonly ServiceRecord[]): void {
    if (this.stopped) return;
    // Copies: the records may change while a sync is under way.
    this.pending = structuredClone(services);
    void this.drain();
  }

  async forward(ctx: RouteContext, _service: ServiceRecord, version: VersionRecord, app: UserApplication, path: string): Promise<RouteResult> {
    return forwardToServe(ctx, this.opts.serveUrl, internalRoutePrefix(this.opts.tag, version, app), pathUnderPrefix(path, app.route_prefix), this.opts.requestTimeoutMs ?? 60_000);
  }

  stop(): void {
    this.stopped = true;
  }

  private async drain(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    try {
      while (this.pending && !this.stopped) {
        const services = this.pending;
        this.pending = undefined;
        await this.sync(services);
      }
    } finally {
      this.syncing = false;
    }
  }

  private async sync(services: readonly ServiceRecord[]): Promise<void> {
    const desired = desiredApps(services, this.opts.tag, this.opts.packages);
    this.byVersion = desired.byVersion;
    this.invalid = desired.invalid;
    const configs = new Map(desired.apps.map((app) => [app.name, JSON.stringify(app)]));
    const changed = desired.apps.filter((app) => this.sentConfig.get(app.name) !== configs.get(app.name));
    const removed = [...this.sentConfig.keys()].some((name) => !configs.has(name));
    if (changed.length === 0 && !removed) return;
    try {
      const seq = await this.sidecar.putApps(desired.apps as SidecarApp[]);
      this.syncError = undefined;
      this.sentConfig.clear();
      for (const [name, config] of configs) this.sentConfig.set(name, config);
      for (const app of changed) this.appliedSeq.set(app.name, seq);
      for (const name of [...this.appliedSeq.keys()]) if (!configs.has(name)) this.appliedSeq.delete(name);
      this.statusAt = 0;
    } catch (error) {
      this.syncError = (error as Error).message;
      this.opts.log(`ray runtime: sync failed: ${this.syncError}`);
    }
  }

  /** Reads Serve's status in the background when the snapshot is older than a poll. */
  private refreshStatus(): void {
    if (this.statusInFlight || this.stopped || Date.now() - this.statusAt < this.pollMs / 2) return;
    this.statusInFlight = true;
    this.sidecar
      .status()
      .then((status) => {
        this.status = status;
        this.statusAt = Date.now();
      })
      .catch((error: unknown) => this.opts.log(`ray runtime: status failed: ${(error as Error).message}`))
      .finally(() => {
        this.statusInFlight = false;
      });
  }
}
