// Writes ride out outages like waits do (core/write-once.ts), over real HTTP: the plane acts on a
// Service apply or a Job submit, the answer is lost, and then the plane is unreachable (connections
// refused) for a while. The create still succeeds, with one object and one version. Tests use a short
// outage; the 60 s figure is in bench/write-outage.md.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import * as serviceProvider from "../../provider/service/dynamic";
import { checked, configureFor, type ProviderModule } from "../helpers/provider-driver";
import { api, withLocalPlane } from "../helpers/local-plane";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jobProvider: ProviderModule = require("../../provider/job/dynamic");

jest.setTimeout(90_000);
const plane = withLocalPlane();
// Longer than the transport's own resends of one request (~6 attempts with backoff), which used to be all a write had.
const OUTAGE_MS = Number(process.env.WRITE_OUTAGE_TEST_MS ?? 12_000);

/**
 * A proxy in front of the plane: the first request `cut` picks reaches the plane, its answer is
 * dropped, and the proxy then refuses every connection for OUTAGE_MS (listening again on the same port).
 */
async function outageProxy(cut: (method: string, path: string) => boolean) {
  let done = false;
  const sockets = new Set<Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string" && !["host", "content-length", "connection"].includes(key)) headers[key] = value;
    const upstream = await fetch(plane().url + req.url, { method: req.method, headers, body: raw.length > 0 ? raw : undefined });
    const text = await upstream.text();
    if (!done && cut(req.method ?? "", (req.url ?? "").split("?")[0])) {
      done = true;
      // The plane acted; the answer is lost and the server goes away.
      server.close();
      for (const socket of sockets) socket.destroy();
      setTimeout(() => server.listen(port, "127.0.0.1"), OUTAGE_MS);
      return;
    }
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(text);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cut: () => done,
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

async function requests(method: string, path: string): Promise<any[]> {
  return ((await api(plane()).get("/_local/requests")).body as any[]).filter((entry) => entry.method === method && entry.path === path);
}

describe("a plane outage during a write fails nothing and duplicates nothing", () => {
  afterEach(async () => {
    await configureFor(serviceProvider, plane());
    await configureFor(jobProvider, plane());
  });

  it("Service create: the apply's answer lost, then the plane unreachable", async () => {
    const proxy = await outageProxy((method, path) => method === "PUT" && path === "/api/v2/services-v2/apply");
    try {
      await configureFor(serviceProvider, { url: proxy.url, token: plane().token }, { pollIntervalMs: 50 });
      const inputs = await checked(serviceProvider, { name: "outage-svc", applications: [{ name: "default", import_path: "main:app" }] });
      const created = await serviceProvider.create(inputs);
      expect(proxy.cut()).toBe(true);
      expect(created.outs).toMatchObject({ state: "RUNNING", deployment: { status: "succeeded" } });
      const named = (await api(plane()).get("/api/v2/services-v2/?name=outage-svc")).body.results;
      expect(named).toHaveLength(1);
      expect((await api(plane()).get(`/api/v2/services-v2/${created.id}/versions`)).body.results).toHaveLength(1);
      expect(await requests("PUT", "/api/v2/services-v2/apply")).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it("Job create: the submit's answer lost, then the plane unreachable", async () => {
    const proxy = await outageProxy((method, path) => method === "POST" && path === "/api/v2/decorated_ha_jobs/create");
    try {
      await configureFor(jobProvider, { url: proxy.url, token: plane().token }, { pollIntervalMs: 50 });
      const inputs = await checked(jobProvider, { name: "outage-job", entrypoint: "echo hi", submissionScope: "proj/dev/outage-job", waitFor: "submitted" });
      const created = await jobProvider.create(inputs);
      expect(proxy.cut()).toBe(true);
      expect(created.id).toEqual(expect.any(String));
      expect(await requests("POST", "/api/v2/decorated_ha_jobs/create")).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
