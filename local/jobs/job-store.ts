// The job side's records in the durable store: reads every route and the engine use, and the writes
// the engine makes. No timers, no processes.
import { COLLECTIONS, type UserRecord } from "../catalog/seed";
import { LocalApiError, type LocalApp } from "../types";
import { JOB_QUEUES, JOB_RUNS, JOBS, type JobQueueRecord, type JobRecord, type JobRunRecord } from "./records";
import { queuePositions, type WaitingJob } from "./scheduler";

export interface ProjectRecord {
  id: string;
  name: string;
  is_default?: boolean;
  directory_name?: string;
  parent_cloud_id?: string;
}

export class JobStore {
  constructor(protected readonly app: LocalApp) {}

  jobs(): JobRecord[] {
    return this.app.store.list<JobRecord>(JOBS);
  }

  job(id: string): JobRecord | undefined {
    return this.app.store.get<JobRecord>(JOBS, id);
  }

  requireJob(id: string): JobRecord {
    const job = this.job(id);
    if (!job) throw new LocalApiError(404, `Production job with id '${id}' not found.`);
    return job;
  }

  run(id: string): JobRunRecord | undefined {
    return this.app.store.get<JobRunRecord>(JOB_RUNS, id);
  }

  runsOf(jobId: string): JobRunRecord[] {
    return this.app.store.list<JobRunRecord>(JOB_RUNS, (r) => r.ha_job_id === jobId);
  }

  runsOnCluster(clusterId: string): JobRunRecord[] {
    return this.app.store.list<JobRunRecord>(JOB_RUNS, (r) => r.cluster_id === clusterId);
  }

  queues(): JobQueueRecord[] {
    return this.app.store.list<JobQueueRecord>(JOB_QUEUES);
  }

  queue(id: string): JobQueueRecord | undefined {
    return this.app.store.get<JobQueueRecord>(JOB_QUEUES, id);
  }

  requireQueue(id: string): JobQueueRecord {
    const queue = this.queue(id);
    if (!queue) throw new LocalApiError(404, `Job queue with id '${id}' not found.`);
    return queue;
  }

  jobsOfQueue(queueId: string): JobRecord[] {
    return this.app.store.list<JobRecord>(JOBS, (j) => j.job_queue_id === queueId);
  }

  /** Positions of the waiting jobs of a queue, in the order the queue will run them. */
  queuePositions(queueId: string): Map<string, number> {
    const queue = this.queue(queueId);
    if (!queue) return new Map();
    return queuePositions(queue.execution_mode, this.waitingJobs(queueId));
  }

  project(id: string): ProjectRecord | undefined {
    return this.app.store.get<ProjectRecord>(COLLECTIONS.projects, id);
  }

  user(id: string): UserRecord {
    return this.app.store.get<UserRecord>(COLLECTIONS.users, id) ?? { id, name: id, username: id, email: `${id}@anyscale.local` };
  }

  queueByName(projectId: string, name: string): JobQueueRecord | undefined {
    return this.app.store.list<JobQueueRecord>(JOB_QUEUES, (q) => q.project_id === projectId && q.name === name)[0];
  }

  protected waitingJobs(queueId: string): WaitingJob[] {
    return this.jobsOfQueue(queueId)
      .filter((j) => j.state.current_state === "PENDING" && j.state.goal_state !== "TERMINATED")
      .map((j) => ({ id: j.id, seq: j.submit_seq, priority: j.priority }));
  }

  protected cloudOfComputeConfig(computeConfigId: string, field: string): string {
    const template = this.app.store.get<{ config?: { cloud_id?: string } }>(COLLECTIONS.computeTemplates, computeConfigId);
    if (!template) throw new LocalApiError(404, `${field}: compute config '${computeConfigId}' not found.`);
    return template.config?.cloud_id ?? this.app.defaults().cloudId;
  }

  protected saveJob(job: JobRecord): void {
    this.app.store.put(JOBS, job.id, job);
  }

  protected saveQueue(queue: JobQueueRecord): void {
    this.app.store.put(JOB_QUEUES, queue.id, queue);
  }
}
