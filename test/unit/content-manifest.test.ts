// The content digest from a git-index-like manifest: unchanged files are not read, edits are seen
// (including a same-size edit with its mtime put back, and git's "racy" case), the digest covers
// exactly the files the package ships, and a stack recorded with the old hash keeps it while unchanged.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { digestDirectory, forgetDigests, manifestDirectory } from "../../provider/anyscale/content-manifest";
import { packDirectory, packageEntries } from "../../provider/anyscale/upload";
import { zipLength, zipStream } from "../../provider/anyscale/zip";
import { computeSourceHash } from "../../provider/workload/local-sources";
import { readZipEntries } from "../../local/jobs/zip-reader";

const HOUR_AGO = new Date(Date.now() - 3_600_000);
let base: string;
const savedManifestDir = process.env.PULUMI_ANYSCALE_MANIFEST_DIR;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "manifest-"));
  process.env.PULUMI_ANYSCALE_MANIFEST_DIR = path.join(base, "manifests");
  forgetDigests();
});
afterEach(() => {
  fs.rmSync(base, { recursive: true, force: true });
  if (savedManifestDir === undefined) delete process.env.PULUMI_ANYSCALE_MANIFEST_DIR;
  else process.env.PULUMI_ANYSCALE_MANIFEST_DIR = savedManifestDir;
});

function tree(files: Record<string, string>, mtime: Date = HOUR_AGO): string {
  const dir = path.join(base, "app");
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    fs.utimesSync(full, mtime, mtime);
  }
  return dir;
}

/** A new process: nothing reused but the manifest on disk. */
const fresh = (dir: string, excludes: string[] = []) => {
  forgetDigests();
  return digestDirectory(dir, excludes, { reuse: true });
};

test("an unchanged directory is recognised from its stats alone, in a new process", () => {
  const dir = tree({ "main.py": "print(1)\n", "lib/util.py": "x = 1\n", "data/model.bin": "weights" });
  const cold = fresh(dir);
  expect(cold.filesRead).toBe(3);
  const warm = fresh(dir);
  expect(warm.filesRead).toBe(0);
  expect(warm.digest).toBe(cold.digest);
  expect(fs.readdirSync(manifestDirectory())).toHaveLength(1);
});

test("an edit is seen and only the edited file is read, even at the same size with its mtime put back", () => {
  const dir = tree({ "main.py": "print(1)\n", "lib/util.py": "x = 1\n" });
  const before = fresh(dir);
  fs.writeFileSync(path.join(dir, "main.py"), "print(2)\n");
  fs.utimesSync(path.join(dir, "main.py"), HOUR_AGO, HOUR_AGO); // only ctime betrays it
  const after = fresh(dir);
  expect(after.digest).not.toBe(before.digest);
  expect(after.filesRead).toBe(1);
});

test("added, removed, renamed and chmod-ed files change the digest", () => {
  const dir = tree({ "a.py": "a\n", "b.py": "b\n" });
  const digests = [fresh(dir).digest];
  tree({ "c.py": "c\n" });
  digests.push(fresh(dir).digest);
  fs.rmSync(path.join(dir, "a.py"));
  digests.push(fresh(dir).digest);
  fs.renameSync(path.join(dir, "b.py"), path.join(dir, "d.py"));
  digests.push(fresh(dir).digest);
  fs.chmodSync(path.join(dir, "d.py"), 0o755);
  digests.push(fresh(dir).digest);
  expect(new Set(digests).size).toBe(digests.length);
});

test("racy files: one not safely older than the manifest is read again, so an edit within its timestamp tick is seen", () => {
  const young = tree({ "main.py": "print(1)\n" }, new Date());
  const first = fresh(young);
  // Pretend the bytes changed after they were hashed without the stat changing (same size, same
  // mtime tick): the manifest row keeps the stat but its digest no longer describes the file.
  const manifestFile = path.join(manifestDirectory(), fs.readdirSync(manifestDirectory())[0]);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  manifest.rows[0][6] = "0".repeat(64);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const again = fresh(young);
  expect(again.filesRead).toBe(1); // young: not trusted
  expect(again.digest).toBe(first.digest);

  // The same doctored row for a file an hour old is trusted: that is what the stat shortcut buys.
  fs.utimesSync(path.join(young, "main.py"), HOUR_AGO, HOUR_AGO);
  fresh(young);
  const aged = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  aged.rows[0][6] = "0".repeat(64);
  fs.writeFileSync(manifestFile, JSON.stringify(aged));
  expect(fresh(young).filesRead).toBe(0);
});

