// Never touch what another stack owns, against the real local control plane over real HTTP: two
// stacks racing on one name (the loser fails naming the winner and records nothing of it), a stack
// with the same names in another backend, update and delete of another's service refused, and a
// replacement whose create returns the same service never terminates it.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as provider from "../../provider/service/dynamic";
import { OWNER_MARK_PREFIX } from "../../provider/core/owner-mark";
import { checked as checkedBy, configureFor } from "../helpers/provider-driver";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();
type Props = Record<string, any>;
const app = (importPath = "main:app") => [{ name: "default", import_path: importPath }];
const checked = (news: Props, olds: Props = {}): Promise<Props> => checkedBy(provider, news, olds);

beforeAll(() => configureFor(provider, plane(), { pollIntervalMs: 20 }));
afterEach(() => configureFor(provider, plane()));

async function liveTags(id: string): Promise<Record<string, string>> {
  const tags = (await api(plane()).get(`/api/v2/tags/resource?resource_type=service&resource_id=${id}`)).body.result.tags;
  return Object.fromEntries(tags.map((tag: any) => [tag.key, tag.value]));
}
const marks = (tags: Record<string, string>) => Object.entries(tags).filter(([key]) => key.startsWith(OWNER_MARK_PREFIX)).map(([, value]) => value);
async function service(id: string): Promise<any> {
  return (await api(plane()).get(`/api/v2/services-v2/${id}`)).body.result;
}

