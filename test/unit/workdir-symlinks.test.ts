// Symbolic links in a working dir (provider/workload/symlinks.ts, provider/anyscale/upload.ts): a
// dangling link fails check naming the field and the link, with no stack trace; a linked directory
// ships its files under the link's path, as the official client's zip does.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { localPathProblems } from "../../provider/workload/local-sources";
import { packDirectory } from "../../provider/anyscale/upload";
import * as service from "../../provider/service/dynamic";

function tempTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "symlinks-"));
  fs.mkdirSync(path.join(root, "app"));
  fs.writeFileSync(path.join(root, "app", "main.py"), "app = 1\n");
  fs.mkdirSync(path.join(root, "shared"));
  fs.writeFileSync(path.join(root, "shared", "util.py"), "x = 1\n");
  return root;
}

describe("symbolic links in a working dir", () => {
  it("a dangling link fails check naming the field and the link (Service check too)", async () => {
    const root = tempTree();
    fs.symlinkSync(path.join(root, "missing.py"), path.join(root, "app", "gone.py"));
    const workingDir = path.join(root, "app");
    expect(localPathProblems({ workingDir })).toEqual([{ property: "workingDir", reason: expect.stringMatching(/workingDir: '.*app\/gone.py' is a symbolic link to '.*missing.py', which does not exist/) }]);
    const result = await service.check({}, { name: "svc", applications: [{ import_path: "main:app" }], workingDir });
    expect(result.failures).toEqual([{ property: "workingDir", reason: expect.stringContaining("gone.py") }]);
    // Excluded on purpose: fine.
    expect(localPathProblems({ workingDir, excludes: ["gone.py"] })).toEqual([]);
  });

  it("a linked directory ships its files under the link's path; a loop is refused", () => {
    const root = tempTree();
    fs.symlinkSync(path.join(root, "shared"), path.join(root, "app", "shared"));
    const packed = packDirectory(path.join(root, "app"));
    expect(packed.fileCount).toBe(2);
    expect(packed.bytes.includes(Buffer.from("app/shared/util.py"))).toBe(true);
    fs.symlinkSync(path.join(root, "app"), path.join(root, "app", "loop"));
    expect(localPathProblems({ workingDir: path.join(root, "app") })).toEqual([{ property: "workingDir", reason: expect.stringMatching(/loop' links back to a directory it is inside/) }]);
  });
});
