// create() when the connection drops mid-request: the record the server did create is found by its
// registration key and adopted, so nothing is orphaned. (MockAgent stands in for the network.)
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { REGISTRATION_KEY_FIELD } from "../../provider/zenml/wire";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const provider = require("../../provider/zenml/dynamic");

const URL_BASE = "http://zenml.adoption.test";
const PROJECT_ID = "2d7b1fc4-0624-4801-a1cb-11289a9ce847";
let previous: Dispatcher;
let agent: MockAgent;

beforeEach(async () => {
  previous = getGlobalDispatcher();
  agent = new MockAgent();
  agent.disableNetConnect();
  setGlobalDispatcher(agent);
  await provider.configure({ config: { get: (key: string) => ({ "zenml:url": URL_BASE, "zenml:apiKey": "ZENKEY_adoption-test" })[key], require: () => "" } });
});

afterEach(() => setGlobalDispatcher(previous));

function record(id: string, key: string) {
  return {
    id,
    name: "svc",
    body: { project_id: PROJECT_ID, service_type: { type: "model-serving", flavor: "anyscale" }, state: "active" },
    metadata: { config: { model: "m", [REGISTRATION_KEY_FIELD]: key } },
  };
}

const inputs = {
  __provider: "serialized",
  name: "svc",
  project: "default",
  projectId: PROJECT_ID,
  registrationKey: "key-mine",
  serviceType: { type: "model-serving", flavor: "anyscale" },
  config: { model: "m" },
  status: { state: "active" },
};

test("a create whose connection failed adopts the record carrying its key", async () => {
  const pool = agent.get(URL_BASE);
  pool.intercept({ path: "/api/v1/login", method: "POST" }).reply(200, { access_token: "t" });
  pool.intercept({ path: "/api/v1/services", method: "POST" }).replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
  pool
    .intercept({ path: (path: string) => path.startsWith("/api/v1/services?"), method: "GET" })
    .reply(200, { index: 1, max_size: 100, total_pages: 1, total: 2, items: [record("other-id", "key-other"), record("mine-id", "key-mine")] });
  const created = await provider.create(inputs);
  expect(created.id).toBe("mine-id");
  expect(created.outs).toMatchObject({ registrationKey: "key-mine", projectId: PROJECT_ID, state: "active", config: { model: "m" } });
});

test("without such a record the create is sent again (the look showed the first never arrived)", async () => {
  const pool = agent.get(URL_BASE);
  pool.intercept({ path: "/api/v1/login", method: "POST" }).reply(200, { access_token: "t" });
  pool.intercept({ path: "/api/v1/services", method: "POST" }).replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
  pool
    .intercept({ path: (path: string) => path.startsWith("/api/v1/services?"), method: "GET" })
    .reply(200, { index: 1, max_size: 100, total_pages: 1, total: 0, items: [] });
  pool.intercept({ path: "/api/v1/services", method: "POST" }).reply(200, record("resent-id", "key-mine"));
  const created = await provider.create(inputs);
  expect(created.id).toBe("resent-id");
});

test("a rejected create is reported without looking or resending", async () => {
  const pool = agent.get(URL_BASE);
  pool.intercept({ path: "/api/v1/login", method: "POST" }).reply(200, { access_token: "t" });
  pool.intercept({ path: "/api/v1/services", method: "POST" }).reply(422, { detail: ["ValueError", "bad config"] });
  await expect(provider.create(inputs)).rejects.toThrow(/failed with 422: ValueError: bad config/);
});
