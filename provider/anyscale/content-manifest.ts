// The content digest of a package directory, at the cost of a stat per file when nothing changed.
//
// Like git's index, a manifest per directory (kept in a cache dir outside the repo) records each
// shipped file's stat (size, mtime and ctime in ns, inode, mode) with the SHA-256 and CRC-32 of its
// bytes. A file whose stat matches is not read; any other file is read (streamed, 1 MiB at a time) and
// hashed. Racy edits are handled the way git does: a file whose mtime is not safely older than the
// manifest's own write time (the filesystem's clock, with a margin for coarse timestamps) may have been
// edited within the same timestamp tick after it was hashed, so it is hashed again.
//
// The digest is SHA-256 over the top folder name and each file's (path, mode, size, SHA-256) in archive
// order: it changes whenever a shipped byte, name or mode changes, and only then.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { crc32 } from "./zip";
import { defaultExcludes, listPackageFiles, type PackageFile } from "./package-files";

const MANIFEST_FORMAT = 1;
const READ_CHUNK = 1 << 20;
/** Timestamps on FAT are 2 s coarse; a file younger than this against the manifest is re-hashed. */
const RACY_MARGIN_NS = 2_000_000_000n;

export interface DigestedFile extends PackageFile {
  mode: number;
  size: number;
  sha256: string;
  crc: number;
}

export interface DirectoryDigest {
  root: string;
  topFolder: string;
  files: DigestedFile[];
  /** SHA-256 hex over the top folder and every file's (path, mode, size, content digest). */
  digest: string;
  /** How many files were read this time (0 when the stats alone proved the directory unchanged). */
  filesRead: number;
}

type ManifestRow = [relative: string, size: string, mtimeNs: string, ctimeNs: string, ino: string, mode: number, sha256: string, crc: number];

interface ManifestFile {
  format: number;
  root: string;
  excludes: string[];
  rows: ManifestRow[];
  /** Values derived from the whole content, keyed by the digest they belong to (e.g. the legacy hash). */
  derived?: Record<string, Record<string, string>>;
}

/** Where manifests live: PULUMI_ANYSCALE_MANIFEST_DIR, else the user's cache dir, else the temp dir. */
export function manifestDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PULUMI_ANYSCALE_MANIFEST_DIR) return env.PULUMI_ANYSCALE_MANIFEST_DIR;
  const cacheHome = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), ".cache") : os.tmpdir());
  return path.join(cacheHome, "pulumi-anyscale", "manifests");
}

/**
 * Digests computed in this process: the engine checks every resource of a program in one burst, so
 * resources sharing a working dir share the hashing and the manifest. A digest is reused only when a
 * fresh walk finds every file with the stats it had (size, mtime, ctime, inode, mode) and its mtime
 * older than the racy margin before that digest was computed (git's rule), so an edit is seen by the very next check, however soon.
 */
const digestsThisProcess = new Map<string, { digest: DirectoryDigest; safeBeforeNs: bigint }>();

/**
 * The directory's digest. `reuse` (check) may return the digest computed in this process for the same
 * directory and excludes when the files are unchanged (above); an upload passes false, so the files
 * are hashed against the manifest again right before they are sent.
 */
export function digestDirectory(directory: string, excludes: readonly string[], options: { reuse: boolean }): DirectoryDigest {
  const key = memoKey(directory, excludes);
  const listing = listPackageFiles(directory, excludes);
  const known = options.reuse ? digestsThisProcess.get(key) : undefined;
  if (known && unchangedSince(known.digest, known.safeBeforeNs, listing.files)) return known.digest;
  const startedNs = BigInt(Date.now()) * 1_000_000n;
  const manifestPath = path.join(manifestDirectory(), `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`);
  const manifest = readManifest(manifestPath, listing.root);
  const safeBefore = manifest ? manifest.writtenNs - RACY_MARGIN_NS : 0n;
  const previous = new Map((manifest?.file.rows ?? []).map((row) => [row[0], row]));
  let filesRead = 0;
  const files: DigestedFile[] = listing.files.map((file) => {
    const mode = Number(file.stat.mode & 0o777n);
    const row = previous.get(file.relative);
    if (row && statMatches(row, file.stat, mode) && file.stat.mtimeNs < safeBefore) {
      return { ...file, mode, size: Number(file.stat.size), sha256: row[6], crc: row[7] };
    }
    filesRead++;
    return { ...file, mode, size: Number(file.stat.size), ...hashFile(file.full) };
  });
  const digest = digestOf(listing.topFolder, files);
  const result: DirectoryDigest = { root: listing.root, topFolder: listing.topFolder, files, digest, filesRead };
  if (filesRead > 0 || files.length !== previous.size) {
    const derived = manifest?.file.derived?.[digest];
    writeManifest(manifestPath, { format: MANIFEST_FORMAT, root: listing.root, excludes: [...excludes], rows: files.map(toRow), derived: derived ? { [digest]: derived } : undefined });
  }
  digestsThisProcess.set(key, { digest: result, safeBeforeNs: startedNs - RACY_MARGIN_NS });
  return result;
}