test("the digest covers exactly what the package ships (same walk, same excludes)", () => {
  const dir = tree({ "main.py": "m", "notes.txt": "n", "keep.txt": "k", ".git/HEAD": "ref", "pkg/__pycache__/x.pyc": "c", "data/a.csv": "1", "data/keep.csv": "2" });
  const excludes = ["*.txt", "!keep.txt", "data/", "!data/keep.csv"];
  const digest = fresh(dir, excludes);
  const zipped = readZipEntries(packDirectory(dir, excludes).bytes).map((entry) => entry.name);
  expect(digest.files.map((file) => `app/${file.relative}`)).toEqual(zipped);
  const before = digest.digest;
  fs.writeFileSync(path.join(dir, "notes.txt"), "excluded, so no change");
  expect(fresh(dir, excludes).digest).toBe(before);
});

test("the streamed package has the length announced up front and unzips to the files' bytes", () => {
  const big = Buffer.alloc(17 << 20, 7); // above the in-memory deflate limit: stored and streamed
  const dir = tree({ "main.py": "print(1)\n".repeat(100), "empty.txt": "" });
  fs.writeFileSync(path.join(dir, "model.bin"), big);
  const entries = packageEntries(fresh(dir));
  const bytes = Buffer.concat([...zipStream(entries)]);
  expect(bytes.length).toBe(zipLength(entries));
  const files = Object.fromEntries(readZipEntries(bytes).map((entry) => [entry.name, entry.data()]));
  expect(Object.keys(files).sort()).toEqual(["app/empty.txt", "app/main.py", "app/model.bin"]);
  expect(files["app/model.bin"].equals(big)).toBe(true);
  expect(files["app/main.py"].toString()).toBe("print(1)\n".repeat(100));
});

test("a file edited between digest and upload fails the upload instead of shipping bytes its name does not describe", () => {
  const dir = tree({ "main.py": "print(1)\n" });
  const entries = packageEntries(fresh(dir));
  fs.writeFileSync(path.join(dir, "main.py"), "print(2)\n");
  expect(() => Buffer.concat([...zipStream(entries)])).toThrow(/changed after its digest/);
});

test("sourceHash: a stack recorded with the old zip-md5 value keeps it while the content is unchanged", () => {
  const dir = tree({ "main.py": "print(1)\n", "lib/util.py": "x = 1\n" });
  const oldValue = createHash("md5").update(`workingDir=${packDirectory(dir).contentHash}`).digest("hex").slice(0, 16);
  const current = computeSourceHash({ workingDir: dir });
  expect(current).toMatch(/^[0-9a-f]{32}$/);
  forgetDigests();
  expect(computeSourceHash({ workingDir: dir }, oldValue)).toBe(oldValue);
  forgetDigests();
  expect(computeSourceHash({ workingDir: dir }, current)).toBe(current);
  fs.writeFileSync(path.join(dir, "main.py"), "print(2)\n");
  forgetDigests();
  const edited = computeSourceHash({ workingDir: dir }, oldValue);
  expect(edited).toMatch(/^[0-9a-f]{32}$/);
  expect(edited).not.toBe(current);
});

test("resources naming the same directory in one burst share one digest", () => {
  const dir = tree({ "main.py": "print(1)\n" });
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(dir, "main.py"), past, past);
  const one = digestDirectory(dir, [], { reuse: true });
  expect(digestDirectory(dir, [], { reuse: true })).toBe(one);
  expect(digestDirectory(dir, [], { reuse: false })).not.toBe(one);
});

test("a file edited within the racy margin is never taken from this process's digests", () => {
  const dir = tree({ "main.py": "print(1)\n" });
  const one = digestDirectory(dir, [], { reuse: true });
  fs.writeFileSync(path.join(dir, "main.py"), "print(2)\n");
  expect(digestDirectory(dir, [], { reuse: true }).digest).not.toBe(one.digest);
});
