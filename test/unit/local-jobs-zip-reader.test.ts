import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { extractZipFile } from "../../local/jobs/zip-reader";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zip-reader-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function pythonZip(compression: "ZIP_STORED" | "ZIP_DEFLATED", entries: Record<string, string>): string {
  const zipPath = path.join(dir, `${compression}.zip`);
  const script = `import sys, json, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.${compression}) as z:\n    for k, v in json.loads(sys.argv[2]).items():\n        z.writestr(k, v)`;
  execFileSync("python3", ["-c", script, zipPath, JSON.stringify(entries)]);
  return zipPath;
}

test.each(["ZIP_STORED", "ZIP_DEFLATED"] as const)("extracts %s entries as Python's zipfile writes them", (compression) => {
  const zip = pythonZip(compression, { "proj/main.py": "print('hi')\n".repeat(50), "proj/pkg/mod.py": "X = 1\n", "proj/empty/": "" });
  const dest = path.join(dir, `out-${compression}`);
  extractZipFile(zip, dest);
  expect(fs.readFileSync(path.join(dest, "proj/main.py"), "utf8")).toBe("print('hi')\n".repeat(50));
  expect(fs.readFileSync(path.join(dest, "proj/pkg/mod.py"), "utf8")).toBe("X = 1\n");
  expect(fs.statSync(path.join(dest, "proj/empty")).isDirectory()).toBe(true);
});

test("refuses entries escaping the destination", () => {
  const zip = pythonZip("ZIP_STORED", { "../evil.txt": "x" });
  expect(() => extractZipFile(zip, path.join(dir, "out-evil"))).toThrow(/escapes/);
});

test("a non-zip file is a clear error", () => {
  const notZip = path.join(dir, "not.zip");
  fs.writeFileSync(notZip, "hello");
  expect(() => extractZipFile(notZip, path.join(dir, "out-bad"))).toThrow(/not a zip/);
});
