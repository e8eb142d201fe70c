// A second stack never registers a version on, or archives, the first's ContainerImage or
// ComputeConfig (provider/containerimage/name-guard.ts, provider/computeconfig/name-guard.ts), over
// real HTTP to the local plane. Adoption stays explicit; a replacement of the same resource stacks on
// its own version.
import { api, withLocalPlane } from "../helpers/local-plane";
import { checked, configureFor, type ProviderModule } from "../helpers/provider-driver";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const imageProvider: ProviderModule = require("../../provider/containerimage/dynamic");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const computeConfigProvider: ProviderModule = require("../../provider/computeconfig/dynamic");

jest.setTimeout(60_000);
const plane = withLocalPlane();
type Props = Record<string, any>;

beforeAll(async () => {
  await configureFor(imageProvider, plane(), { pollIntervalMs: 20 });
  await configureFor(computeConfigProvider, plane());
});

async function create(provider: ProviderModule, news: Props) {
  const inputs = await checked(provider, news);
  const created = await provider.create(inputs);
  return { id: created.id, inputs, outs: created.outs as Props };
}

describe("ContainerImage names", () => {
  it("a second stack's image of the same name is refused until adopted; the first's image is untouched", async () => {
    const name = "img-shared-guard";
    const first = await create(imageProvider, { name, registryImageUri: "docker.io/acme/app:1" });
    const second = await create(imageProvider, { name, registryImageUri: "docker.io/acme/app:2" }).catch((e) => e);
    expect(second.message).toMatch(/name: an image named 'img-shared-guard' already exists .*not this resource's.*adoptExisting/);
    const builds = (await api(plane()).get(`/ext/v0/cluster_environment_builds?cluster_environment_id=${first.id}`)).body.results;
    expect(builds).toHaveLength(1);
    const adopted = await create(imageProvider, { name, registryImageUri: "docker.io/acme/app:2", adoptExisting: true });
    expect(adopted).toMatchObject({ id: first.id, outs: { version: 2 } });
    // Once its owner archived it, the name is free again.
    await imageProvider.delete(first.id, first.outs);
    const fresh = await create(imageProvider, { name, registryImageUri: "docker.io/acme/app:3" });
    expect(fresh.outs.buildState).toBe("succeeded");
  });
});

describe("ComputeConfig names", () => {
  it("a second stack is refused; the same resource's replacement stacks on its own version", async () => {
    const name = "cc-shared-guard";
    const first = await create(computeConfigProvider, { name, headNode: { instanceType: "m5.large" } });
    const second = await create(computeConfigProvider, { name, headNode: { instanceType: "m5.xlarge" } }).catch((e) => e);
    expect(second.message).toMatch(/name: compute config 'cc-shared-guard' already exists \(version 1, id .*\) and is not this resource's/);
    // A change of the first resource: diff plans the replacement, its create registers version 2.
    const news = await checked(computeConfigProvider, { name, headNode: { instanceType: "m5.2xlarge" } }, first.inputs);
    expect((await computeConfigProvider.diff(first.id, first.outs, news)).replaces).toEqual(["headNode"]);
    const replaced = await computeConfigProvider.create(news);
    expect(replaced.outs).toMatchObject({ version: 2 });
    await computeConfigProvider.delete(first.id, first.outs);
  });
});
