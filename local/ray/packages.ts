// Uploaded runtime-env packages (zips in the plane's cloud storage), extracted once each into
// DATA_DIR/ray/packages so the sidecar can hand them to Ray like `serve run` hands a local directory.
// The SDK's zips hold one top-level directory: for a working_dir that directory is the working dir;
// for a py_module it is the module itself.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { extractZipFile } from "../jobs/zip-reader";
import type { PackageDirs } from "./apps";

export class PackageCache implements PackageDirs {
  private readonly extracted = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly resolveFileUri: (uri: string) => string | undefined,
  ) {}

  workingDir(uri: string): string {
    return this.unpack(uri);
  }

  pyModule(uri: string): string {
    return this.unpack(uri);
  }

  private unpack(uri: string): string {
    const known = this.extracted.get(uri);
    if (known) return known;
    const zip = this.resolveFileUri(uri);
    if (!zip || !fs.existsSync(zip)) throw new Error(`runtime_env package '${uri}' was not uploaded to this control plane.`);
    const dest = path.join(this.root, createHash("sha256").update(uri).digest("hex").slice(0, 16));
    const done = path.join(dest, ".extracted");
    if (!fs.existsSync(done)) {
      fs.rmSync(dest, { recursive: true, force: true });
      fs.mkdirSync(dest, { recursive: true });
      extractZipFile(zip, dest);
      fs.writeFileSync(done, uri);
    }
    const entries = fs.readdirSync(dest, { withFileTypes: true }).filter((e) => e.name !== ".extracted");
    const dir = entries.length === 1 && entries[0].isDirectory() ? path.join(dest, entries[0].name) : dest;
    this.extracted.set(uri, dir);
    return dir;
  }
}