/** A proxy in front of the plane that holds the requests `hold` picks until `release()`. */
async function gatingProxy(hold: (method: string, url: string) => boolean) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  let onHeld: () => void = () => undefined;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (hold(req.method ?? "", req.url ?? "")) {
      held += 1;
      onHeld();
      await released;
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string" && !["host", "content-length", "connection"].includes(key)) headers[key] = value;
    const raw = Buffer.concat(chunks);
    const upstream = await fetch(plane().url + req.url, { method: req.method, headers, body: raw.length > 0 ? raw : undefined });
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(await upstream.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release,
    heldOnce: () => new Promise<void>((resolve) => (held > 0 ? resolve() : (onHeld = resolve))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs `loser`'s create through a proxy holding one request until `winner` created the same name directly. */
async function race(name: string, hold: (method: string, url: string) => boolean) {
  const loserInputs = await checked({ name, applications: app("main:k"), ownershipScope: "proj/K/api" });
  const winnerInputs = await checked({ name, applications: app("main:j"), ownershipScope: "proj/J/api" });
  const proxy = await gatingProxy(hold);
  const { isolated, configured } = await isolatedProvider(proxy.url);
  await configured;
  try {
    const loser = isolated.create(loserInputs).catch((error: unknown) => error);
    await proxy.heldOnce();
    const winner = await provider.create(winnerInputs);
    proxy.release();
    return { winner, loser: (await loser) as any };
  } finally {
    await proxy.close();
  }
}

/** A second copy of the provider module (another stack's provider process), configured for `url`. */
async function isolatedProvider(url: string) {
  let isolated: any;
  jest.isolateModules(() => {
    isolated = require("../../provider/service/dynamic");
  });
  return { isolated, configured: configureFor(isolated, { url, token: plane().token }) };
}

describe("two stacks racing on one name", () => {
  it("the name taken while the create prepared: refused right before the apply, nothing applied", async () => {
    const name = "own-race-before-apply";
    let lists = 0;
    // The loser's second look at the name (the re-check right before its apply) waits for the winner.
    const { winner, loser } = await race(name, (method, url) => method === "GET" && url.startsWith(`/api/v2/services-v2/?`) && url.includes(`name=${name}`) && ++lists === 2);
    expect(loser.message).toMatch(/appeared .* while this create prepared its deploy .*owned by 'proj\/J\/api'.*Nothing was applied/);
    expect(loser.id).toBeUndefined();
    const live = await service(winner.id);
    expect(live.versions ?? [live.primary_version]).toHaveLength(1);
    expect(marks(await liveTags(winner.id))).toEqual(["proj/J/api"]);
  });

  it("the loser's apply lands on the winner's service: rolled back, unmarked, fails naming the winner", async () => {
    const name = "own-race-after-apply";
    const { winner, loser } = await race(name, (method, url) => method === "PUT" && url.startsWith("/api/v2/services-v2/apply"));
    expect(loser.message).toMatch(/another stack created service 'own-race-after-apply' .*owned by 'proj\/J\/api'.*rolled back.*Nothing of it is recorded/);
    expect(loser.id).toBeUndefined();
    expect(loser.properties).toBeUndefined();
    // The winner's version keeps serving all traffic; its mark is the only one.
    const deadline = Date.now() + 20_000;
    let live = await service(winner.id);
    while ((live.canary_version || live.current_state !== "RUNNING") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      live = await service(winner.id);
    }
    expect(live).toMatchObject({ current_state: "RUNNING", canary_version: null, primary_version: { id: winner.outs!.primaryVersion.id } });
    expect(marks(await liveTags(winner.id))).toEqual(["proj/J/api"]);

    // The loser's next `up` (nothing in its state): refused, naming the owner.
    const again = await provider.create(await checked({ name, applications: app("main:k"), ownershipScope: "proj/K/api" })).catch((e) => e);
    expect(again.message).toMatch(/already exists .*owned by 'proj\/J\/api'/);
  });
});

describe("a stack never modifies or terminates another's service", () => {
  it("same project/stack/resource names in another backend: refused at create, update and delete", async () => {
    const name = "own-twin";
    const scope = "proj/dev/api";
    const first = await provider.create(await checked({ name, applications: app(), ownershipScope: scope }));
    // The twin stack: the same names, its own nonce (check ran in another backend).
    const twinInputs = await checked({ name, applications: app("main:twin"), ownershipScope: scope });
    const created = await provider.create(twinInputs).catch((e) => e);
    expect(created.message).toMatch(/already exists .*owned by 'proj\/dev\/api'/);
    // Even given the id (a state that somehow recorded it), update and delete refuse.
    const updated = await provider.update(first.id, { ...first.outs, ownershipScope: twinInputs.ownershipScope }, twinInputs).catch((e) => e);
    expect(updated.message).toMatch(/belongs to another stack: 'proj\/dev\/api'.*refusing to update/);
    const deleted = await provider.delete(first.id, { ...first.outs, ownershipScope: twinInputs.ownershipScope, ownerClaim: undefined }).catch((e) => e);
    expect(deleted.message).toMatch(/belongs to another stack.*refusing to terminate/);
    expect(await service(first.id)).toMatchObject({ current_state: "RUNNING", primary_version: { id: first.outs!.primaryVersion.id } });
    await provider.delete(first.id, { ...first.outs, deletionPolicy: "delete" });
  });
});

describe("a replacement never deletes what its create returned", () => {
  it("cloud/project written out as the values the service runs in: no replacement planned", async () => {
    const name = "own-explicit-default";
    const created = await provider.create(await checked({ name, applications: app() }));
    const placement = created.outs!.placement;
    expect(placement).toEqual({ cloud: expect.any(String), project: expect.any(String) });
    const explicit = await checked({ name, applications: app(), cloud: placement.cloud, project: placement.project }, created.outs!);
    expect(await provider.diff(created.id, created.outs!, explicit)).toMatchObject({ changes: false, replaces: [] });
    const elsewhere = await checked({ name, applications: app(), project: "another-project" }, created.outs!);
    expect((await provider.diff(created.id, created.outs!, elsewhere)).replaces).toEqual(["project"]);
    await provider.delete(created.id, { ...created.outs, deletionPolicy: "delete" });
  });

  it("the engine's create-then-delete over the same service leaves it serving", async () => {
    const name = "own-handover";
    const old = await provider.create(await checked({ name, applications: app(), ownershipScope: "proj/dev/handover" }));
    // A replacement of the same resource instance (nonce kept from the old inputs): its create takes the service back.
    const news = await checked({ name, applications: app(), cloud: old.outs!.placement.cloud, ownershipScope: "proj/dev/handover" }, old.outs!);
    const replacement = await provider.create(news);
    expect(replacement.id).toBe(old.id);
    expect(replacement.outs!.ownerClaim).not.toBe(old.outs!.ownerClaim);
    await provider.delete(old.id, old.outs!);
    expect(await service(old.id)).toMatchObject({ current_state: "RUNNING" });
    // The replacement's own delete terminates it.
    await provider.delete(replacement.id, { ...replacement.outs, deletionPolicy: "delete" });
    const gone = await api(plane()).get(`/api/v2/services-v2/${old.id}`);
    expect(gone.status === 404 || gone.body.result.current_state === "TERMINATED").toBe(true);
  });
});
