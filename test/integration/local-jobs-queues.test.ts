// Job queues on the local control plane: ordering, concurrency, counts, and the queue endpoints.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { getJob, jobBody, startPlane, submit, waitForJob, type Plane } from "./local-jobs-harness";
import { errorText } from "../helpers/local-plane";

jest.setTimeout(90_000);

let p: Plane;
let scratch: string;
beforeAll(async () => {
  p = await startPlane();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "local-jobs-queues-"));
});
afterAll(async () => {
  await p?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A job that waits (bounded) for `gate` to exist, then appends its label to `sequence`. */
function gatedJob(label: string, gate: string, sequence: string): string {
  return `for i in $(seq 1 1200); do [ -f ${gate} ] && break; sleep 0.05; done; echo ${label} >> ${sequence}`;
}

async function runOrderScenario(mode: "FIFO" | "LIFO" | "PRIORITY", priorities: Record<string, number>): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(scratch, `${mode}-`));
  const gate = path.join(dir, "gate");
  const sequence = path.join(dir, "sequence");
  const queueName = `order-${mode.toLowerCase()}-${path.basename(dir)}`;
  const spec = { job_queue_name: queueName, execution_mode: mode, max_concurrency: 1, idle_timeout_sec: 60 };
  // The blocker takes the only slot; the others queue up behind it.
  const blocker = await submit(p, jobBody("blocker", gatedJob("blocker", gate, sequence), { job_queue_config: { job_queue_spec: spec } }));
  await waitForJob(p, blocker, ["RUNNING"]);
  const ids: string[] = [];
  for (const label of Object.keys(priorities)) {
    ids.push(
      await submit(p, jobBody(label, `echo ${label} >> ${sequence}`, { job_queue_config: { target_job_queue_name: queueName, priority: priorities[label] } })),
    );
  }
  for (const id of ids) expect((await getJob(p, id)).state.current_state).toBe("PENDING");
  fs.writeFileSync(gate, "");
  for (const id of [blocker, ...ids]) expect((await waitForJob(p, id)).state.current_state).toBe("SUCCESS");
  return fs.readFileSync(sequence, "utf8").trim().split("\n");
}

test("FIFO runs queued jobs in submission order", async () => {
  expect(await runOrderScenario("FIFO", { a: 3, b: 1, c: 2 })).toEqual(["blocker", "a", "b", "c"]);
});

test("LIFO runs the most recently submitted job first", async () => {
  expect(await runOrderScenario("LIFO", { a: 3, b: 1, c: 2 })).toEqual(["blocker", "c", "b", "a"]);
});

test("PRIORITY runs priority 0 first (lower number wins)", async () => {
  expect(await runOrderScenario("PRIORITY", { a: 3, b: 0, c: 2 })).toEqual(["blocker", "b", "c", "a"]);
});

test("max_concurrency 2 runs two jobs at once and holds the third; counts follow", async () => {
  const dir = fs.mkdtempSync(path.join(scratch, "conc-"));
  const gate = path.join(dir, "gate");
  const sequence = path.join(dir, "sequence");
  const spec = { job_queue_name: `conc-${path.basename(dir)}`, execution_mode: "FIFO", max_concurrency: 2, idle_timeout_sec: 0 };
  const ids = [];
  for (const label of ["one", "two", "three"]) {
    ids.push(await submit(p, jobBody(label, gatedJob(label, gate, sequence), { job_queue_config: { job_queue_spec: spec } })));
  }
  await waitForJob(p, ids[0], ["RUNNING"]);
  await waitForJob(p, ids[1], ["RUNNING"]);
  const third = await getJob(p, ids[2]);
  expect(third.state.current_state).toBe("PENDING");
  expect(third.position_in_job_queue).toBe(0);
  const queueId = third.job_queue_id;
  expect(third.job_queue).toEqual({ id: queueId, name: spec.job_queue_name });
  const during = (await p.api("GET", `/api/v2/job_queues/${queueId}`)).body.result;
  expect(during).toMatchObject({ total_jobs: 3, active_jobs: 3, successful_jobs: 0, current_cluster_state: "Running", max_concurrency: 2 });
  fs.writeFileSync(gate, "");
  for (const id of ids) expect((await waitForJob(p, id)).state.current_state).toBe("SUCCESS");
  const after = (await p.api("GET", `/api/v2/job_queues/${queueId}`)).body.result;
  expect(after).toMatchObject({ total_jobs: 3, active_jobs: 0, successful_jobs: 3, failed_jobs: 0 });
  // idle_timeout_sec 0: the queue's cluster stops as soon as it is idle.
  expect(await pollQueue(queueId, (q) => q.current_cluster_state === "Terminated")).toBe(true);
});

