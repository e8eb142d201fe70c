// One build lookup per image per process: Services created together on one image URI share a single
// get_or_create_build_from_image_uri call (in flight and after), while another Ray version or registry
// secret is another call. Real HTTP against the local plane, counted in its request log.
import { AnyscaleClient } from "../../provider/anyscale/client";
import { resolveWorkloadBuildId } from "../../provider/anyscale/images";
import { LookupCache } from "../../provider/anyscale/lookup-cache";
import { api, withLocalPlane } from "../helpers/local-plane";

const plane = withLocalPlane();
const IMAGE = "docker.io/example/serve-app:1.0";
const noDefault = () => Promise.reject(new Error("no default build expected"));

async function lookupsLogged(): Promise<number> {
  const log = (await api(plane()).get("/_local/requests")).body as Array<{ path: string }>;
  return log.filter((entry) => entry.path === "/api/v2/builds/get_or_create_build_from_image_uri").length;
}

test("twenty workloads on one image make one lookup; another Ray version is another", async () => {
  await api(plane()).del("/_local/requests");
  const lookups = new LookupCache(); // one per process, as anyscale/connect.ts shares it
  const clients = Array.from({ length: 20 }, () => new AnyscaleClient({ host: plane().url, token: plane().token, lookups }));
  const resolve = (client: AnyscaleClient, rayVersion?: string) =>
    resolveWorkloadBuildId(client, { imageName: "image-for-service-x", imageUri: IMAGE, rayVersion }, () => "", noDefault);

  const builds = await Promise.all(clients.map((client) => resolve(client)));
  expect(new Set(builds).size).toBe(1);
  expect(await lookupsLogged()).toBe(1);
  expect(await resolve(clients[0])).toBe(builds[0]);
  expect(await lookupsLogged()).toBe(1);

  await resolve(clients[1], "2.44.0");
  expect(await lookupsLogged()).toBe(2);
});
