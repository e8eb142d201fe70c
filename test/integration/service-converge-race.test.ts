// Interrupted rollouts converge without a new version, whatever the timing (service/live-match.ts canaryCompletingDeclared).
// The race behind the reliability-crash failure, made deterministic: after a rollout was cut short
// (a killed up; its canary keeps heading to 100% on the platform) and a refresh recorded it as
// interrupted, the next update reads the service, and the canary completes before that update decides.
// A proxy holds the update's first request after its read until the plane shows the canary promoted.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as provider from "../../provider/service/dynamic";
import { checked, configureFor } from "../helpers/provider-driver";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(90_000);
const plane = withLocalPlane({ startupMs: 300, rolloutStepMs: 300 });
const app = (generation: string) => [{ name: "app", import_path: "main:app", runtime_env: { env_vars: { GENERATION: generation } } }];
const until = async (what: () => Promise<boolean>) => {
  for (let round = 0; round < 600 && !(await what()); round++) await new Promise((resolve) => setTimeout(resolve, 25));
};

async function holdingProxy(hold: (method: string, url: string) => boolean) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!held && hold(req.method ?? "", req.url ?? "")) {
      held = true;
      await released;
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string" && !["host", "content-length", "connection"].includes(key)) headers[key] = value;
    const raw = Buffer.concat(chunks);
    const upstream = await fetch(plane().url + req.url, { method: req.method, headers, body: raw.length > 0 ? raw : undefined });
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, release, held: () => held, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

it("the canary completes between the next update's read and its decision: no second identical version", async () => {
  await configureFor(provider, plane(), { pollIntervalMs: 20 });
  const created = await provider.create(await checked(provider, { name: "converge-race", imageUri: "anyscale/ray:2.48.0-py311", applications: app("1") }));
  const gen2 = await checked(provider, { name: "converge-race", imageUri: "anyscale/ray:2.48.0-py311", applications: app("2") }, created.outs!);
  // The cut-short up: its apply went out, its canary keeps rolling on the platform (this promise stands in for the orphan).
  const orphan = provider.update(created.id, created.outs!, gen2).catch((error) => error);
  const service = async () => (await api(plane()).get(`/api/v2/services-v2/${created.id}`)).body.result;
  await until(async () => ((await service()).canary_version?.weight ?? 0) > 0);
  const refreshed = await provider.read(created.id, created.outs!);
  expect(refreshed.props!.deployment).toMatchObject({ status: "interrupted" });

  // The next up, in another provider process: held right after reading the service, until the canary is primary.
  const proxy = await holdingProxy((method, url) => method === "GET" && url.startsWith("/api/v2/tags/resource"));
  let next: any;
  jest.isolateModules(() => {
    next = require("../../provider/service/dynamic");
  });
  await configureFor(next, { url: proxy.url, token: plane().token });
  try {
    const converging = next.update(created.id, refreshed.props, gen2);
    await until(async () => proxy.held());
    await until(async () => {
      const live = await service();
      return !live.canary_version && JSON.stringify(live.primary_version).includes('"GENERATION":"2"');
    });
    proxy.release();
    const result = await converging;
    expect(result.outs).toMatchObject({ state: "RUNNING", deployment: { status: "succeeded" } });
  } finally {
    await proxy.close();
  }
  await orphan;
  const versions = (await api(plane()).get(`/api/v2/services-v2/${created.id}/versions?count=50`)).body.results as any[];
  expect(versions.filter((version) => JSON.stringify(version).includes('"GENERATION":"2"'))).toHaveLength(1);
  expect(versions).toHaveLength(2);
});
