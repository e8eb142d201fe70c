// Error shapes against the official client: a 422 from the local plane carries its readable text in
// `error.message` and FastAPI's field errors in `error.detail`, which the official client's own
// parser (anyscale/errors.py server_error_text, from_unexpected_exception) turns into the message
// and an InvalidConfigError; numbers sent as strings are coerced, as the platform's models do; and our
// client reports the same 422 naming the endpoint and the field.
import { AnyscaleClient } from "../../provider/anyscale/client";
import { UnprocessableEntityError } from "../../provider/core/errors";
import { api, errorText, planeDefaults, startTestPlane, type TestPlane } from "../helpers/local-plane";
import { runAnyscalePython } from "../helpers/anyscale-cli";
import { z } from "zod";

jest.setTimeout(120_000);

let plane: TestPlane;
let queueId: string;

beforeAll(async () => {
  plane = await startTestPlane();
  const defaults = await planeDefaults(api(plane));
  const created = await api(plane).post("/api/v2/job_queues/create", {
    job_queue_name: "errors-queue",
    compute_config_id: defaults.computeConfigId,
    cluster_environment_build_id: defaults.buildId,
    project_id: defaults.projectId,
    idle_timeout_sec: 60,
    max_concurrency: 1,
  });
  expect(created.status).toBe(200);
  queueId = created.body.result.id;
});

afterAll(async () => {
  await plane?.stop();
});

/**
 * Calls the job queue update endpoint through the official SDK's generated client, both ways the
 * package builds it: structured (what its SDK methods use: ApiException, then server_error_text) and
 * unstructured (the legacy controllers' default: format_api_exception raises the status's error class).
 */
const OFFICIAL_UPDATE = `
import json, os
from anyscale.authenticate import AuthenticationBlock
from anyscale.errors import server_error_text, from_unexpected_exception, AnyscaleError
from anyscale.client.openapi_client.rest import ApiException

def update(structured):
    block = AuthenticationBlock(raise_structured_exception=structured)
    return block.api_client.update_job_queue_api_v2_job_queues_job_queue_id_put(os.environ["QUEUE_ID"], json.loads(os.environ["BODY"])).result

out = {}
try:
    out["ok"] = True
    out["max_concurrency"] = update(True).max_concurrency
except ApiException as error:
    converted = from_unexpected_exception(error)
    out = {"ok": False, "status": error.status, "text": server_error_text(error.body), "class": type(converted).__name__, "message": converted.format_message()}
    try:
        update(False)
    except AnyscaleError as legacy:
        out["legacyClass"] = type(legacy).__name__
        out["legacyMessage"] = legacy.format_message()
print(json.dumps(out))
`;

async function officialUpdate(body: Record<string, unknown>): Promise<any> {
  const run = await runAnyscalePython(plane, OFFICIAL_UPDATE, { env: { QUEUE_ID: queueId, BODY: JSON.stringify(body) }, timeoutMs: 90_000 });
  if (run.code !== 0) throw new Error(`official client failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

describe("422 bodies", () => {
  test("carry the readable text in error.message and FastAPI field errors in error.detail", async () => {
    const response = await api(plane).put(`/api/v2/job_queues/${queueId}`, { max_concurrency: "five", idle_timeout_sec: -1 });
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/max_concurrency/);
    expect(response.body.error.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ["body", "max_concurrency"], msg: expect.any(String), type: expect.any(String) }),
        expect.objectContaining({ loc: ["body", "idle_timeout_sec"], msg: expect.any(String), type: expect.any(String) }),
      ]),
    );
    expect(errorText(response.body)).toBe(response.body.error.message);
  });

  test("the official client shows the message and raises InvalidConfigError", async () => {
    const outcome = await officialUpdate({ max_concurrency: "five" });
    expect(outcome).toMatchObject({ ok: false, status: 422, class: "InvalidConfigError" });
    expect(outcome.text).toMatch(/max_concurrency/);
    expect(outcome.message).toBe(outcome.text);
    // The legacy path prints status, the path template (not the id), the whole body and the trace id instead.
    expect(outcome.legacyClass).toBe("InvalidConfigError");
    expect(outcome.legacyMessage).toMatch(/^API Exception \(422\) from PUT \/api\/v2\/job_queues\/\{job_queue_id\} \nReason: Unprocessable Entity\nHTTP response body: \{"error": \{"message": .*max_concurrency/);
    expect(outcome.legacyMessage).toMatch(/\nTrace ID: .*[0-9a-f]{32}/);
  });

  test("query validation failures have the same shape, located in the query", async () => {
    const response = await api(plane).get("/api/v2/services-v2/?count=0");
    expect(response.status).toBe(422);
    expect(response.body.error.detail[0].loc).toEqual(["query", "count"]);
    expect(errorText(response.body)).toMatch(/count/);
  });

  test("other errors keep a plain error.detail", async () => {
    const response = await api(plane).get("/api/v2/job_queues/jq_missing");
    expect(response.status).toBe(404);
    expect(typeof response.body.error.detail).toBe("string");
  });

  test("our client reports a 422 naming the endpoint and the field", async () => {
    const client = new AnyscaleClient({ host: plane.url, token: plane.token });
    const error = await client.result(z.unknown(), "PUT", `/api/v2/job_queues/${queueId}`, { body: { idle_timeout_sec: -1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as Error).message).toContain(`/api/v2/job_queues/${queueId}`);
    expect((error as Error).message).toMatch(/idle_timeout_sec/);
  });
});

describe("numbers sent as strings", () => {
  test("are coerced, as the platform's models do, by our plane and through the official client", async () => {
    const direct = await api(plane).put(`/api/v2/job_queues/${queueId}`, { max_concurrency: "3" });
    expect(direct.status).toBe(200);
    expect(direct.body.result.max_concurrency).toBe(3);
    const official = await officialUpdate({ max_concurrency: "4" });
    expect(official).toEqual({ ok: true, max_concurrency: 4 });
  });

  test("strings that are not numbers are still refused", async () => {
    for (const value of ["4 workers", "", "0x10", true]) {
      const response = await api(plane).put(`/api/v2/job_queues/${queueId}`, { max_concurrency: value });
      expect({ value, status: response.status }).toEqual({ value, status: 422 });
    }
  });

  test("a coerced number is still checked against its bounds", async () => {
    const response = await api(plane).put(`/api/v2/job_queues/${queueId}`, { max_concurrency: "0" });
    expect(response.status).toBe(422);
    expect(errorText(response.body)).toMatch(/max_concurrency/);
  });
});
