import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isRemoteUri, packDirectory, packageFileName } from "../../provider/anyscale/upload";

function makeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pack-"));
  const dir = path.join(root, "app");
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function listWithPython(zip: Buffer): string[] {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "zip-")), "pkg.zip");
  fs.writeFileSync(file, zip);
  const script = "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint('\\n'.join(sorted(z.namelist())))";
  const result = spawnSync("python3", ["-c", script, file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim().split("\n");
}

describe("working_dir packaging", () => {
  it("zips under one top-level folder, honouring default and user excludes", () => {
    const dir = makeTree({
      "main.py": "print('hi')\n".repeat(50),
      "pkg/util.py": "x = 1\n",
      "pkg/__pycache__/util.cpython-311.pyc": "junk",
      ".git/HEAD": "ref",
      "data/big.csv": "1,2,3\n",
      "notes.log": "log",
    });
    const packed = packDirectory(dir, ["*.log", "data/"]);
    expect(listWithPython(packed.bytes)).toEqual(["app/main.py", "app/pkg/util.py"]);
    expect(packed.fileCount).toBe(2);
  });

  it("is deterministic: same content, same hash (so uploads dedupe and nothing drifts)", () => {
    const one = makeTree({ "main.py": "a\n", "lib/x.py": "b\n" });
    const two = makeTree({ "lib/x.py": "b\n", "main.py": "a\n" });
    fs.utimesSync(path.join(two, "main.py"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(packDirectory(one).contentHash).toBe(packDirectory(two).contentHash);
    fs.writeFileSync(path.join(two, "main.py"), "changed\n");
    expect(packDirectory(two).contentHash).not.toBe(packDirectory(one).contentHash);
    expect(packageFileName("abc")).toBe("pkg_abc.zip");
  });

  it("fails clearly for a missing directory", () => {
    expect(() => packDirectory("/no/such/dir")).toThrow(/does not exist/);
  });

  it("recognises remote URIs", () => {
    expect(isRemoteUri("s3://bucket/pkg.zip")).toBe(true);
    expect(isRemoteUri("https://example.com/x.zip")).toBe(true);
    expect(isRemoteUri("./src")).toBe(false);
    expect(isRemoteUri("/abs/path")).toBe(false);
  });
});