/** Every file listed again with the stats it had when digested, each safely older than that digest. */
function unchangedSince(digest: DirectoryDigest, safeBeforeNs: bigint, files: readonly PackageFile[]): boolean {
  if (files.length !== digest.files.length) return false;
  return files.every((file, index) => {
    const before = digest.files[index];
    return (
      before.relative === file.relative &&
      before.stat.size === file.stat.size &&
      before.stat.mtimeNs === file.stat.mtimeNs &&
      before.stat.ctimeNs === file.stat.ctimeNs &&
      before.stat.ino === file.stat.ino &&
      before.stat.mode === file.stat.mode &&
      file.stat.mtimeNs < safeBeforeNs
    );
  });
}

/**
 * A value derived from the whole content (costly to compute), remembered in the manifest next to the
 * digest it belongs to, so a later process with the same content gets it at the cost of the stats.
 */
export function derivedValue(directory: string, excludes: readonly string[], digest: DirectoryDigest, name: string, compute: () => string): string {
  const manifestPath = path.join(manifestDirectory(), `${createHash("sha256").update(memoKey(directory, excludes)).digest("hex").slice(0, 32)}.json`);
  const manifest = readManifest(manifestPath, digest.root);
  const stored = manifest?.file.derived?.[digest.digest]?.[name];
  if (stored !== undefined) return stored;
  const value = compute();
  if (manifest && digestOf(digest.topFolder, manifest.file.rows.map(fromRow)) === digest.digest) {
    const derived = { [digest.digest]: { ...manifest.file.derived?.[digest.digest], [name]: value } };
    writeManifest(manifestPath, { ...manifest.file, derived });
  }
  return value;
}

/** Forgets this process's digests (tests, and a long-lived process that wants to look again). */
export function forgetDigests(): void {
  digestsThisProcess.clear();
}

function memoKey(directory: string, excludes: readonly string[]): string {
  let real = path.resolve(directory);
  try {
    real = fs.realpathSync(real);
  } catch {
    // listPackageFiles reports the missing directory
  }
  return JSON.stringify([MANIFEST_FORMAT, real, excludes, defaultExcludes()]);
}

function statMatches(row: ManifestRow, stat: fs.BigIntStats, mode: number): boolean {
  return row[1] === String(stat.size) && row[2] === String(stat.mtimeNs) && row[3] === String(stat.ctimeNs) && row[4] === String(stat.ino) && row[5] === mode;
}

function toRow(file: DigestedFile): ManifestRow {
  return [file.relative, String(file.stat.size), String(file.stat.mtimeNs), String(file.stat.ctimeNs), String(file.stat.ino), file.mode, file.sha256, file.crc];
}

function fromRow(row: ManifestRow): Pick<DigestedFile, "relative" | "mode" | "size" | "sha256"> {
  return { relative: row[0], size: Number(row[1]), mode: row[5], sha256: row[6] };
}

function digestOf(topFolder: string, files: ReadonlyArray<Pick<DigestedFile, "relative" | "mode" | "size" | "sha256">>): string {
  const hash = createHash("sha256").update(`pulumi-anyscale package v1\n${topFolder}\n`);
  for (const file of files) hash.update(`${file.mode.toString(8)} ${file.size} ${file.sha256} ${file.relative}\n`);
  return hash.digest("hex");
}

/** SHA-256 and CRC-32 of a file's bytes, read in chunks so memory stays flat whatever its size. */
export function hashFile(full: string): { sha256: string; crc: number } {
  const hash = createHash("sha256");
  let crc = 0;
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  const fd = fs.openSync(full, "r");
  try {
    for (let read = fs.readSync(fd, buffer, 0, READ_CHUNK, null); read > 0; read = fs.readSync(fd, buffer, 0, READ_CHUNK, null)) {
      const chunk = buffer.subarray(0, read);
      hash.update(chunk);
      crc = crc32(chunk, crc);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { sha256: hash.digest("hex"), crc };
}

function readManifest(manifestPath: string, root: string): { file: ManifestFile; writtenNs: bigint } | undefined {
  try {
    const writtenNs = fs.statSync(manifestPath, { bigint: true }).mtimeNs;
    const file = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as ManifestFile;
    if (file.format !== MANIFEST_FORMAT || file.root !== root || !Array.isArray(file.rows)) return undefined;
    return { file, writtenNs };
  } catch {
    return undefined; // none yet, or unreadable: every file is hashed
  }
}

/** Best effort: a cache that cannot be written only costs the next run a re-hash. */
function writeManifest(manifestPath: string, file: ManifestFile): void {
  try {
    fs.mkdirSync(path.dirname(manifestPath), { recursive: true });
    const temporary = `${manifestPath}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(file));
    fs.renameSync(temporary, manifestPath);
  } catch {
    // read-only home or full disk
  }
}
