import { parse } from "yaml";
import { api, waitUntil } from "../helpers/local-plane";
import { describeRun, type CliResult } from "../helpers/anyscale-cli";
import { jobConfig, uniqueName, writeConfig } from "../helpers/cli-fixtures";
import { useCliContract, type LoggedRequest } from "../helpers/cli-contract";

// Contract: the official `anyscale` CLI drives the job and job-queue commands of the seed
// reference against the local control plane over real HTTP; each scenario asserts the exit code,
// the output, and what reached the wire.

jest.setTimeout(180_000);

const contract = useCliContract();
const anyscale = contract.anyscale;

async function requestCount(): Promise<number> {
  return (await api(contract.plane).get<LoggedRequest[]>("/_local/requests")).body.length;
}

async function requestsSince(mark: number): Promise<LoggedRequest[]> {
  return (await api(contract.plane).get<LoggedRequest[]>("/_local/requests")).body.slice(mark);
}

interface Submitted {
  id: string;
  result: CliResult;
  create: any;
  requests: LoggedRequest[];
}

async function submit(fixture: string, name: string, overrides: Record<string, unknown> = {}, extraArgs: string[] = []): Promise<Submitted> {
  const file = writeConfig(contract.workDir, `${name}.yaml`, jobConfig(fixture, name, overrides));
  const mark = await requestCount();
  const result = await anyscale(["job", "submit", "-f", file, ...extraArgs]);
  const requests = await requestsSince(mark);
  const creates = requests.filter((r) => r.method === "POST" && r.path === "/api/v2/decorated_ha_jobs/create");
  expect(creates).toHaveLength(1);
  const id = /ID: '([^']+)'/.exec(result.stderr)?.[1];
  if (!id) throw new Error(`no job id in submit output\n${describeRun(["job", "submit"], result)}`);
  return { id, result, create: creates[0].body, requests };
}

/** The plane's own view of the job's state (HaJobStates), used to avoid `job wait`'s 10 s polling sleeps. */
async function untilJobState(id: string, states: string[]): Promise<void> {
  await waitUntil(
    async () => {
      const found = await api(contract.plane).get(`/api/v2/decorated_ha_jobs/${id}`);
      return states.includes(found.body.result?.state?.current_state);
    },
    { timeoutMs: 60_000, intervalMs: 50, what: `job ${id} in ${states.join("|")}` },
  );
}

async function statusJson(args: string[]): Promise<any> {
  return JSON.parse((await anyscale(["job", "status", ...args, "-o", "json"])).stdout);
}

async function listJobs(args: string[]): Promise<any[]> {
  return JSON.parse((await anyscale(["job", "list", "--v2", "--no-interactive", "-o", "json", ...args])).stdout);
}

