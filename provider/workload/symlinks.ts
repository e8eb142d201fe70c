// Symbolic links in an uploaded directory, decided as the official client does
// (anyscale/utils/ray_utils.py zip_directory: pathlib's is_dir/is_file follow links): a link to a
// file ships the file's content, a link to a directory ships that directory's files under the link's
// path. A dangling link is where we differ: the official client skips it silently; check refuses it,
// naming the field and the link, because a file the program names but the deploy leaves out fails
// later on the cluster (add it to `excludes` to leave it out on purpose). Only lstat/stat, no reads.
import * as fs from "node:fs";
import * as path from "node:path";
import type { CheckFailure } from "../core/dynamic-support";
import { DEFAULT_EXCLUDES, excludeMatcher } from "../anyscale/upload";
import type { LocalDirectoryRef } from "./local-sources";

/** Dangling links (and link loops) under each directory, not excluded, reported on the field naming it. */
export function symlinkProblems(refs: LocalDirectoryRef[]): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const ref of refs) {
    const root = path.resolve(ref.directory);
    if (!isDirectory(root)) continue;
    const excluded = excludeMatcher([...DEFAULT_EXCLUDES, ...ref.excludes]);
    const seen = new Set<string>([fs.realpathSync(root)]);
    const walk = (relativeDir: string): void => {
      for (const entry of fs.readdirSync(path.join(root, relativeDir), { withFileTypes: true })) {
        const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
        if (excluded(relative)) continue;
        const full = path.join(root, relative);
        if (entry.isSymbolicLink()) {
          const target = fs.readlinkSync(full);
          let stat: fs.Stats;
          try {
            stat = fs.statSync(full);
          } catch {
            failures.push({ property: ref.field, reason: `${ref.field}: '${path.join(ref.directory, relative)}' is a symbolic link to '${target}', which does not exist (remove it, or add '${relative}' to excludes)` });
            continue;
          }
          if (!stat.isDirectory()) continue;
          const real = fs.realpathSync(full);
          if (seen.has(real)) {
            failures.push({ property: ref.field, reason: `${ref.field}: '${path.join(ref.directory, relative)}' links back to a directory it is inside ('${target}'), which would upload forever (add it to excludes)` });
            continue;
          }
          seen.add(real);
          walk(relative);
          seen.delete(real);
        } else if (entry.isDirectory()) walk(relative);
      }
    };
    walk("");
  }
  return failures;
}

function isDirectory(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}
