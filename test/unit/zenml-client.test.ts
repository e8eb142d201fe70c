// ZenmlClient over undici's MockAgent: error shapes, malformed replies, re-login. (The real server is
// exercised in test/integration/zenml-service.test.ts.)
import { MockAgent } from "undici";
import { ConfigurationError, UnexpectedResponseError, ZenmlApiError } from "../../provider/core/errors";
import { ZenmlClient, cleanDetail } from "../../provider/zenml/client";

const URL_BASE = "http://zenml.test";
const API_KEY = "ZENKEY_unit-test-key-123456";

function setup() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(URL_BASE);
  const client = new ZenmlClient(
    { url: URL_BASE, credentials: { kind: "apiKey", apiKey: API_KEY, source: "zenml:apiKey" } },
    { transport: { dispatcher: agent, sleep: async () => undefined } },
  );
  return { pool, client };
}

const SERVICE = {
  id: "fcb4dff9-99bd-43ab-b0e0-19948e2459ab",
  name: "svc",
  body: { project_id: "2d7b1fc4-0624-4801-a1cb-11289a9ce847", service_type: { type: "model-serving", flavor: "anyscale" }, state: "active" },
  metadata: { config: {} },
};

describe("ZenmlClient", () => {
  test("logs in with the API key as the password and re-logs in once on 401", async () => {
    const { pool, client } = setup();
    const logins: string[] = [];
    pool
      .intercept({ path: "/api/v1/login", method: "POST" })
      .reply(200, (options) => {
        logins.push(String(options.body));
        return { access_token: `token-${logins.length}`, token_type: "bearer" };
      })
      .times(2);
    pool.intercept({ path: `/api/v1/services/${SERVICE.id}?hydrate=true`, method: "GET" }).reply(401, { detail: "Not authenticated" });
    pool.intercept({ path: `/api/v1/services/${SERVICE.id}?hydrate=true`, method: "GET" }).reply(200, SERVICE);
    const service = await client.getService(SERVICE.id);
    expect(service.id).toBe(SERVICE.id);
    expect(logins).toHaveLength(2);
    expect(new URLSearchParams(logins[0]).get("password")).toBe(API_KEY);
  });

  test("rejected credentials are a ConfigurationError naming their source, not the key", async () => {
    const { pool, client } = setup();
    pool.intercept({ path: "/api/v1/login", method: "POST" }).reply(401, { detail: ["AuthorizationException", "Authentication error: invalid API key"] });
    const error = await client.listServicesPage({}).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(/rejected the credentials from zenml:apiKey/);
    expect(error.message).not.toContain(API_KEY);
  });

  test.each([
    [404, { detail: ["KeyError", "No service with this ID found"] }, /failed with 404: KeyError: No service with this ID found/],
    [422, ["ValueError", "1 validation error:\n  bad\n\n  File \"/x/utils.py\", line 1, in get\n    GET"], /failed with 422: ValueError: 1 validation error: bad$/],
    [409, { detail: ["EntityExistsError", "A service with the same configuration already exists."] }, /409: EntityExistsError/],
  ])("status %s becomes a ZenmlApiError naming the endpoint", async (status, body, message) => {
    const { pool, client } = setup();
    pool.intercept({ path: "/api/v1/login", method: "POST" }).reply(200, { access_token: "t" });
    pool.intercept({ path: "/api/v1/services", method: "POST" }).reply(status, body);
    const error = await client.createService({}).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(ZenmlApiError);
    expect(error.message).toMatch(/^ZenML API POST \/api\/v1\/services failed/);
    expect(error.message).toMatch(message);
  });

  test("a malformed reply is an UnexpectedResponseError naming the endpoint and field", async () => {
    const { pool, client } = setup();
    pool.intercept({ path: "/api/v1/login", method: "POST" }).reply(200, { access_token: "t" });
    pool.intercept({ path: "/api/v1/services?size=1", method: "GET" }).reply(200, { items: "nope" });
    const error = await client.listServicesPage({ size: 1 }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(/ZenML GET \/api\/v1\/services/);
  });

  test("listAllServices stops at the last page (ZenML answers 400 past it)", async () => {
    const { pool, client } = setup();
    pool.intercept({ path: "/api/v1/login", method: "POST" }).reply(200, { access_token: "t" });
    const page = (index: number) => ({ index, max_size: 1, total_pages: 2, total: 2, items: [{ ...SERVICE, id: `id-${index}` }] });
    pool.intercept({ path: "/api/v1/services?flavor=anyscale&page=1&size=1", method: "GET" }).reply(200, page(1));
    pool.intercept({ path: "/api/v1/services?flavor=anyscale&page=2&size=1", method: "GET" }).reply(200, page(2));
    const all = await client.listAllServices({ flavor: "anyscale" }, 1);
    expect(all.map((service) => service.id)).toEqual(["id-1", "id-2"]);
  });

  test("cleanDetail keeps the message and drops the server's stack location", () => {
    expect(cleanDetail('ValueError: bad input\n\n  File "/srv/zenml/utils.py", line 5, in x\n    GET /x')).toBe("ValueError: bad input");
  });
});
