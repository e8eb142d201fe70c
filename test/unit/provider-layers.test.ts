// The layer rule of provider/, checked on the source: every relative import of every file is read and
// must point to its own layer or one below; resources are siblings and import none of each other.
// Above provider/, sdk/ reaches a resource only through its public face; beside it, local/ (the plane,
// a stand-in for the platform) imports nothing of the client at all.
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const PROVIDER = path.join(ROOT, "provider");
const SDK = path.join(ROOT, "sdk");
const LOCAL = path.join(ROOT, "local");

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

/**
 * A resource's public face, the only files of a resource directory sdk/ may import: its provider module
 * (`dynamic.ts`, what hosts run) and its declaration: `schema.ts` (input types, enumerations, the
 * lists of its properties) with the parts it is split into (`output-schema.ts`, `rollout-schema.ts`:
 * any `*-schema.ts`), or a `declaration.ts` where it has one. Everything else is the resource's own.
 */
const PUBLIC_FACES = new Set(["dynamic.ts", "schema.ts", "declaration.ts"]);
const isPublicFace = (file: string) => PUBLIC_FACES.has(file) || file.endsWith("-schema.ts");
/**
 * The data functions are not a resource but a set of calls: their public face is each call module,
 * the argument and result types of each, and the program's context (configuration → client).
 */
const FUNCTIONS_PUBLIC_FACE = /^(jobs|services|job-queues|compute-configs|tags|program-context|[a-z-]+-arguments|[a-z-]+-results)\.ts$/;
/** Layers sdk/ may use freely: the foundation every resource stands on (not a resource's internals). */
const SDK_FOUNDATION = new Set(["core", "anyscale", "workload"]);

/**
 * Imports into a resource's internals that wait for their owner's rework, each with the reason. The
 * test fails when one of them is gone (remove it here), so the list only ever shrinks.
 */
const PENDING_SDK_EXCEPTIONS: Record<string, string> = {
  "sdk/zenml.ts -> provider/zenml/anyscale-registration.ts": "zenml.Service.forAnyscale helpers: to a zenml public face",
  "sdk/zenml.ts -> provider/zenml/client.ts": "ZenmlClient type for the data functions: to a zenml public face",
  "sdk/zenml.ts -> provider/zenml/config.ts": "settings for the data functions: to a zenml public face",
  "sdk/zenml.ts -> provider/zenml/data.ts": "the zenml data functions: to a zenml public face",
};

function resolvedTs(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  if (fs.existsSync(`${target}.ts`)) return `${target}.ts`;
  if (fs.existsSync(path.join(target, "index.ts"))) return path.join(target, "index.ts");
  return target;
}

/** Every sdk/ import into provider/ as "sdk/x.ts -> provider/dir/file.ts". */
function sdkArrows(): string[] {
  const arrows: string[] = [];
  for (const file of sourceFiles(SDK)) {
    for (const specifier of relativeImports(fs.readFileSync(file, "utf8"))) {
      const target = resolvedTs(file, specifier);
      if (topDir(target) !== undefined) arrows.push(`${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`);
    }
  }
  return [...new Set(arrows)].sort();
}

function sdkViolations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SDK)) {
    for (const specifier of relativeImports(fs.readFileSync(file, "utf8"))) {
      const target = resolvedTs(file, specifier);
      const arrow = `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`;
      const dir = topDir(target);
      if (dir === undefined) {
        if (!target.startsWith(SDK + path.sep)) found.push(`${arrow}: sdk/ imports only itself and provider/`);
        continue;
      }
      if (SDK_FOUNDATION.has(dir) || PENDING_SDK_EXCEPTIONS[arrow]) continue;
      if (dir === "hosts") found.push(`${arrow}: hosts sit above the resources, beside sdk/`);
      else if (dir === "functions" ? !FUNCTIONS_PUBLIC_FACE.test(path.basename(target)) : !isPublicFace(path.basename(target))) {
        found.push(`${arrow}: not a public face of provider/${dir}`);
      }
    }
  }
  return found;
}

function localViolations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(LOCAL)) {
    for (const specifier of relativeImports(fs.readFileSync(file, "utf8"))) {
      const target = path.resolve(path.dirname(file), specifier);
      if (!target.startsWith(LOCAL + path.sep)) found.push(`${path.relative(ROOT, file)} imports ${specifier}: the plane imports nothing outside local/`);
    }
  }
  return found;
}

describe("sdk/ and local/ seams", () => {
  it("sdk/ reaches each resource only through its public face (dynamic, schema, declaration)", () => {
    expect(sdkViolations()).toEqual([]);
  });

  it("every pending exception still exists, so the list only shrinks", () => {
    const arrows = new Set(sdkArrows());
    expect(Object.keys(PENDING_SDK_EXCEPTIONS).filter((arrow) => !arrows.has(arrow))).toEqual([]);
  });

  it("local/ imports nothing from provider/, sdk/ or anywhere else outside itself", () => {
    expect(localViolations()).toEqual([]);
  });

  it("tells a public face from an internal file", () => {
    expect(PUBLIC_FACES.has("dynamic.ts") && !PUBLIC_FACES.has("outputs.ts")).toBe(true);
    expect(FUNCTIONS_PUBLIC_FACE.test("job-arguments.ts") && FUNCTIONS_PUBLIC_FACE.test("jobs.ts")).toBe(true);
    expect(FUNCTIONS_PUBLIC_FACE.test("job-queries.ts")).toBe(false);
  });
});

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
