import type { LocalApp } from "../types";
import type { JobEngine } from "./engine";
import type { RenderContext } from "./render";

/** Lookups render.ts needs, answered from the engine's store. Queue positions are computed once per request. */
export function renderContextFor(app: LocalApp, engine: JobEngine): RenderContext {
  const positions = new Map<string, Map<string, number>>();
  return {
    baseUrl: app.baseUrl(),
    project: (id) => {
      const p = engine.project(id);
      return { id, name: p?.name ?? id, is_default: p?.is_default ?? false, directory_name: p?.directory_name ?? p?.name ?? id };
    },
    user: (id) => {
      const u = engine.user(id);
      return { id: u.id, name: u.name, username: u.username, email: u.email };
    },
    run: (id) => engine.run(id),
    queue: (id) => engine.queue(id),
    positionInQueue: (job) => {
      if (!job.job_queue_id || job.state.current_state !== "PENDING") return null;
      if (!positions.has(job.job_queue_id)) positions.set(job.job_queue_id, engine.queuePositions(job.job_queue_id));
      return positions.get(job.job_queue_id)!.get(job.id) ?? null;
    },
  };
}
