import type { LocalApp } from "../types";

/** Registers the job, job-run, log and job-queue endpoints (owned by the job side of the local plane). */
export function registerJobRoutes(app: LocalApp): void {
  void app;
}
