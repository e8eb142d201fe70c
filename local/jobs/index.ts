import { registerTaggableResource } from "../tags";
import type { LocalApp } from "../types";
import { JobEngine } from "./engine";
import { registerJobEndpoints } from "./routes-jobs";
import { registerLogEndpoints } from "./routes-logs";
import { registerQueueEndpoints } from "./routes-queues";

/** Registers the job, job-run, log and job-queue endpoints (owned by the job side of the local plane). */
export function registerJobRoutes(app: LocalApp): void {
  const engine = new JobEngine(app);
  registerJobEndpoints(app, engine);
  registerQueueEndpoints(app, engine);
  registerLogEndpoints(app, engine);
  registerTaggableResource(app, "job", (id) => engine.job(id) !== undefined);
  registerTaggableResource(app, "job_queue", (id) => engine.queue(id) !== undefined);
  app.onStop(() => engine.stop());
  // Processes do not survive a restart: settle what was in flight before serving requests.
  engine.recover();
}
