// The layer rule of provider/, checked on the source: every relative import of every file is read and
// must point to its own layer or one below; resources are siblings and import none of each other.
import * as fs from "node:fs";
import * as path from "node:path";

const PROVIDER = path.resolve(__dirname, "../../provider");

/**
 * The one definition of the layer order, bottom first (docs/ARCHITECTURE.md describes it). Directories
 * on one level that are marked siblings may import only themselves among that level.
 */
const LAYERS: ReadonlyArray<{ dirs: string[]; siblings?: boolean }> = [
  { dirs: ["core"] },
  { dirs: ["anyscale"] },
  { dirs: ["workload"] },
  { dirs: ["service", "job", "jobqueue", "computeconfig", "containerimage", "zenml", "functions"], siblings: true },
  { dirs: ["hosts"], siblings: true },
];

function layerOf(dir: string): number {
  const index = LAYERS.findIndex((layer) => layer.dirs.includes(dir));
  if (index < 0) throw new Error(`provider/${dir} is in no layer: add it to LAYERS`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Relative module specifiers in import/export-from statements, require() and import(); comments are skipped. */
function relativeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const specifiers: string[] = [];
  const pattern = /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*|^\s*import\s+)["'](\.[^"']*)["']/gm;
  for (const match of code.matchAll(pattern)) specifiers.push(match[1]);
  return specifiers;
}

/** The top directory under provider/ of a path, or undefined outside provider/. */
function topDir(file: string): string | undefined {
  const relative = path.relative(PROVIDER, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  const [first, ...rest] = relative.split(path.sep);
  return rest.length > 0 ? first : "";
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(PROVIDER)) {
    const from = topDir(file)!;
    if (from === "") {
      found.push(`${path.relative(PROVIDER, file)}: files belong in a layer directory`);
      continue;
    }
    const fromLayer = layerOf(from);
    for (const specifier of relativeImports(fs.readFileSync(file, "utf8"))) {
      const to = topDir(path.resolve(path.dirname(file), specifier));
      const where = `provider/${path.relative(PROVIDER, file)} imports ${specifier}`;
      if (to === undefined) {
        found.push(`${where}: provider/ imports nothing outside itself`);
        continue;
      }
      if (to === from) continue;
      const toLayer = layerOf(to);
      if (toLayer > fromLayer) found.push(`${where}: upward (${from} is below ${to})`);
      else if (toLayer === fromLayer && LAYERS[fromLayer].siblings) found.push(`${where}: ${from} and ${to} are siblings`);
    }
  }
  return found;
}

describe("provider layers", () => {
  it("no import runs upward, sideways between siblings, or out of provider/", () => {
    expect(violations()).toEqual([]);
  });

  it("reads every import form it must catch", () => {
    const sample = [
      'import { a } from "../x";',
      'import type { B } from "./y";',
      'export { c } from "../z";',
      'const d = require("../w");',
      'import "./side-effect";',
      '// import { e } from "../commented";',
      'import { f } from "zod";',
    ].join("\n");
    expect(relativeImports(sample)).toEqual(["../x", "./y", "../z", "../w", "./side-effect"]);
  });
});
