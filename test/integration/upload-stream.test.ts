// The streamed package upload against the local plane over real HTTP: the plane's bucket receives a
// zip its fflate reader unpacks to the directory's exact bytes (a large stored file and deflated small
// ones), named by the content digest; a second upload of the same content sends no bytes; an edit is a
// new package.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AnyscaleClient } from "../../provider/anyscale/client";
import { forgetDigests } from "../../provider/anyscale/content-manifest";
import { uploadDirectory } from "../../provider/anyscale/upload";
import { readZipEntries } from "../../local/jobs/zip-reader";
import { api, withLocalPlane } from "../helpers/local-plane";

jest.setTimeout(60_000);

const plane = withLocalPlane();
let base: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "upload-stream-"));
  process.env.PULUMI_ANYSCALE_MANIFEST_DIR = path.join(base, "manifests");
});
afterAll(() => {
  delete process.env.PULUMI_ANYSCALE_MANIFEST_DIR;
  fs.rmSync(base, { recursive: true, force: true });
});

/** The package the plane stored for a file URI (s3://<bucket>/<path> under its data dir). */
function storedPackage(fileUri: string): Buffer {
  const name = path.basename(fileUri);
  const found = (fs.readdirSync(path.join(plane().dataDir, "cloud-storage"), { recursive: true }) as string[]).find((p) => String(p).endsWith(name));
  if (!found) throw new Error(`${name} is not in the plane's bucket`);
  return fs.readFileSync(path.join(plane().dataDir, "cloud-storage", String(found)));
}

test("streams the package the plane unpacks to the directory's bytes, once per content", async () => {
  const dir = path.join(base, "app");
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  const model = Buffer.alloc(20 << 20);
  for (let i = 0; i < model.length; i += 4096) model.writeUInt32LE(i * 2654435761 >>> 0, i);
  fs.writeFileSync(path.join(dir, "model.bin"), model);
  fs.writeFileSync(path.join(dir, "src", "main.py"), "print('hello')\n".repeat(500));
  fs.writeFileSync(path.join(dir, ".gitkeep"), "");
  const cloudId = (await api(plane()).get("/ext/v0/clouds/default")).body.result.id;

  const uri = await uploadDirectory(new AnyscaleClient({ host: plane().url, token: plane().token }), cloudId, dir);
  expect(uri).toMatch(/\/pkg_[0-9a-f]{32}\.zip$/);
  const files = Object.fromEntries(readZipEntries(storedPackage(uri)).map((entry) => [entry.name, entry.data()]));
  expect(Object.keys(files).sort()).toEqual(["app/.gitkeep", "app/model.bin", "app/src/main.py"]);
  expect(files["app/model.bin"].equals(model)).toBe(true);
  expect(files["app/src/main.py"].toString()).toBe("print('hello')\n".repeat(500));

  // Same content from a new client (a new process): the bucket has it, no bytes are sent.
  await api(plane()).del("/_local/requests");
  forgetDigests();
  expect(await uploadDirectory(new AnyscaleClient({ host: plane().url, token: plane().token }), cloudId, dir)).toBe(uri);
  const log = (await api(plane()).get("/_local/requests")).body as Array<{ method: string; path: string }>;
  expect(log.filter((entry) => entry.path.includes("generate_cloud_data_bucket_presigned_url"))).toHaveLength(1);
  expect(log.filter((entry) => entry.method === "PUT")).toHaveLength(0);

  fs.appendFileSync(path.join(dir, "src", "main.py"), "print('edited')\n");
  const edited = await uploadDirectory(new AnyscaleClient({ host: plane().url, token: plane().token }), cloudId, dir);
  expect(edited).not.toBe(uri);
  expect(readZipEntries(storedPackage(edited)).find((entry) => entry.name === "app/src/main.py")!.data().toString()).toContain("edited");
});
