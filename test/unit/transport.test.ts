import http from "node:http";
import type { AddressInfo } from "node:net";
import { HttpTransport, buildUrl, extractDetail, parseRetryAfter } from "../../provider/core/http";
import {
  AnyscaleConnectionError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ZenmlApiError,
} from "../../provider/core/errors";

type Reply = { status: number; body?: unknown; headers?: Record<string, string>; reset?: boolean };

/** A scripted server: each request takes the next reply; records what it received. */
async function scriptedServer(replies: Reply[]) {
  const received: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const reply = replies.shift() ?? { status: 200, body: { result: {} } };
      if (reply.reset) return req.socket.destroy();
      res.writeHead(reply.status, { "content-type": "application/json", "x-trace-id": "trace-123", ...reply.headers });
      res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const noSleep = { sleep: async () => undefined, random: () => 0.5 };

describe("HttpTransport", () => {
  it("sends auth and client headers, drops nulls, repeats array query keys", async () => {
    const server = await scriptedServer([{ status: 200, body: { result: { id: "x" } } }]);
    const transport = new HttpTransport({
      api: "Anyscale",
      baseUrl: server.url,
      authHeaders: () => ({ cookie: "cli_token=sss_secret_token" }),
      headers: { "X-Anyscale-Client": "pulumi-anyscale" },
    });
    const body = await transport.json({ method: "PUT", path: "/api/v2/services-v2/apply", query: { state_filter: ["RUNNING", "STARTING"], count: 5, skip: undefined }, body: { name: "a", description: null } });
    expect(body).toEqual({ result: { id: "x" } });
    const [sent] = server.received;
    expect(sent.url).toBe("/api/v2/services-v2/apply?state_filter=RUNNING&state_filter=STARTING&count=5");
    expect(sent.headers.cookie).toBe("cli_token=sss_secret_token");
    expect(sent.headers["x-anyscale-client"]).toBe("pulumi-anyscale");
    expect(JSON.parse(sent.body)).toEqual({ name: "a" });
    await server.close();
  });

  it("maps statuses to the hierarchy with the server's detail and trace id", async () => {
    const server = await scriptedServer([
      { status: 404, body: { error: { detail: "Service svc_1 not found" } } },
      { status: 400, body: { error: { detail: "Cannot delete a running service" } } },
    ]);
    const transport = new HttpTransport({ api: "Anyscale", baseUrl: server.url, ...noSleep });
    const notFound: any = await transport.json({ method: "GET", path: "/api/v2/services-v2/svc_1" }).catch((e: any) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.message).toContain("Service svc_1 not found");
    expect(notFound.traceId).toBe("trace-123");
    const badRequest: any = await transport.json({ method: "DELETE", path: "/api/v2/services-v2/svc_1" }).catch((e: any) => e);
    expect(badRequest).toBeInstanceOf(BadRequestError);
    expect(badRequest.status).toBe(400);
    await server.close();
  });

  it("retries transient statuses on idempotent calls, honouring Retry-After", async () => {
    const server = await scriptedServer([
      { status: 429, body: { error: { detail: "slow down" } }, headers: { "retry-after": "2" } },
      { status: 503, body: { error: { detail: "busy" } } },
      { status: 200, body: { result: { ok: true } } },
    ]);
    const delays: number[] = [];
    const transport = new HttpTransport({ api: "Anyscale", baseUrl: server.url, sleep: async (ms) => void delays.push(ms), random: () => 0.5 });
    await expect(transport.json({ method: "GET", path: "/x" })).resolves.toEqual({ result: { ok: true } });
    expect(delays[0]).toBe(2000);
    expect(delays).toHaveLength(2);
    expect(transport.stats).toEqual({ requests: 3, retries: 2 });
    await server.close();
  });

  it("never resends a non-idempotent POST after a 5xx or a reset, but does after a 429", async () => {
    const server = await scriptedServer([
      { status: 500, body: { error: { detail: "boom" } } },
      { status: 429, body: { error: { detail: "later" } } },
      { status: 200, body: { result: { id: "job" } } },
      { status: 200, reset: true },
    ]);
    const transport = new HttpTransport({ api: "Anyscale", baseUrl: server.url, ...noSleep });
    await expect(transport.json({ method: "POST", path: "/api/v2/decorated_ha_jobs/create", body: {} })).rejects.toBeInstanceOf(InternalServerError);
    await expect(transport.json({ method: "POST", path: "/api/v2/decorated_ha_jobs/create", body: {} })).resolves.toEqual({ result: { id: "job" } });
    await expect(transport.json({ method: "POST", path: "/api/v2/decorated_ha_jobs/create", body: {} })).rejects.toBeInstanceOf(AnyscaleConnectionError);
    expect(server.received).toHaveLength(4);
    await server.close();
  });

  it("gives up after the attempt budget with the last error", async () => {
    const server = await scriptedServer(Array.from({ length: 10 }, () => ({ status: 429, body: { error: { detail: "no" } } })));
    const transport = new HttpTransport({ api: "Anyscale", baseUrl: server.url, retry: { maxAttempts: 3 }, ...noSleep });
    await expect(transport.json({ method: "GET", path: "/x" })).rejects.toBeInstanceOf(RateLimitError);
    expect(server.received).toHaveLength(3);
    await server.close();
  });

  it("redacts tokens echoed back by a server", async () => {
    const server = await scriptedServer([{ status: 401, body: { detail: "Invalid token sss_leaky_secret_value" } }]);
    const transport = new HttpTransport({ api: "ZenML", baseUrl: server.url, secrets: () => ["sss_leaky_secret_value"], ...noSleep });
    const error: any = await transport.json({ method: "GET", path: "/api/v1/services" }).catch((e: any) => e);
    expect(error).toBeInstanceOf(ZenmlApiError);
    expect(error.message).not.toContain("sss_leaky_secret_value");
    expect(error.message).toContain("[REDACTED]");
    await server.close();
  });

  it("reports a refused connection as a connection error", async () => {
    const server = await scriptedServer([]);
    await server.close();
    const transport = new HttpTransport({ api: "Anyscale", baseUrl: server.url, retry: { maxAttempts: 2 }, ...noSleep });
    const error: any = await transport.json({ method: "GET", path: "/api/v2/userinfo/" }).catch((e: any) => e);
    expect(error).toBeInstanceOf(AnyscaleConnectionError);
    expect(error.code).toBe("ECONNREFUSED");
  });
});

describe("helpers", () => {
  it("extracts details from Anyscale and ZenML envelopes", () => {
    expect(extractDetail('{"error":{"detail":"nope"}}')).toBe("nope");
    expect(extractDetail('{"detail":["KeyError","No service"]}')).toBe("KeyError: No service");
    expect(extractDetail('["ValueError","bad"]')).toBe("ValueError: bad");
    expect(extractDetail('{"detail":"Not authenticated"}')).toBe("Not authenticated");
    expect(extractDetail('{"detail":[{"loc":["query","size"],"msg":"too big"}]}')).toBe("size: too big");
    // Anyscale's 422: the readable message, plus the field errors when the message does not already name them.
    expect(extractDetail('{"error":{"message":"Validation failed","detail":[{"loc":["body","config","timeout_s"],"msg":"must be >= 0","type":"value_error"}]}}')).toBe(
      "Validation failed (config.timeout_s: must be >= 0)",
    );
    expect(extractDetail('{"error":{"message":"Invalid request body: name: required","detail":[{"loc":["body","name"],"msg":"required","type":"value_error"}]}}')).toBe(
      "Invalid request body: name: required",
    );
    expect(extractDetail("plain text")).toBe("plain text");
  });
  it("parses Retry-After in seconds", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
  it("builds URLs with absolute paths passed through", () => {
    expect(buildUrl("http://h:1/", "/a", { b: true })).toBe("http://h:1/a?b=true");
    expect(buildUrl("http://h:1", "http://other/x")).toBe("http://other/x");
  });
});
