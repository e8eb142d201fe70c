// Pure request bodies: CreateInternalProductionJob and CreateJobQueueRequests, as the SDK sends them.
import { buildSubmitJobBody } from "../../provider/job/request-body";
import { buildCreateQueueBody } from "../../provider/jobqueue/request-body";
import { planJobQueueChange } from "../../provider/jobqueue/planner";
import { candidateQueueNames, queueOwnershipKey } from "../../provider/jobqueue/naming";

const ids = { projectId: "prj_1", computeConfigId: "cpt_1", buildId: "bld_1" };

describe("buildSubmitJobBody", () => {
  it("fills the SDK defaults and tags the submission", () => {
    const body = buildSubmitJobBody({ name: "train", entrypoint: "python t.py" }, ids, undefined, "key123");
    expect(body).toEqual({
      name: "train",
      project_id: "prj_1",
      config: { entrypoint: "python t.py", build_id: "bld_1", compute_config_id: "cpt_1", max_retries: 1, runtime_env: undefined, timeout_s: undefined, connection_ids: undefined, priority: undefined },
      job_queue_config: undefined,
      tags: { "pulumi-anyscale/submission-key": "key123" },
    });
  });

  it("maps an inline queue spec and a target queue", () => {
    const spec = buildSubmitJobBody(
      { name: "a", entrypoint: "x", maxRetries: 0, timeoutS: 60, jobQueue: { priority: 2, jobQueueSpec: { name: "q", executionMode: "PRIORITY", idleTimeoutS: 30 } } },
      { ...ids, queueComputeConfigId: "cpt_q" },
      { env_vars: { A: "1" } },
      "k",
    );
    expect(spec.config).toMatchObject({ max_retries: 0, timeout_s: 60, runtime_env: { env_vars: { A: "1" } } });
    expect(spec.job_queue_config).toEqual({
      priority: 2,
      target_job_queue_id: undefined,
      target_job_queue_name: undefined,
      job_queue_spec: { job_queue_name: "q", execution_mode: "PRIORITY", compute_config_id: "cpt_q", max_concurrency: 1, idle_timeout_sec: 30, auto_termination_threshold_job_count: undefined },
    });
    const target = buildSubmitJobBody({ name: "b", entrypoint: "x", jobQueue: { targetJobQueueId: "jq_1", targetJobQueueName: "q" } }, ids, undefined, "k");
    expect(target.job_queue_config).toMatchObject({ target_job_queue_id: "jq_1", target_job_queue_name: "q" });
  });
});

describe("job queue planning and naming", () => {
  const olds = { name: "batch-abc1234", generatedName: true, executionMode: "FIFO", maxConcurrency: 1, idleTimeoutS: 60, deletionPolicy: "archive", state: "ACTIVE" };

  it("updates concurrency and idle timeout in place", () => {
    const plan = planJobQueueChange(olds, { executionMode: "FIFO", maxConcurrency: 3, idleTimeoutS: 90, deletionPolicy: "archive" });
    expect(plan).toMatchObject({ changes: true, replaces: [], inPlace: { max_concurrency: 3, idle_timeout_sec: 90 } });
  });

  it("keeps a generated name while none is given, and replaces on the rest", () => {
    expect(planJobQueueChange(olds, { executionMode: "FIFO", maxConcurrency: 1, idleTimeoutS: 60, deletionPolicy: "archive" }).changes).toBe(false);
    const named = planJobQueueChange(olds, { name: "mine", executionMode: "FIFO", maxConcurrency: 1, idleTimeoutS: 60, deletionPolicy: "archive" });
    expect(named).toMatchObject({ replaces: ["name"], deleteBeforeReplace: false });
    const mode = planJobQueueChange({ ...olds, name: "mine", generatedName: false }, { name: "mine", executionMode: "LIFO", maxConcurrency: 1, idleTimeoutS: 60 });
    // a kept explicit name cannot exist twice in a project: the old queue goes first
    expect(mode).toMatchObject({ replaces: ["executionMode"], deleteBeforeReplace: true });
  });

  it("derives stable names and ownership keys from the resource and its definition", () => {
    const inputs = { submissionScope: "p/dev/batch", executionMode: "FIFO" };
    const names = candidateQueueNames(inputs);
    expect(names[0]).toMatch(/^batch-[0-9a-f]{7}$/);
    expect(names[1]).toBe(`${names[0]}-2`);
    expect(candidateQueueNames({ ...inputs, maxConcurrency: 9 })[0]).toBe(names[0]);
    expect(candidateQueueNames({ ...inputs, executionMode: "LIFO" })[0]).not.toBe(names[0]);
    expect(candidateQueueNames({ ...inputs, name: "given" })).toEqual(["given"]);
    expect(queueOwnershipKey(inputs)).toBe(queueOwnershipKey({ ...inputs, idleTimeoutS: 5 }));
    expect(queueOwnershipKey(inputs)).not.toBe(queueOwnershipKey({ ...inputs, submissionScope: "p/prod/batch" }));
  });

  it("sends CreateJobQueueRequests with the ownership tag", () => {
    const body = buildCreateQueueBody(
      { name: "q", executionMode: "PRIORITY", maxConcurrency: 2, idleTimeoutS: 30, deletionPolicy: "archive", tags: { team: "ml" } },
      ids,
      { "pulumi-anyscale/submission-key": "k" },
    );
    expect(body).toEqual({
      job_queue_name: "q",
      execution_mode: "PRIORITY",
      compute_config_id: "cpt_1",
      cluster_environment_build_id: "bld_1",
      max_concurrency: 2,
      idle_timeout_sec: 30,
      auto_termination_threshold_job_count: undefined,
      project_id: "prj_1",
      tags: { team: "ml", "pulumi-anyscale/submission-key": "k" },
    });
  });
});
