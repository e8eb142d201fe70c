// Job API details on the local control plane: bad input, list filters and paging, log paging.
import { getJob, jobBody, logsOf, startPlane, submit, waitForJob, type Plane } from "./local-jobs-harness";
import { errorText } from "../helpers/local-plane";

jest.setTimeout(60_000);

let p: Plane;
beforeAll(async () => {
  p = await startPlane();
});
afterAll(async () => {
  await p?.stop();
});

async function jobCount(): Promise<number> {
  return (await p.api("GET", "/api/v2/decorated_ha_jobs/?archive_status=ALL&count=1")).body.metadata.total;
}

describe("bad input is rejected with a status and a detail naming the field, creating nothing", () => {
  const cases: Array<[string, Record<string, any>, number, RegExp]> = [
    ["missing entrypoint", { name: "bad", config: {} }, 422, /config\.entrypoint/],
    ["empty entrypoint", { name: "bad", config: { entrypoint: "  " } }, 422, /config\.entrypoint/],
    ["missing name", { config: { entrypoint: "true" } }, 422, /name/],
    ["negative timeout", jobBody("bad", "true", { config: { timeout_s: -1 } }), 422, /config\.timeout_s/],
    ["negative max_retries", jobBody("bad", "true", { config: { max_retries: -2 } }), 422, /config\.max_retries/],
    ["negative priority", jobBody("bad", "true", { job_queue_config: { priority: -1, target_job_queue_name: "x" } }), 422, /job_queue_config\.priority/],
    ["fractional priority", jobBody("bad", "true", { job_queue_config: { priority: 1.5, target_job_queue_name: "x" } }), 422, /job_queue_config\.priority/],
    [
      "both target queue and spec",
      jobBody("bad", "true", { job_queue_config: { target_job_queue_name: "x", job_queue_spec: { job_queue_name: "y", idle_timeout_sec: 10 } } }),
      400,
      /mutually exclusive/,
    ],
    ["spec without idle_timeout_sec", jobBody("bad", "true", { job_queue_config: { job_queue_spec: { job_queue_name: "y" } } }), 422, /idle_timeout_sec/],
    ["bad execution mode", jobBody("bad", "true", { job_queue_config: { job_queue_spec: { execution_mode: "RANDOM", idle_timeout_sec: 1 } } }), 422, /execution_mode/],
    ["unknown target queue", jobBody("bad", "true", { job_queue_config: { target_job_queue_name: "no-such-queue" } }), 404, /target_job_queue_name/],
    ["unknown project", jobBody("bad", "true", { project_id: "prj_nope" }), 404, /project_id/],
    ["unknown compute config", jobBody("bad", "true", { config: { compute_config_id: "cpt_nope" } }), 404, /compute_config_id/],
  ];
  test.each(cases)("%s", async (_label, body, status, detail) => {
    const before = await jobCount();
    const res = await p.api("POST", "/api/v2/decorated_ha_jobs/create", body);
    expect(res.status).toBe(status);
    expect(errorText(res.body)).toMatch(detail);
    expect(await jobCount()).toBe(before);
  });

  test("unknown ids are 404 everywhere", async () => {
    expect((await p.api("GET", "/api/v2/decorated_ha_jobs/prodjob_nope")).status).toBe(404);
    expect((await p.api("GET", "/ext/v0/production_jobs/prodjob_nope")).status).toBe(404);
    expect((await p.api("POST", "/api/v2/decorated_ha_jobs/prodjob_nope/terminate")).status).toBe(404);
    expect((await p.api("GET", "/api/v2/logs/job_logs_download_v2/prodjobrun_nope")).status).toBe(404);
    expect((await p.api("GET", "/api/v2/job_queues/jq_nope")).status).toBe(404);
  });

  test("queue updates are validated", async () => {
    const id = await submit(p, jobBody("q", "true", { job_queue_config: { job_queue_spec: { job_queue_name: "validated", idle_timeout_sec: 5 } } }));
    const queueId = (await getJob(p, id)).job_queue_id;
    expect(errorText((await p.api("PUT", `/api/v2/job_queues/${queueId}`, { max_concurrency: 0 })).body)).toMatch(/max_concurrency/);
    expect(errorText((await p.api("PUT", `/api/v2/job_queues/${queueId}`, { idle_timeout_sec: -1 })).body)).toMatch(/idle_timeout_sec/);
    expect((await p.api("PUT", `/api/v2/job_queues/${queueId}`, {})).status).toBe(400);
  });
});

