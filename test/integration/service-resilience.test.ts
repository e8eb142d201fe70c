// Uploads and transport faults against the real local control plane.
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as provider from "../../provider/service/dynamic";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();
type Props = Record<string, any>;

beforeAll(() => configureFor(provider, plane(), { pollIntervalMs: 20 }));
afterEach(() => api(plane()).del("/_local/faults"));

const app = [{ name: "default", import_path: "main:app" }];

async function createChecked(news: Props) {
  const inputs = await checkedBy(provider, news);
  return { inputs, ...(await provider.create(inputs)) };
}

async function requestLog(): Promise<any[]> {
  return (await api(plane()).get("/_local/requests")).body;
}

describe("Service uploads and resilience", () => {
  it("uploads working_dir once per content, and turns requirements into pip", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "svc-up-"));
    const src = path.join(root, "src");
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, "main.py"), "app = None\n");
    fs.writeFileSync(path.join(root, "requirements.txt"), "# pinned\nemoji==1.2.0\n\nnumpy==1.19.5  # math\n");
    await api(plane()).del("/_local/requests");

    const first = await createChecked({ name: "svc-upload-1", applications: app, workingDir: src, requirements: path.join(root, "requirements.txt") });
    const second = await createChecked({ name: "svc-upload-2", applications: app, workingDir: src });
    const log = await requestLog();
    const applies = log.filter((entry) => entry.method === "PUT" && entry.path === "/api/v2/services-v2/apply");
    const runtimeEnv = applies[0].body.ray_serve_config.applications[0].runtime_env;
    expect(runtimeEnv.working_dir).toMatch(/^s3:\/\/.*\/pkg_[0-9a-f]{32}\.zip$/);
    expect(runtimeEnv.pip).toEqual(["emoji==1.2.0", "numpy==1.19.5"]);
    expect(applies[1].body.ray_serve_config.applications[0].runtime_env.working_dir).toBe(runtimeEnv.working_dir);
    // Same content: the second deploy found the package in the bucket and skipped the PUT.
    expect(log.filter((entry) => entry.method === "PUT" && entry.path.startsWith("/cloud-storage/")).length).toBe(1);
    for (const created of [first, second]) await provider.delete(created.id, { ...created.outs, deletionPolicy: "delete" });
  });

  it("rides out 503s, 429s and connection resets while polling", async () => {
    await api(plane()).post("/_local/faults", { kinds: ["503", "429", "reset"], everyNth: 2, retryAfterS: 0, pathPrefix: "/api/v2/services-v2/service2", method: "GET" });
    const created = await createChecked({ name: "svc-faults", applications: app });
    expect(created.outs).toMatchObject({ state: "RUNNING" });
    await provider.delete(created.id, { ...created.outs, deletionPolicy: "delete" });
  });

  it("an apply answered 502 is re-sent only after looking, and creates exactly one service", async () => {
    await api(plane()).post("/_local/faults", { kinds: ["502"], pathPrefix: "/api/v2/services-v2/apply", limit: 1 });
    const created = await createChecked({ name: "svc-apply-502", applications: app });
    expect(created.outs).toMatchObject({ state: "RUNNING" });
    const list = await api(plane()).get("/api/v2/services-v2/?name=svc-apply-502");
    expect(list.body.results).toHaveLength(1);
    expect((await api(plane()).get(`/api/v2/services-v2/${created.id}/versions`)).body.results).toHaveLength(1);
    await provider.delete(created.id!, { ...created.outs, deletionPolicy: "delete" });
  });

  it("resolves compute configs by name[:version], registers inline ones, and finds clouds and projects by name", async () => {
    const client = api(plane());
    const cloud = (await client.get("/ext/v0/clouds/default")).body.result;
    const template = (await client.get(`/ext/v0/cluster_computes/default?cloud_id=${cloud.id}`)).body.result;
    const project = (await client.get(`/ext/v0/projects/default_project?parent_cloud_id=${cloud.id}`)).body.result;
    const named = await createChecked({ name: "svc-named-cc", applications: app, computeConfig: `${template.name}:${template.version}`, cloud: cloud.name, project: project.name });
    expect(named.outs).toMatchObject({ state: "RUNNING", projectId: project.id, cloudId: cloud.id });

    await api(plane()).del("/_local/requests");
    const inline = await createChecked({
      name: "svc-inline-cc",
      applications: app,
      computeConfig: { head_node: { instance_type: "m5.xlarge" }, worker_nodes: [{ instance_type: "m5.2xlarge", min_nodes: 1, max_nodes: 4, market_type: "PREFER_SPOT" }] },
    });
    expect(inline.outs).toMatchObject({ state: "RUNNING" });
    const registered = (await requestLog()).find((entry) => entry.method === "POST" && /^\/api\/v2\/compute_templates\/?$/.test(entry.path));
    expect(registered.body).toMatchObject({
      anonymous: true,
      new_version: true,
      config: { cloud_id: cloud.id, head_node_type: { instance_type: "m5.xlarge" }, worker_node_types: [{ instance_type: "m5.2xlarge", min_workers: 1, max_workers: 4, use_spot: true, fallback_to_ondemand: true }] },
    });
    for (const created of [named, inline]) await provider.delete(created.id, { ...created.outs, deletionPolicy: "delete" });
  });

  it("a status poll that keeps failing after the apply still records the service (no orphan)", async () => {
    // Every service read fails with 500 once the apply went through: the shared poller keeps waiting
    // through what could be an outage, and the wait ends at the resource's own deadline, recorded.
    const proxy = await failingReadsAfterApply(plane().url);
    try {
      await configureFor(provider, { url: proxy.url, token: plane().token }, { pollIntervalMs: 20 });
      const checked = await provider.check({}, { name: "svc-poll-500", applications: app, timeouts: { create: "3s" } });
      const error = await provider.create(checked.inputs).catch((e) => e);
      expect(error.id).toMatch(/^service2_/);
      expect(error.message).toMatch(/failed with 500|Timed out after 3s/);
      expect(error.properties).toMatchObject({ serviceId: error.id, deployment: { status: "failed" } });
      expect(proxy.failedReads()).toBeGreaterThan(0);
      await configureFor(provider, plane(), { pollIntervalMs: 20 });
      const converged = await provider.update(error.id, error.properties, (await provider.check({}, { name: "svc-poll-500", applications: app })).inputs);
      expect(converged.outs).toMatchObject({ state: "RUNNING", deployment: { status: "succeeded" } });
    } finally {
      await configureFor(provider, plane(), { pollIntervalMs: 20 });
      await proxy.close();
    }
  });
});

/** A pass-through proxy that answers 500 to every GET of a service once an apply has passed through it. */
async function failingReadsAfterApply(target: string) {
  let applied = false;
  let failed = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    if (applied && req.method === "GET" && (req.url ?? "").startsWith("/api/v2/services-v2")) {
      failed += 1;
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { detail: "proxy: reads are failing" } }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string" && !["host", "content-length", "connection"].includes(key)) headers[key] = value;
    const upstream = await fetch(target + req.url, { method: req.method, headers, body: raw.length > 0 ? raw : undefined });
    const text = await upstream.text();
    if (req.method === "PUT" && (req.url ?? "").startsWith("/api/v2/services-v2/apply") && upstream.ok) applied = true;
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failedReads: () => failed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