test("queue endpoints: create, search, update, seal, terminate, delete", async () => {
  const catalog = (await p.api("GET", "/ext/v0/projects/default_project?parent_cloud_id=" + (await p.api("GET", "/ext/v0/clouds/default")).body.result.id)).body.result;
  const computeConfigId = (await p.api("GET", `/ext/v0/cluster_computes/default?cloud_id=${catalog.parent_cloud_id ?? catalog.cloud_id}`)).body.result.id;
  const buildId = (await p.api("GET", "/ext/v0/cluster_environment_builds/default?python_version=py311&ray_version=2.48.0")).body.result.id;
  const created = await p.api("POST", "/api/v2/job_queues/create", {
    job_queue_name: "managed-queue",
    execution_mode: "PRIORITY",
    compute_config_id: computeConfigId,
    cluster_environment_build_id: buildId,
    max_concurrency: 1,
    idle_timeout_sec: 300,
    auto_termination_threshold_job_count: 10,
    project_id: catalog.id,
    tags: { owner: "queues-test" },
  });
  expect(created.status).toBe(200);
  const queue = created.body.result;
  expect(queue).toMatchObject({ name: "managed-queue", execution_mode: "PRIORITY", state: "ACTIVE", idle_timeout_sec: 300 });
  const duplicate = await p.api("POST", "/api/v2/job_queues/create", { ...created.body.result, job_queue_name: "managed-queue", project_id: catalog.id, compute_config_id: computeConfigId, cluster_environment_build_id: buildId });
  expect(duplicate.status).toBe(409);

  const search = await p.api("POST", "/api/v2/job_queues/", { name: { equals: "managed-queue" }, archive_status: "NOT_ARCHIVED", paging: { count: 10 } });
  expect(search.body.results.map((q: any) => q.id)).toEqual([queue.id]);
  expect(search.body.results[0]).toMatchObject({ current_job_queue_state: "ACTIVE", auto_termination_threshold_job_count: 10, creator_email: expect.any(String) });
  const byTag = await p.api("POST", "/api/v2/job_queues/", { tags_filter: { owner: ["nobody", "queues-test"] } });
  expect(byTag.body.results.map((q: any) => q.id)).toEqual([queue.id]);

  // Two long jobs with one slot; raising max_concurrency starts the second.
  const first = await submit(p, jobBody("q-first", "sleep 60", { job_queue_config: { target_job_queue_id: queue.id, priority: 1 } }));
  const second = await submit(p, jobBody("q-second", "sleep 60", { job_queue_config: { target_job_queue_name: "managed-queue", priority: 2 } }));
  await waitForJob(p, first, ["RUNNING"]);
  expect((await getJob(p, second)).state.current_state).toBe("PENDING");
  const updated = await p.api("PUT", `/api/v2/job_queues/${queue.id}`, { max_concurrency: 2, idle_timeout_sec: 120 });
  expect(updated.status).toBe(200);
  expect(updated.body.result).toMatchObject({ max_concurrency: 2, idle_timeout_sec: 120 });
  await waitForJob(p, second, ["RUNNING"]);

  // Deleting a queue with unfinished jobs is refused.
  expect((await p.api("DELETE", `/api/v2/job_queues/${queue.id}`)).status).toBe(400);

  const sealed = await p.api("POST", `/api/v2/job_queues/${queue.id}/archive`);
  expect(sealed.status).toBe(200);
  expect(sealed.body.result).toMatchObject({ current_job_queue_state: "SEALED", sealed_at: expect.any(String) });
  const rejected = await p.api("POST", "/api/v2/decorated_ha_jobs/create", jobBody("late", "true", { job_queue_config: { target_job_queue_id: queue.id } }));
  expect(rejected.status).toBe(400);
  expect(errorText(rejected.body)).toMatch(/sealed/);
  const notListed = await p.api("POST", "/api/v2/job_queues/", { name: { equals: "managed-queue" } });
  expect(notListed.body.results).toHaveLength(0);

  const terminated = await p.api("POST", `/api/v2/job_queues/${queue.id}/terminate`);
  expect(terminated.status).toBe(200);
  expect(terminated.body.result).toMatchObject({ job_queue_id: queue.id, total_jobs_marked_for_termination: 2 });
  for (const id of [first, second]) expect((await waitForJob(p, id)).state.current_state).toBe("TERMINATED");

  const jobs = await p.api("GET", `/api/v2/job_queues/${queue.id}/jobs`);
  expect(jobs.body.results.map((j: any) => j.id)).toEqual([first, second]);

  expect((await p.api("DELETE", `/api/v2/job_queues/${queue.id}`)).status).toBe(204);
  expect((await p.api("GET", `/api/v2/job_queues/${queue.id}`)).status).toBe(404);
  // Jobs previously submitted remain accessible.
  expect((await getJob(p, first)).job_queue_id).toBe(queue.id);
});

