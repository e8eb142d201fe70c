// Local files a Service deploy or a Job submit reads: directories to upload, a requirements file, a
// containerfile. No network here, so check can use it to validate paths and fingerprint contents during preview.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CheckFailure } from "../core/dynamic-support";
import { isRemoteUri, legacyPackageMd5 } from "../anyscale/upload";
import { derivedValue, digestDirectory } from "../anyscale/content-manifest";
import { symlinkProblems } from "./symlinks";

/** The fields of a Service's or a Job's inputs that name local files (a Job has no applications). */
export interface LocalSourceInputs {
  workingDir?: string;
  excludes?: string[];
  pyModules?: string[];
  requirements?: string | string[];
  containerfile?: string;
  applications?: ReadonlyArray<{ runtime_env?: Record<string, unknown> | null }>;
}

export interface LocalDirectoryRef {
  /** The input field, for messages: "workingDir", "pyModules[1]", "applications[0].runtime_env.working_dir". */
  field: string;
  directory: string;
  excludes: string[];
}

/** Every local directory the deploy will upload, with the excludes that apply to it. */
export function localDirectories(inputs: LocalSourceInputs): LocalDirectoryRef[] {
  const refs: LocalDirectoryRef[] = [];
  const topExcludes = inputs.excludes ?? [];
  const add = (field: string, value: unknown, excludes: string[]) => {
    if (typeof value === "string" && !isRemoteUri(value)) refs.push({ field, directory: value, excludes });
  };
  add("workingDir", inputs.workingDir, topExcludes);
  inputs.pyModules?.forEach((module, index) => add(`pyModules[${index}]`, module, topExcludes));
  inputs.applications?.forEach((application, index) => {
    const runtimeEnv = application.runtime_env ?? {};
    const ownExcludes = Array.isArray(runtimeEnv.excludes) ? runtimeEnv.excludes.filter((item): item is string => typeof item === "string") : [];
    const appExcludes = [...ownExcludes, ...topExcludes];
    if (inputs.workingDir === undefined) add(`applications[${index}].runtime_env.working_dir`, runtimeEnv.working_dir, appExcludes);
    if (Array.isArray(runtimeEnv.py_modules)) {
      runtimeEnv.py_modules.forEach((module, moduleIndex) => add(`applications[${index}].runtime_env.py_modules[${moduleIndex}]`, module, appExcludes));
    }
  });
  return refs;
}

/** Missing or wrong-kind local paths, reported on the field that names them. */
export function localPathProblems(inputs: LocalSourceInputs): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const ref of localDirectories(inputs)) {
    if (!isDirectory(ref.directory)) failures.push({ property: ref.field, reason: `${ref.field}: local directory '${ref.directory}' does not exist` });
  }
  if (typeof inputs.requirements === "string" && !isFile(inputs.requirements)) {
    failures.push({ property: "requirements", reason: `requirements: file '${inputs.requirements}' does not exist (give a path to requirements.txt or a list of packages)` });
  }
  if (inputs.containerfile !== undefined && !isFile(inputs.containerfile)) {
    failures.push({ property: "containerfile", reason: `containerfile: file '${inputs.containerfile}' does not exist` });
  }
  failures.push(...symlinkProblems(localDirectories(inputs))); // dangling links name the field (workload/symlinks.ts)
  return failures;
}

/** The pip list: the given list, or the lines of the requirements file without comments and blanks. */
export function readRequirements(requirements: string | string[] | undefined): string[] | undefined {
  if (requirements === undefined) return undefined;
  if (Array.isArray(requirements)) return requirements;
  return fs
    .readFileSync(requirements, "utf8")
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter((line) => line.length > 0);
}

/**
 * A digest of everything local the deploy ships. Stored as the `sourceHash` input so an edit under an
 * unchanged path shows as a change in preview. Undefined when nothing local is referenced.
 *
 * Directories count by their content digest (anyscale/content-manifest.ts): a stat per file when
 * nothing changed. That makes a 32-hex value; before it, directories counted by the md5 of their
 * whole zip (a 16-hex value). `previous`, the value the stack recorded, keeps an old 16-hex value when
 * the content is still what it described, so upgrading the provider is not a change to every
 * resource with a working dir: the old formula is computed once per content (one file in memory at a
 * time) and remembered in the manifest; the first real edit moves the resource to the new value.
 */
export function computeSourceHash(inputs: LocalSourceInputs, previous?: string): string | undefined {
  const fileParts: string[] = [];
  if (typeof inputs.requirements === "string" && isFile(inputs.requirements)) fileParts.push(`requirements=${md5(fs.readFileSync(inputs.requirements))}`);
  if (inputs.containerfile !== undefined && isFile(inputs.containerfile)) fileParts.push(`containerfile=${md5(fs.readFileSync(inputs.containerfile))}`);
  const directories = localDirectories(inputs)
    .filter((ref) => isDirectory(ref.directory))
    .map((ref) => ({ ref, digest: digestDirectory(ref.directory, ref.excludes, { reuse: true }) }));
  if (directories.length === 0) return fileParts.length === 0 ? undefined : md5(Buffer.from(fileParts.join("\n"))).slice(0, 16);
  const current = sha256(directories.map(({ ref, digest }) => `${ref.field}=${digest.digest}`).concat(fileParts).join("\n")).slice(0, 32);
  if (previous === undefined || previous === current || !/^[0-9a-f]{16}$/.test(previous)) return current;
  const legacyParts = directories.map(({ ref, digest }) => `${ref.field}=${derivedValue(ref.directory, ref.excludes, digest, "legacyZipMd5", () => legacyPackageMd5(digest))}`);
  return md5(Buffer.from(legacyParts.concat(fileParts).join("\n"))).slice(0, 16) === previous ? previous : current;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function md5(data: Buffer): string {
  return createHash("md5").update(data).digest("hex");
}

function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(path.resolve(candidate)).isDirectory();
  } catch {
    return false;
  }
}

function isFile(candidate: string): boolean {
  try {
    return fs.statSync(path.resolve(candidate)).isFile();
  } catch {
    return false;
  }
}