describe("official CLI: anyscale job", () => {
  const name = uniqueName("contract-job");
  let jobId: string;

  test("job submit -f with a local working_dir uploads it and creates the job", async () => {
    const submitted = await submit("job.yaml", name);
    jobId = submitted.id;
    expect(submitted.result.stderr).toContain(`Job '${name}' submitted, ID: '${jobId}'.`);
    expect(submitted.result.stderr).toContain("Use `--wait` to wait for the job to run and stream logs.");

    const presign = submitted.requests.find((r) => r.path.endsWith("/generate_cloud_data_bucket_presigned_url"));
    expect(presign?.body).toEqual({ file_type: "runtime_env_packages", file_name: expect.stringMatching(/^pkg_[0-9a-f]{32}\.zip$/), access_mode: "WRITE" });

    expect(submitted.create).toMatchObject({
      name,
      project_id: expect.any(String),
      config: {
        entrypoint: "python3 main.py",
        build_id: expect.any(String),
        compute_config_id: expect.any(String),
        max_retries: 0,
        timeout_s: 300,
        runtime_env: { env_vars: { GREETING: "hello" } },
      },
      tags: { team: "contract" },
    });
    expect(submitted.create.config.runtime_env.working_dir).toMatch(/pkg_[0-9a-f]{32}\.zip$/);
    expect(submitted.create.config.runtime_env.user_provided_working_dir).toContain("job-app");
    expect(submitted.create).not.toHaveProperty("job_queue_config");
    expect(submitted.create).not.toHaveProperty("workspace_id");
  });

  test("job wait exits 0 once the job SUCCEEDED", async () => {
    await untilJobState(jobId, ["SUCCESS"]);
    const result = await anyscale(["job", "wait", "-n", name, "--timeout-s", "60"]);
    expect(result.stderr).toContain(`Job '${name}' reached target state, exiting`);
  });

  test("job status by name (json) and by id (-v, yaml)", async () => {
    const status = await statusJson(["-n", name]);
    expect(status).toMatchObject({ id: jobId, name, state: "SUCCEEDED", runs: [expect.objectContaining({ state: "SUCCEEDED" })] });
    expect(status).not.toHaveProperty("config");

    const verbose = parse((await anyscale(["job", "status", "--id", jobId, "-v"])).stdout);
    expect(verbose).toMatchObject({ id: jobId, state: "SUCCEEDED", config: { name, entrypoint: "python3 main.py", max_retries: 0, timeout_s: 300 } });
    expect(verbose.config.working_dir).toMatch(/pkg_[0-9a-f]{32}\.zip$/);
    expect(verbose.config.env_vars).toEqual({ GREETING: "hello" });
  });

  test("job logs prints the run's output; --head --max-lines limits it", async () => {
    const logs = await anyscale(["job", "logs", "--id", jobId]);
    expect(logs.stdout).toContain("contract job starting");
    expect(logs.stdout).toContain("greeting=hello");
    expect(logs.stdout).toContain("contract job done");

    const head = await anyscale(["job", "logs", "-n", name, "--head", "--max-lines", "1"]);
    expect(head.stdout.trim().split("\n")).toEqual([expect.stringContaining("contract job starting")]);
  });

  test("job wait on a failing job exits 1 naming the terminal state", async () => {
    const failing = await submit("job.yaml", uniqueName("contract-failing"), { entrypoint: "python3 -c 'import sys; sys.exit(3)'" });
    await untilJobState(failing.id, ["OUT_OF_RETRIES", "BROKEN"]);
    const result = await anyscale(["job", "wait", "--id", failing.id, "--timeout-s", "60"], 1);
    expect(result.stderr).toContain(`Job '${failing.id}' reached terminal state 'FAILED', and will not reach 'SUCCEEDED'.`);
    expect((await statusJson(["--id", failing.id])).state).toBe("FAILED");
  });

  test("job terminate stops a running job", async () => {
    const sleeper = await submit("job.yaml", uniqueName("contract-sleeper"), { entrypoint: "sleep 60", timeout_s: 120 });
    await untilJobState(sleeper.id, ["RUNNING"]);
    const mark = await requestCount();
    const result = await anyscale(["job", "terminate", "--id", sleeper.id]);
    expect(result.stderr).toContain("Marked job");
    const terminate = (await requestsSince(mark)).find((r) => r.method === "POST" && r.path.endsWith("/terminate"));
    expect(terminate?.path).toBe(`/ext/v0/production_jobs/${sleeper.id}/terminate`);
    await untilJobState(sleeper.id, ["TERMINATED"]);
    await anyscale(["job", "wait", "--id", sleeper.id, "--state", "TERMINATED", "--timeout-s", "60"]);
  });

  test("job tags add | list | remove", async () => {
    await anyscale(["job", "tags", "add", "--id", jobId, "--tag", "owner=contract-tests", "--tag", "tier:gold"]);
    const listed = JSON.parse((await anyscale(["job", "tags", "list", "-n", name, "-o", "json"])).stdout);
    expect(listed).toMatchObject({ owner: "contract-tests", tier: "gold", team: "contract" });

    const mark = await requestCount();
    await anyscale(["job", "tags", "remove", "--id", jobId, "--key", "tier"]);
    const removal = (await requestsSince(mark)).find((r) => r.method === "DELETE" && r.path === "/api/v2/tags/resource");
    expect(removal?.body).toEqual({ resource_type: "job", resource_id: jobId, keys: ["tier"] });
    const after = JSON.parse((await anyscale(["job", "tags", "list", "--id", jobId, "-o", "json"])).stdout);
    expect(after).not.toHaveProperty("tier");
  });

  test("job list: name, state and tag filters, sort and paging", async () => {
    const prefix = uniqueName("contract-list");
    const ids: string[] = [];
    for (const suffix of ["a", "b", "c"]) {
      ids.push((await submit("job.yaml", `${prefix}-${suffix}`, { tags: { shard: suffix } })).id);
    }
    for (const id of ids) await untilJobState(id, ["SUCCESS"]);

    const byName = await listJobs(["--name", prefix, "--sort", "name"]);
    expect(byName.map((j) => j.name)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    const descending = await listJobs(["--name", prefix, "--sort", "-name"]);
    expect(descending.map((j) => j.name)).toEqual([`${prefix}-c`, `${prefix}-b`, `${prefix}-a`]);

    const byTag = await listJobs(["--name", prefix, "--tag", "shard:b"]);
    expect(byTag.map((j) => j.id)).toEqual([ids[1]]);

    const succeeded = await listJobs(["--name", prefix, "--state", "SUCCEEDED"]);
    expect(succeeded).toHaveLength(3);
    expect(await listJobs(["--name", prefix, "--state", "RUNNING"])).toHaveLength(0);

    const mark = await requestCount();
    const paged = await listJobs(["--name", prefix, "--sort", "name", "--page-size", "1", "--max-items", "2"]);
    expect(paged.map((j) => j.name)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    const listCalls = (await requestsSince(mark)).filter((r) => r.method === "GET" && r.path === "/api/v2/decorated_ha_jobs/");
    expect(listCalls.length).toBeGreaterThanOrEqual(2);
    expect(listCalls[0].query).toMatchObject({ count: "1", type_filter: "BATCH_JOB", archive_status: "NOT_ARCHIVED", creator_id: expect.any(String) });
    expect(listCalls[1].query.paging_token).toEqual(expect.any(String));
  });

  test("job archive hides the job from the default list", async () => {
    await anyscale(["job", "archive", "--id", jobId]);
    expect(await listJobs(["--name", name])).toHaveLength(0);
    const archived = await listJobs(["--name", name, "--include-archived"]);
    expect(archived.map((j) => j.id)).toEqual([jobId]);
  });
});

describe("official CLI: job queues", () => {
  const queueName = uniqueName("contract-queue");
  let queueId: string;

  test("job submit with a job_queue_spec creates the queue", async () => {
    const submitted = await submit("job-with-queue-spec.yaml", uniqueName("contract-queued"), {
      job_queue_config: { priority: 10, job_queue_spec: { name: queueName, execution_mode: "FIFO", max_concurrency: 2, idle_timeout_s: 600 } },
    });
    expect(submitted.create.job_queue_config).toEqual({
      priority: 10,
      job_queue_spec: { job_queue_name: queueName, execution_mode: "FIFO", max_concurrency: 2, idle_timeout_sec: 600 },
    });
    const job = (await api(contract.plane).get(`/api/v2/decorated_ha_jobs/${submitted.id}`)).body.result;
    expect(job.job_queue_id).toEqual(expect.any(String));
    queueId = job.job_queue_id;
  });

  test("job submit with a target queue name joins the existing queue", async () => {
    const submitted = await submit("job-to-target-queue.yaml", uniqueName("contract-targeted"), { job_queue_config: { target_job_queue_name: queueName } });
    expect(submitted.create.job_queue_config).toEqual({ target_job_queue_name: queueName });
    const job = (await api(contract.plane).get(`/api/v2/decorated_ha_jobs/${submitted.id}`)).body.result;
    expect(job.job_queue_id).toBe(queueId);
  });

  test("job-queue list and status (info)", async () => {
    const mark = await requestCount();
    const listed = JSON.parse((await anyscale(["job-queue", "list", "--name", queueName, "--no-interactive", "-o", "json"])).stdout);
    expect(listed).toEqual([expect.objectContaining({ id: queueId, name: queueName })]);
    const search = (await requestsSince(mark)).find((r) => r.method === "POST" && r.path === "/api/v2/job_queues/");
    expect(search?.body).toMatchObject({ name: { equals: queueName }, archive_status: "NOT_ARCHIVED", paging: { count: 10 } });

    const byId = JSON.parse((await anyscale(["job-queue", "status", "--id", queueId, "-o", "json"])).stdout);
    // The CLI renders every queue field as a string, numbers included.
    expect(byId).toMatchObject({ id: queueId, name: queueName, max_concurrency: "2", idle_timeout_s: "600", execution_mode: "FIFO" });
    // The text view of one queue is printed on stderr (rich table), stdout stays empty.
    const byName = await anyscale(["job-queue", "status", "-n", queueName]);
    expect(byName.stderr).toContain(`Fetching job queue '${queueName}'...`);
    // Narrow table cells wrap long ids over two lines, so only the cell starts are stable.
    expect(byName.stderr).toContain(queueId.slice(0, 12));
    expect(byName.stderr).toMatch(/│ ACTIVE +│/);
  });

  test("job-queue update changes concurrency and idle timeout", async () => {
    const mark = await requestCount();
    const result = await anyscale(["job-queue", "update", "--id", queueId, "--max-concurrency", "4", "--idle-timeout-s", "900", "-o", "json"]);
    const update = (await requestsSince(mark)).find((r) => r.method === "PUT" && r.path === `/api/v2/job_queues/${queueId}`);
    expect(update?.body).toEqual({ max_concurrency: 4, idle_timeout_sec: 900 });
    expect(JSON.parse(result.stdout)).toMatchObject({ id: queueId, max_concurrency: "4", idle_timeout_s: "900" });
    const after = JSON.parse((await anyscale(["job-queue", "status", "--id", queueId, "-o", "json"])).stdout);
    expect(after).toMatchObject({ max_concurrency: "4", idle_timeout_s: "900" });
  });

  test("job-queue tags add | list | remove", async () => {
    await anyscale(["job-queue", "tags", "add", "--id", queueId, "--tag", "owner=contract-tests"]);
    const listed = JSON.parse((await anyscale(["job-queue", "tags", "list", "--id", queueId, "-o", "json"])).stdout);
    expect(listed).toMatchObject({ owner: "contract-tests" });
    await anyscale(["job-queue", "tags", "remove", "--id", queueId, "--key", "owner"]);
    const after = JSON.parse((await anyscale(["job-queue", "tags", "list", "--id", queueId, "-o", "json"])).stdout);
    expect(after).not.toHaveProperty("owner");
  });
});

describe("request log", () => {
  test("carries the official client's identity and never the token", async () => {
    const requests = await requestsSince(0);
    expect(JSON.stringify(requests)).not.toContain(contract.plane.token);
    // Presigned uploads and log-chunk downloads are plain HTTP without Anyscale headers; the
    // test's own look-ups identify themselves as "local-plane-tests".
    const cliRequests = requests.filter((r) => (r.path.startsWith("/api/") || r.path.startsWith("/ext/")) && r.client !== "local-plane-tests");
    expect(cliRequests.length).toBeGreaterThan(0);
    for (const r of cliRequests) expect(r.client).toBe("CLI");
  });

  test("the plane answered every CLI call with a 2xx", async () => {
    const failed = (await requestsSince(0)).filter((r) => r.status >= 300);
    expect(failed.map((r) => `${r.status} ${r.method} ${r.path}`)).toEqual([]);
  });
});
