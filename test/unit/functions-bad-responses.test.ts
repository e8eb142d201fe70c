// Bad server responses become errors naming the endpoint, never a crash or a silent default.
import { MockAgent } from "undici";
import { AnyscaleClient } from "../../provider/anyscale/client";
import { UnexpectedResponseError, NotFoundError } from "../../provider/core/errors";
import { listServices, getService } from "../../provider/functions/services";
import { listJobs } from "../../provider/functions/jobs";
import { listJobQueues } from "../../provider/functions/job-queues";
import type { FunctionContext } from "../../provider/functions/scope";

const HOST = "http://anyscale.test";
const TOKEN = "sss_unit_test_token_123456";

function setup(): { agent: MockAgent; context: FunctionContext } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const client = new AnyscaleClient({ host: HOST, token: TOKEN, transport: { dispatcher: agent, retry: { maxAttempts: 1 } } });
  return { agent, context: { client } };
}

const json = { headers: { "content-type": "application/json" } };

test("a list without a results array names the endpoint", async () => {
  const { agent, context } = setup();
  agent.get(HOST).intercept({ path: (p) => p.startsWith("/api/v2/services-v2/"), method: "GET" }).reply(200, { result: [] }, json);
  const run = listServices(context, {});
  await expect(run).rejects.toBeInstanceOf(UnexpectedResponseError);
  await expect(run).rejects.toThrow("GET /api/v2/services-v2/");
});

test("a list item missing required fields names the endpoint and the item", async () => {
  const { agent, context } = setup();
  agent
    .get(HOST)
    .intercept({ path: (p) => p.startsWith("/api/v2/services-v2/"), method: "GET" })
    .reply(200, { results: [{ name: "no-id", current_state: "RUNNING", project_id: "p" }], metadata: { next_paging_token: null } }, json);
  await expect(listServices(context, {})).rejects.toThrow(/GET \/api\/v2\/services-v2\/ \(results\[0\]\).*id/);
});

test("a repeated paging token is reported instead of looping", async () => {
  const { agent, context } = setup();
  const page = { results: [{ id: "svc_1", name: "a", current_state: "RUNNING", project_id: "p" }], metadata: { next_paging_token: "same" } };
  agent.get(HOST).intercept({ path: (p) => p.startsWith("/api/v2/services-v2/"), method: "GET" }).reply(200, page, json).times(3);
  await expect(listServices(context, {})).rejects.toThrow("paging token 'same' was returned twice");
});

test("a malformed run search names its endpoint", async () => {
  const { agent, context } = setup();
  agent.get(HOST).intercept({ path: "/api/v2/userinfo/", method: "GET" }).reply(200, { result: { id: "usr_1" } }, json);
  agent
    .get(HOST)
    .intercept({ path: (p) => p.startsWith("/api/v2/decorated_ha_jobs/?"), method: "GET" })
    .reply(200, { results: [{ id: "prodjob_1", name: "j", state: { current_state: "RUNNING" } }], metadata: {} }, json);
  agent.get(HOST).intercept({ path: "/api/v2/decorated_ha_jobs/job_runs/search", method: "POST" }).reply(200, { results: [] }, json);
  await expect(listJobs(context, {})).rejects.toThrow("POST /api/v2/decorated_ha_jobs/job_runs/search");
});

test("userinfo without an id cannot filter 'created by me'", async () => {
  const { agent, context } = setup();
  agent.get(HOST).intercept({ path: "/api/v2/userinfo/", method: "GET" }).reply(200, { result: { email: "x@y" } }, json);
  await expect(listJobQueues(context, { createdByMe: true })).rejects.toThrow("GET /api/v2/userinfo/: result.id is missing");
});

test("HTTP errors keep their class and name the endpoint; the token never shows", async () => {
  const { agent, context } = setup();
  agent
    .get(HOST)
    .intercept({ path: (p) => p.startsWith("/api/v2/services-v2/"), method: "GET" })
    .reply(404, { error: { detail: `nothing for ${TOKEN}` } }, json);
  const error = (await listServices(context, {}).catch((e: unknown) => e)) as Error;
  expect(error).toBeInstanceOf(NotFoundError);
  expect(error.message).toContain("GET /api/v2/services-v2/");
  expect(error.message).not.toContain(TOKEN);
});

test("a 404 on get by id is a not-found naming the id", async () => {
  const { agent, context } = setup();
  agent.get(HOST).intercept({ path: "/api/v2/services-v2/svc_gone", method: "GET" }).reply(404, { error: { detail: "gone" } }, json);
  await expect(getService(context, { id: "svc_gone" })).rejects.toThrow("anyscale.getService: service with id 'svc_gone' was not found");
});