test("terminating a waiting job ends it at once, without a run, and the queue moves on", async () => {
  const dir = fs.mkdtempSync(path.join(scratch, "term-"));
  const gate = path.join(dir, "gate");
  const sequence = path.join(dir, "sequence");
  const spec = { job_queue_name: `term-${path.basename(dir)}`, max_concurrency: 1, idle_timeout_sec: 60 };
  const running = await submit(p, jobBody("running", gatedJob("running", gate, sequence), { job_queue_config: { job_queue_spec: spec } }));
  const waiting = await submit(p, jobBody("waiting", `echo waiting >> ${sequence}`, { job_queue_config: { target_job_queue_name: spec.job_queue_name } }));
  const next = await submit(p, jobBody("next", `echo next >> ${sequence}`, { job_queue_config: { target_job_queue_name: spec.job_queue_name } }));
  await waitForJob(p, running, ["RUNNING"]);
  const res = await p.api("POST", `/api/v2/decorated_ha_jobs/${waiting}/terminate`);
  expect(res.body.result.state.current_state).toBe("TERMINATED");
  expect((await getJob(p, next)).position_in_job_queue).toBe(0);
  fs.writeFileSync(gate, "");
  expect((await waitForJob(p, next)).state.current_state).toBe("SUCCESS");
  expect(fs.readFileSync(sequence, "utf8").trim().split("\n")).toEqual(["running", "next"]);
  const runs = await p.api("POST", "/api/v2/decorated_ha_jobs/job_runs/search", { ha_job_ids: [waiting] });
  expect(runs.body.results[waiting] ?? []).toEqual([]);
  const queue = (await p.api("GET", `/api/v2/job_queues/${(await getJob(p, next)).job_queue_id}`)).body.result;
  expect(queue).toMatchObject({ total_jobs: 3, active_jobs: 0, successful_jobs: 2, failed_jobs: 0 });
});

async function pollQueue(queueId: string, predicate: (q: any) => boolean): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (predicate((await p.api("GET", `/api/v2/job_queues/${queueId}`)).body.result)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