test("the job list honours every filter the SDK sends, sorting and paging", async () => {
  const ids: Record<string, string> = {};
  ids.alpha = await submit(p, jobBody("list-alpha", "true", { tags: { team: "ml", env: "prod" } }));
  ids.beta = await submit(p, jobBody("list-beta", "exit 1", { tags: { team: "infra", env: "prod" } }));
  ids.gamma = await submit(p, jobBody("list-gamma", "true", { tags: { team: "web", env: "dev" } }));
  for (const id of Object.values(ids)) await waitForJob(p, id);
  const list = async (q: string) => (await p.api("GET", `/api/v2/decorated_ha_jobs/?type_filter=BATCH_JOB&name=list-&${q}`)).body;
  const names = async (q: string) => (await list(q)).results.map((j: any) => j.name).sort();

  expect(await names("")).toEqual(["list-alpha", "list-beta", "list-gamma"]);
  expect(await names("state_filter=SUCCESS")).toEqual(["list-alpha", "list-gamma"]);
  expect(await names("state_filter=OUT_OF_RETRIES&state_filter=BROKEN")).toEqual(["list-beta"]);
  // OR within a key, AND across keys.
  expect(await names("tag_filter=team:ml&tag_filter=team:infra")).toEqual(["list-alpha", "list-beta"]);
  expect(await names("tag_filter=team:ml&tag_filter=team:infra&tag_filter=env:dev")).toEqual([]);
  expect(await names("tag_filter=env:prod&tag_filter=team:infra")).toEqual(["list-beta"]);
  // name is a case-insensitive substring match.
  const byName = (await p.api("GET", "/api/v2/decorated_ha_jobs/?name=LIST-ALP")).body.results.map((j: any) => j.name);
  expect(byName).toEqual(["list-alpha"]);
  const me = (await p.api("GET", "/api/v2/userinfo/")).body.result.id;
  expect(await names(`creator_id=${me}`)).toHaveLength(3);
  expect(await names("creator_id=usr_someone_else")).toEqual([]);
  expect(await names("created_at_from=2000-01-01T00:00:00Z&created_at_to=2999-01-01T00:00:00Z")).toHaveLength(3);
  expect(await names("created_at_from=2999-01-01T00:00:00Z")).toEqual([]);
  expect(await names("status_updated_at_to=2000-01-01T00:00:00Z")).toEqual([]);

  const sorted = await list("sort_field=NAME&sort_order=DESC");
  expect(sorted.results.map((j: any) => j.name)).toEqual(["list-gamma", "list-beta", "list-alpha"]);

  const first = await list("sort_field=NAME&sort_order=ASC&count=2");
  expect(first.metadata.total).toBe(3);
  expect(first.results.map((j: any) => j.name)).toEqual(["list-alpha", "list-beta"]);
  const second = await list(`sort_field=NAME&sort_order=ASC&count=2&paging_token=${first.metadata.next_paging_token}`);
  expect(second.results.map((j: any) => j.name)).toEqual(["list-gamma"]);
  expect(second.metadata.next_paging_token).toBeNull();

  const decorated = first.results[0];
  expect(decorated).toMatchObject({ is_service: false, project: { name: "default" }, creator: { id: me }, last_job_run: { status: "SUCCEEDED" } });

  const badState = await p.api("GET", "/api/v2/decorated_ha_jobs/?state_filter=SUCCEEDED");
  expect(badState.status).toBe(422);
  expect(errorText(badState.body)).toMatch(/state_filter/);

  const runs = await p.api("POST", "/api/v2/decorated_ha_jobs/job_runs/search", { ha_job_ids: [ids.alpha, ids.beta, "prodjob_unknown"] });
  expect(Object.keys(runs.body.results).sort()).toEqual([ids.alpha, ids.beta].sort());
  const ext = await p.api("POST", "/ext/v0/jobs/search", { ha_job_id: ids.beta, paging: { count: 10 } });
  expect(ext.body.results).toHaveLength(1);
  expect(ext.body.results[0]).toMatchObject({ status: "FAILED", runtime_environment_id: expect.any(String) });
});

test("logs page like the platform: a follow-up token sees only new chunks, and chunk URLs need a valid signature", async () => {
  const id = await submit(p, jobBody("log-pager", "for i in 1 2 3; do echo line-$i; sleep 0.3; done"));
  const running = await waitForJob(p, id, ["RUNNING"]);
  const runId = running.last_job_run_id;
  // Follow the log as `anyscale job wait --follow` does: keep the last token while pages come back empty.
  let token: string | null = null;
  let chunkUrl: URL | undefined;
  let seen = "";
  const follow = async () => {
    const page = (await p.api("GET", `/api/v2/logs/job_logs_download_v2/${runId}${token ? `?next_page_token=${token}` : ""}`)).body.result;
    expect(page.bearer_token).toBeNull();
    for (const chunk of page.log_chunks) {
      chunkUrl ??= new URL(chunk.chunk_url);
      seen += await (await (await import("undici")).request(chunk.chunk_url)).body.text();
    }
    if (page.log_chunks.length > 0) token = page.next_page_token;
  };
  for (let i = 0; i < 200 && seen.length === 0; i++) {
    await follow();
    if (seen.length === 0) await new Promise((r) => setTimeout(r, 50));
  }
  expect(seen.startsWith("line-1\n")).toBe(true);
  await waitForJob(p, id);
  await follow();
  await follow();
  // Every line exactly once, though the log grew between pages.
  expect(seen).toBe("line-1\nline-2\nline-3\n");
  expect(await logsOf(p, runId)).toBe(seen);

  chunkUrl!.searchParams.set("signature", "0".repeat(64));
  const { request } = await import("undici");
  const forged = await request(chunkUrl!.toString());
  await forged.body.text();
  expect(forged.statusCode).toBe(403);
});
