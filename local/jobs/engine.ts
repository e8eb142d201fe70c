// The job side's commands: submit, terminate, archive, delete; queue create, update, seal, terminate,
// delete. Each validates against the store, then hands the record to the pure transitions
// (transitions.ts) through the thin engine underneath (runtime.ts), which stores and arms timers.
import { forgetTags, putTags } from "../tags";
import { LocalApiError, type LocalApp } from "../types";
import type { ProcessRunner } from "./process-runner";
import { newJobRecord, newQueueRecord, type NewQueueOptions } from "./new-records";
import { JOB_QUEUES, JOB_RUNS, JOBS, type JobQueueRecord, type JobRecord } from "./records";
import * as q from "./queue-transitions";
import { JobRuntime } from "./runtime";
import type { CreateJobBody, CreateJobQueueBody, JobQueueSpecBody } from "./schemas";
import * as t from "./transitions";
import { isTerminalJobState } from "./wire-enums";

export class JobEngine extends JobRuntime {
  private nextSeq: number;

  constructor(app: LocalApp, runner?: ProcessRunner) {
    super(app, runner);
    this.nextSeq = Math.max(0, ...this.jobs().map((j) => j.submit_seq)) + 1;
  }

  // ---------- job commands ----------

  submit(body: CreateJobBody): JobRecord {
    const defaults = this.app.defaults();
    const projectId = body.project_id ?? defaults.projectId;
    if (!this.project(projectId)) throw new LocalApiError(404, `project_id: project '${projectId}' not found.`);
    const computeConfigId = body.config.compute_config_id ?? defaults.computeConfigId;
    const cloudId = this.cloudOfComputeConfig(computeConfigId, "config.compute_config_id");
    const buildId = body.config.build_id ?? defaults.buildId;

    const queueConfig = body.job_queue_config ?? undefined;
    const targetsQueue = Boolean(queueConfig?.target_job_queue_id || queueConfig?.target_job_queue_name);
    if (targetsQueue && queueConfig?.job_queue_spec) {
      throw new LocalApiError(
        400,
        "job_queue_config: target_job_queue_name/target_job_queue_id and job_queue_spec are mutually exclusive; provide only one.",
      );
    }
    let queue: JobQueueRecord | undefined;
    if (queueConfig && targetsQueue) queue = this.resolveTargetQueue(projectId, queueConfig.target_job_queue_id, queueConfig.target_job_queue_name);
    else if (queueConfig?.job_queue_spec) queue = this.queueForSpec(projectId, queueConfig.job_queue_spec, computeConfigId, buildId, cloudId);
    if (queue && queue.state === "SEALED") {
      throw new LocalApiError(400, `job_queue_config: job queue '${queue.name}' (${queue.id}) is sealed and accepts no new jobs.`);
    }

    const job = newJobRecord(body, {
      id: this.app.newId("prodjob"),
      projectId,
      cloudId,
      creatorId: defaults.userId,
      buildId,
      computeConfigId,
      queueId: queue?.id ?? null,
      seq: this.nextSeq++,
    });
    this.saveJob(job);
    if (body.tags && Object.keys(body.tags).length > 0) putTags(this.app.store, "job", job.id, body.tags);
    this.app.log(`job ${job.id} '${job.name}' submitted${queue ? ` to queue ${queue.name}` : ""}`);
    if (queue) this.scheduleQueue(queue.id);
    else this.startJob(job.id);
    return this.job(job.id)!;
  }

  /** Asks the job to stop. Idempotent: a finished job is returned unchanged. */
  terminate(jobId: string): JobRecord {
    const job = this.requireJob(jobId);
    if (isTerminalJobState(job.state.current_state)) return job;
    const liveRunId = job.last_job_run_id && this.launcher.isLive(job.last_job_run_id) ? job.last_job_run_id : null;
    const lastRun = job.last_job_run_id ? this.run(job.last_job_run_id) : undefined;
    this.apply(t.terminateRequested(job, liveRunId, lastRun, this.context()));
    return this.job(jobId)!;
  }

  archive(jobId: string): JobRecord {
    const job = this.requireJob(jobId);
    if (job.archived_at) return job;
    if (!isTerminalJobState(job.state.current_state)) {
      throw new LocalApiError(400, `Job '${job.id}' is in state ${job.state.current_state}; only jobs in a terminal state can be archived.`);
    }
    this.apply(t.jobArchived(job, this.context()));
    return this.job(jobId)!;
  }

  delete(jobId: string): void {
    const job = this.requireJob(jobId);
    if (!isTerminalJobState(job.state.current_state)) {
      throw new LocalApiError(400, `Job '${job.id}' is in state ${job.state.current_state}; only jobs in a terminal state can be deleted.`);
    }
    for (const run of this.runsOf(jobId)) {
      this.app.store.delete(JOB_RUNS, run.id);
      this.launcher.removeRunFiles(run);
    }
    this.app.store.delete(JOBS, jobId);
    forgetTags(this.app.store, "job", jobId);
  }

