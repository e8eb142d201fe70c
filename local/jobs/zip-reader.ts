// Reading the working_dir / py_modules packages the plane runs, with fflate (stored and deflated
// entries, as our uploader and the official SDK's Python ZipFile write them), used when the system
// `unzip` is absent. Entries that would land outside the destination are refused.
import * as fs from "node:fs";
import * as path from "node:path";
import { unzipSync } from "fflate";

export interface ZipEntry {
  name: string;
  isDirectory: boolean;
  data: () => Buffer;
}

export function readZipEntries(zip: Buffer): ZipEntry[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (error) {
    throw new Error(`not a zip file (${(error as Error).message})`);
  }
  return Object.entries(files).map(([name, bytes]) => ({ name, isDirectory: name.endsWith("/"), data: () => Buffer.from(bytes) }));
}

/** Extracts into destDir, refusing entries that would escape it. */
export function extractZipFile(zipPath: string, destDir: string): void {
  const root = path.resolve(destDir);
  for (const entry of readZipEntries(fs.readFileSync(zipPath))) {
    const target = path.resolve(root, entry.name);
    if (target !== root && !target.startsWith(root + path.sep)) throw new Error(`zip entry escapes the target directory: ${entry.name}`);
    if (entry.isDirectory) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.data());
  }
}
