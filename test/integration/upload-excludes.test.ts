// `excludes` leave out exactly what the official client leaves out of the same directory: its own
// zip_directory (anyscale/utils/ray_utils.py, pathspec "gitwildmatch") runs in the pinned venv, and the
// file lists of both archives are compared, for negation, "**", a trailing "/" and anchored patterns.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_EXCLUDES, packDirectory } from "../../provider/anyscale/upload";
import { readZipEntries } from "../../local/jobs/zip-reader";
import { requireAnyscaleVenv } from "../helpers/anyscale-cli";

jest.setTimeout(60_000);

const TREE = [
  "main.py",
  "notes.txt",
  "keep.txt",
  "top.log",
  "data/a.csv",
  "data/keep.csv",
  "data/raw/b.csv",
  "src/app/data/c.csv",
  "src/app/util.py",
  "src/app/util.pyc",
  "src/deep/x/y/model.bin",
  "docs/build/index.html",
  "docs/guide.md",
  "logs/today.log",
  "logs/keep.log",
];

/** Each case: the user's excludes (the provider adds Ray's defaults to both sides). */
const CASES: string[][] = [
  ["*.txt", "!keep.txt"],
  ["data/", "!data/keep.csv"],
  ["data", "!data/keep.csv"],
  ["/data/"],
  ["**/data/*.csv"],
  ["src/**/*.pyc", "**/model.bin"],
  ["docs/build/"],
  ["/top.log", "logs/*.log", "!logs/keep.log"],
  ["*.log", "!/top.log"],
  ["src/app/"],
  ["**/*.csv", "!data/**"],
];

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "excludes-")) + "/proj";
  for (const file of TREE) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), file);
  }
});

afterAll(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

/** The files the official client's zip_directory packs, relative to the directory. */
function officialFiles(excludes: string[]): string[] {
  const script = [
    "import json, sys, tempfile, os, zipfile",
    "from anyscale.utils.ray_utils import zip_directory",
    "root, excludes = sys.argv[1], json.loads(sys.argv[2])",
    "out = os.path.join(tempfile.mkdtemp(), 'p.zip')",
    "zip_directory(root, excludes, out, include_parent_dir=True)",
    "names = [n for n in zipfile.ZipFile(out).namelist() if not n.endswith('/')]",
    "print(json.dumps(sorted(n.split('/', 1)[1] for n in names)))",
  ].join("\n");
  const output = execFileSync(requireAnyscaleVenv().python, ["-c", script, root, JSON.stringify(excludes)], {
    env: { ...process.env, ANYSCALE_DISABLE_GITIGNORE_EXCLUSION: "1" },
    encoding: "utf8",
  });
  return JSON.parse(output);
}

function ourFiles(excludes: string[]): string[] {
  return readZipEntries(packDirectory(root, excludes).bytes)
    .map((entry) => entry.name.split("/").slice(1).join("/"))
    .sort();
}

test.each(CASES.map((excludes) => [excludes]))("excludes %j match the official client", (excludes) => {
  const official = officialFiles([...DEFAULT_EXCLUDES, ...excludes]);
  expect(ourFiles(excludes)).toEqual(official);
  // The case must exclude something, or it proves nothing.
  expect(official.length).toBeLessThan(TREE.length);
});