  // ---------- queue commands ----------

  createQueue(body: CreateJobQueueBody): JobQueueRecord {
    if (!this.project(body.project_id)) throw new LocalApiError(404, `project_id: project '${body.project_id}' not found.`);
    const cloudId = this.cloudOfComputeConfig(body.compute_config_id, "compute_config_id");
    const name = body.job_queue_name ?? undefined;
    if (name && this.queueByName(body.project_id, name)) {
      throw new LocalApiError(409, `job_queue_name: a job queue named '${name}' already exists in project '${body.project_id}'.`);
    }
    const queue = this.newQueue({
      name,
      projectId: body.project_id,
      cloudId,
      computeConfigId: body.compute_config_id,
      buildId: body.cluster_environment_build_id,
      spec: body,
    });
    if (body.tags && Object.keys(body.tags).length > 0) putTags(this.app.store, "job_queue", queue.id, body.tags);
    return queue;
  }

  updateQueue(queueId: string, changes: q.QueueChanges & { tags?: Record<string, string> | null }): JobQueueRecord {
    const queue = this.requireQueue(queueId);
    if (changes.tags && Object.keys(changes.tags).length > 0) putTags(this.app.store, "job_queue", queue.id, changes.tags);
    this.apply(q.queueUpdated(queue, changes));
    return this.queue(queueId)!;
  }

  sealQueue(queueId: string): JobQueueRecord {
    const queue = this.requireQueue(queueId);
    if (queue.state === "SEALED") return queue;
    this.apply(q.queueSealed(queue, this.context()));
    return this.queue(queueId)!;
  }

  /** Terminates every unfinished job of the queue and stops its cluster. Returns how many were marked. */
  terminateQueue(queueId: string): number {
    this.requireQueue(queueId);
    const unfinished = this.jobsOfQueue(queueId).filter((j) => !isTerminalJobState(j.state.current_state));
    // Waiting jobs first, so freed slots never start one of them while the queue is being emptied.
    unfinished.sort((a, b) => Number(b.state.current_state === "PENDING") - Number(a.state.current_state === "PENDING"));
    for (const job of unfinished) this.terminate(job.id);
    this.apply(q.queueTerminated(this.queue(queueId)!));
    return unfinished.length;
  }

  deleteQueue(queueId: string): void {
    const queue = this.requireQueue(queueId);
    const unfinished = this.jobsOfQueue(queueId).filter((j) => !isTerminalJobState(j.state.current_state));
    if (unfinished.length > 0) {
      throw new LocalApiError(400, `Job queue '${queue.name}' still has ${unfinished.length} unfinished job(s); terminate them before deleting the queue.`);
    }
    this.apply(q.queueDeleted(queueId));
    this.app.store.delete(JOB_QUEUES, queueId);
    forgetTags(this.app.store, "job_queue", queueId);
  }

  // ---------- internals: queue resolution ----------

  private resolveTargetQueue(projectId: string, queueId: string | null | undefined, queueName: string | null | undefined): JobQueueRecord {
    if (queueId) {
      const queue = this.queue(queueId);
      if (!queue) throw new LocalApiError(404, `job_queue_config.target_job_queue_id: job queue '${queueId}' not found.`);
      if (queueName && queue.name !== queueName) {
        throw new LocalApiError(400, `job_queue_config: target_job_queue_id '${queueId}' is named '${queue.name}', not '${queueName}'.`);
      }
      return queue;
    }
    const queue = this.queueByName(projectId, queueName!);
    if (!queue) throw new LocalApiError(404, `job_queue_config.target_job_queue_name: job queue '${queueName}' not found in project '${projectId}'.`);
    return queue;
  }

  /** The queue a job_queue_spec names: the existing one of that name in the project, else a new one. */
  private queueForSpec(projectId: string, spec: JobQueueSpecBody, jobComputeConfigId: string, jobBuildId: string, jobCloudId: string): JobQueueRecord {
    const existing = spec.job_queue_name ? this.queueByName(projectId, spec.job_queue_name) : undefined;
    if (existing) return existing;
    const computeConfigId = spec.compute_config_id ?? jobComputeConfigId;
    const cloudId = spec.compute_config_id ? this.cloudOfComputeConfig(computeConfigId, "job_queue_config.job_queue_spec.compute_config_id") : jobCloudId;
    return this.newQueue({
      name: spec.job_queue_name ?? undefined,
      projectId,
      cloudId,
      computeConfigId,
      buildId: spec.cluster_environment_build_id ?? jobBuildId,
      spec,
    });
  }

  private newQueue(opts: NewQueueOptions): JobQueueRecord {
    const queue = newQueueRecord(opts, this.app.newId("jq"), this.user(this.app.defaults().userId));
    this.saveQueue(queue);
    this.app.log(`job queue ${queue.id} '${queue.name}' created (${queue.execution_mode}, max_concurrency ${queue.max_concurrency})`);
    return queue;
  }
}
