// Bad server responses on the job endpoints become errors naming the endpoint, never a crash or a default.
import { MockAgent } from "undici";
import { AnyscaleClient } from "../../provider/anyscale/client";
import { UnexpectedResponseError } from "../../provider/core/errors";

const HOST = "http://anyscale.test";
const TOKEN = "sss_unit_test_token_123456";

function clientWith(agent: MockAgent): AnyscaleClient {
  return new AnyscaleClient({ host: HOST, token: TOKEN, transport: { dispatcher: agent, retry: { maxAttempts: 1 } } });
}

describe("jobs and job queues: response checks", () => {
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(async () => {
    await agent.close();
  });

  it("names the endpoint when a job has no state", async () => {
    agent.get(HOST).intercept({ path: "/api/v2/decorated_ha_jobs/prodjob_1", method: "GET" }).reply(200, { result: { id: "prodjob_1", name: "x" } });
    const error = await clientWith(agent).jobs.get("prodjob_1").catch((e) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(/GET \/api\/v2\/decorated_ha_jobs\/prodjob_1.*state/);
  });

  it("names the endpoint when the runs search answers something else", async () => {
    agent.get(HOST).intercept({ path: "/api/v2/decorated_ha_jobs/job_runs/search", method: "POST" }).reply(200, { results: [] });
    const error = await clientWith(agent).jobs.listRuns("prodjob_1").catch((e) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(/POST \/api\/v2\/decorated_ha_jobs\/job_runs\/search/);
  });

  it("treats 404 as gone, and other statuses as errors with the server's detail", async () => {
    agent.get(HOST).intercept({ path: "/api/v2/decorated_ha_jobs/gone", method: "GET" }).reply(404, { error: { detail: "not found" } });
    expect(await clientWith(agent).jobs.get("gone")).toBeUndefined();
    agent.get(HOST).intercept({ path: "/api/v2/job_queues/create", method: "POST" }).reply(400, { error: { detail: `bad idle_timeout_sec (token ${TOKEN})` } });
    const error = await clientWith(agent).jobQueues.create({}).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/POST \/api\/v2\/job_queues\/create failed with 400: bad idle_timeout_sec/);
    expect(error.message).not.toContain(TOKEN);
  });

  it("reads log chunks as text with the bearer token, never the API token", async () => {
    const pool = agent.get(HOST);
    pool
      .intercept({ path: (p) => p.startsWith("/api/v2/logs/job_logs_download_v2/run_1"), method: "GET" })
      .reply(200, { result: { log_chunks: [{ chunk_url: `${HOST}/chunks/1` }, { chunk_url: `${HOST}/chunks/2` }], next_page_token: null, bearer_token: "chunk-bearer" } });
    let chunkHeaders: Record<string, string> = {};
    pool.intercept({ path: "/chunks/2", method: "GET" }).reply(200, (opts) => {
      chunkHeaders = opts.headers as Record<string, string>;
      return '{"message": "c"}\n{"message": "d"}\n';
    });
    pool.intercept({ path: "/chunks/1", method: "GET" }).reply(200, "a\nb\n");
    expect(await clientWith(agent).jobs.logTail("run_1", 3)).toEqual(["b", '{"message": "c"}', '{"message": "d"}']);
    expect(chunkHeaders.authorization).toBe("Bearer chunk-bearer");
    expect(JSON.stringify(chunkHeaders)).not.toContain(TOKEN);
  });
});
