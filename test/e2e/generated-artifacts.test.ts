// The committed artifacts derived from the schema (the native TypeScript SDK in sdk/native, the API
// reference in docs/api) are what the schema generates today: regenerated into temporary directories
// with the same scripts a release runs, and compared file by file. A field added to a declaration
// without rerunning `bash scripts/gen-sdks.sh nodejs && bash scripts/gen-api-docs.sh` fails here.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT, runCommand } from "../helpers/pulumi";

jest.setTimeout(10 * 60_000);

function filesUnder(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(root, child), "utf8"));
    }
  };
  walk("");
  return files;
}

/** Files that differ, are missing or are extra in `committed` compared with `fresh`. */
function differences(committed: string, fresh: string): string[] {
  const want = filesUnder(fresh);
  const have = filesUnder(committed);
  const names = new Set([...want.keys(), ...have.keys()]);
  return [...names].sort().filter((name) => want.get(name) !== have.get(name)).map((name) => `${name}: ${!have.has(name) ? "missing" : !want.has(name) ? "extra" : "stale"}`);
}

describe("artifacts generated from the schema", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "generated-artifacts-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("sdk/native is the TypeScript SDK the schema generates", async () => {
    const out = path.join(scratch, "native");
    await runCommand("bash", [path.join(REPO_ROOT, "scripts/gen-sdks.sh"), "nodejs"], { cwd: REPO_ROOT, env: { ...process.env, NODEJS_SDK_OUT: out } });
    expect(differences(path.join(REPO_ROOT, "sdk/native"), out)).toEqual([]);
  });

  it("docs/api is the reference the schema generates", async () => {
    const out = path.join(scratch, "api");
    await runCommand("bash", [path.join(REPO_ROOT, "scripts/gen-api-docs.sh")], { cwd: REPO_ROOT, env: { ...process.env, API_DOCS_OUT: out } });
    expect(differences(path.join(REPO_ROOT, "docs/api"), out)).toEqual([]);
  });
});
