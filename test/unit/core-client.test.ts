// The client against a tiny real HTTP server that misbehaves on purpose: envelopes, pagination,
// auth as the SDK sends it, errors naming the endpoint, no token in any message.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { AnyscaleClient } from "../../provider/anyscale/client";
import { NotFoundError, UnexpectedResponseError } from "../../provider/core/errors";

const TOKEN = "sss_client_test_token_987654";
type Handler = (req: http.IncomingMessage, body: string) => { status: number; body?: unknown; headers?: Record<string, string> };

let server: http.Server;
let handler: Handler;
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const reply = handler(req, body);
      res.writeHead(reply.status, { "content-type": "application/json", "x-trace-id": "trace-123", ...reply.headers });
      res.end(reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (seen.length = 0));

const client = () =>
  new AnyscaleClient({ host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: TOKEN, transport: { retry: { baseDelayMs: 1, maxDelayMs: 2 } } });

describe("AnyscaleClient", () => {
  it("authenticates like the SDK and sends client headers", async () => {
    handler = () => ({ status: 200, body: { result: { id: "usr_1", email: "a@b" } } });
    await client().getUserInfo();
    expect(seen[0].headers.cookie).toBe(`cli_token=${TOKEN}`);
    expect(seen[0].headers["x-anyscale-client"]).toBe("pulumi-anyscale");
    expect(seen[0].headers["x-anyscale-client-version"]).toEqual(expect.any(String));
    expect(seen[0].url).toBe("/api/v2/userinfo/");
  });

  it("follows paging tokens and filters names exactly", async () => {
    handler = (req) => {
      const url = new URL(req.url!, "http://x");
      const page = url.searchParams.get("paging_token");
      const svc = (id: string, name: string) => ({ id, name, project_id: "prj_1", current_state: "RUNNING" });
      if (!page) return { status: 200, body: { results: [svc("s1", "api-v2")], metadata: { next_paging_token: "p2" } } };
      return { status: 200, body: { results: [svc("s2", "api")], metadata: { next_paging_token: null } } };
    };
    const found = await client().services.findByName("api", { projectId: "prj_1" });
    expect(found?.id).toBe("s2");
    expect(seen.map((r) => new URL(r.url, "http://x").searchParams.get("count"))).toEqual(["50", "50"]);
  });

  it("maps 404 to undefined for get, and other errors to the hierarchy with detail and trace id", async () => {
    handler = () => ({ status: 404, body: { error: { detail: "Service not found" } } });
    expect(await client().services.get("service2_x")).toBeUndefined();
    handler = () => ({ status: 400, body: { error: { detail: `bad thing, token ${TOKEN}` } } });
    const error = await client().services.apply({ name: "x" }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/PUT \/api\/v2\/services-v2\/apply failed with 400: bad thing.*trace id trace-123/);
    expect(error.message).not.toContain(TOKEN);
    handler = () => ({ status: 404, body: { error: { detail: "nope" } } });
    await expect(client().services.delete("s")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("names the endpoint when a response has the wrong shape", async () => {
    handler = () => ({ status: 200, body: { result: { id: 5, name: "x" } } });
    const shape = await client().services.get("service2_x").catch((e) => e);
    expect(shape).toBeInstanceOf(UnexpectedResponseError);
    expect(shape.message).toMatch(/GET \/api\/v2\/services-v2\/service2_x.*id/);
    handler = () => ({ status: 200, body: { data: [] } });
    await expect(client().page(z.object({ id: z.string() }), "GET", "/api/v2/things")).rejects.toThrow(/GET \/api\/v2\/things.*results/);
    handler = () => ({ status: 200, body: "not json at all {" });
    await expect(client().services.get("s")).rejects.toThrow(/GET \/api\/v2\/services-v2\/s/);
  });

  it("retries idempotent calls on 503 with Retry-After, but never re-sends an apply", async () => {
    let calls = 0;
    handler = () => (++calls < 3 ? { status: 503, body: { error: { detail: "busy" } }, headers: { "retry-after": "0" } } : { status: 200, body: { result: { tags: [{ key: "a", value: "1" }] } } });
    expect(await client().tags.list("service", "s1")).toEqual({ a: "1" });
    expect(calls).toBe(3);
    calls = 0;
    handler = () => (++calls, { status: 503, body: { error: { detail: "busy" } } });
    await expect(client().services.apply({ name: "x" })).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(1);
  });

  it("reconciles tags with upserts and deletes", async () => {
    handler = (req) => (req.method === "GET" ? { status: 200, body: { result: { tags: [{ key: "keep", value: "1" }, { key: "drop", value: "x" }, { key: "change", value: "a" }] } } } : { status: 200, body: { result: {} } });
    await client().tags.set("service", "s1", { keep: "1", change: "b", add: "c" });
    const writes = seen.filter((r) => r.method !== "GET").map((r) => [r.method, JSON.parse(r.body)]);
    expect(writes).toEqual([
      ["PUT", { resource_type: "service", resource_id: "s1", tags: { change: "b", add: "c" } }],
      ["DELETE", { resource_type: "service", resource_id: "s1", keys: ["drop"] }],
    ]);
  });
});
