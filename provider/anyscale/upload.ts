// working_dir / py_modules packaging: a deterministic zip (fixed timestamps, sorted entries, one
// top-level folder as Ray requires) named by the directory's content digest (content-manifest.ts),
// uploaded once through a presigned URL. The name is known from the digest before anything is packed,
// so a package the bucket already has costs one request and no zipping; one it lacks is streamed,
// never held in memory.
import { z } from "zod";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { Readable } from "node:stream";
import { deflateRawSync } from "node:zlib";
import { AnyscaleError, UnexpectedResponseError } from "../core/errors";
import type { AnyscaleClient } from "./client";
import { buildZip, crc32, inMemoryEntry, METHOD_STORED, zipLength, zipStream, type ZipEntry } from "./zip";
import { RAY_DEFAULT_EXCLUDES, excludeMatcher, listPackageFiles } from "./package-files";
import { digestDirectory, type DigestedFile, type DirectoryDigest } from "./content-manifest";

export { excludeMatcher };

const optionalString = z.string().nullish();

export const presignedUrlSchema = z.looseObject({
  url: z.string(),
  url_scheme: optionalString,
  file_uri: z.string(),
  file_exists: z.boolean().nullish(),
});
export type PresignedUrlModel = z.infer<typeof presignedUrlSchema>;

/** The SDK's package name format. */
export const packageFileName = (contentHash: string): string => `pkg_${contentHash}.zip`;

/** The package's name hash: the first 128 bits of the content digest (the length of the SDK's md5). */
export const packageHash = (digest: DirectoryDigest): string => digest.digest.slice(0, 32);

export interface PackedDirectory {
  bytes: Buffer;
  /** md5 hex of the zip bytes. */
  contentHash: string;
  fileCount: number;
}

/** Ray's runtime_env packaging always leaves these out (the SDK inherits them). */
export const DEFAULT_EXCLUDES: readonly string[] = RAY_DEFAULT_EXCLUDES;

/** Files up to this size are deflated in memory (one at a time); larger ones are stored and streamed. */
const DEFLATE_LIMIT = 16 << 20;
const STREAM_CHUNK = 1 << 20;

/** True for URIs Ray fetches itself (s3://, gs://, https://…zip): these are passed through untouched. */
export function isRemoteUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** The whole package in memory, every file deflated when that is smaller (tests and small packages). */
export function packDirectory(directory: string, excludes: readonly string[] = []): PackedDirectory {
  const listing = listPackageFiles(directory, excludes);
  const bytes = buildZip(listing.files.map((file) => ({ name: `${listing.topFolder}/${file.relative}`, data: fs.readFileSync(file.full), mode: Number(file.stat.mode & 0o777n) })));
  return { bytes, contentHash: createHash("md5").update(bytes).digest("hex"), fileCount: listing.files.length };
}

/**
 * The md5 of the archive packDirectory builds, computed one file at a time: the package hash before
 * content digests, kept so a stack recorded with it is recognised as unchanged (see local-sources.ts).
 */
export function legacyPackageMd5(digest: DirectoryDigest): string {
  const md5 = createHash("md5");
  function* entries(): Generator<ZipEntry> {
    for (const file of digest.files) yield inMemoryEntry(`${digest.topFolder}/${file.relative}`, fs.readFileSync(file.full), file.mode);
  }
  for (const chunk of zipStream(entries())) md5.update(chunk);
  return md5.digest("hex");
}

/**
 * The package's entries for streaming: small files deflated (read once here for their compressed size,
 * again when sent), large ones stored. Every file's CRC is checked against its digest when sent, so a
 * file edited since the digest fails the upload instead of shipping bytes the name does not describe.
 */
export function packageEntries(digest: DirectoryDigest): ZipEntry[] {
  return digest.files.map((file) => (file.size <= DEFLATE_LIMIT ? deflatedEntry(digest.topFolder, file) : storedEntry(digest.topFolder, file)));
}

function deflatedEntry(topFolder: string, file: DigestedFile): ZipEntry {
  const name = `${topFolder}/${file.relative}`;
  const readChecked = (): Buffer => {
    const data = fs.readFileSync(file.full);
    if (crc32(data) !== file.crc) throw changedError(name);
    return data;
  };
  const entry = inMemoryEntry(name, readChecked(), file.mode);
  const deflated = entry.method !== METHOD_STORED;
  return { ...entry, payload: () => [deflated ? deflateRawSync(readChecked(), { level: 6 }) : readChecked()] };
}

function storedEntry(topFolder: string, file: DigestedFile): ZipEntry {
  const name = `${topFolder}/${file.relative}`;
  return {
    name,
    mode: file.mode,
    method: METHOD_STORED,
    crc: file.crc,
    compressedSize: file.size,
    size: file.size,
    payload: function* () {
      const fd = fs.openSync(file.full, "r");
      let crc = 0;
      try {
        for (let sent = 0; sent < file.size; ) {
          const chunk = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, file.size - sent));
          const read = fs.readSync(fd, chunk, 0, chunk.length, null);
          if (read === 0) break;
          crc = crc32(chunk.subarray(0, read), crc);
          sent += read;
          yield chunk.subarray(0, read);
        }
      } finally {
        fs.closeSync(fd);
      }
      if (crc !== file.crc) throw changedError(name);
    },
  };
}

function changedError(name: string): AnyscaleError {
  return new AnyscaleError(`'${name}' changed after its digest was taken, so the package would not match its name; run again.`);
}

// ---- upload ----

const uploadedByClient = new WeakMap<AnyscaleClient, Map<string, Promise<string>>>();

/**
 * Uploads a local directory to the cloud's data bucket and returns its file URI (e.g. s3://…/pkg_<md5>.zip).
 * Remote URIs are returned unchanged. Skips the PUT when the bucket already has the file.
 */
export async function uploadDirectory(client: AnyscaleClient, cloudId: string, directory: string, excludes: readonly string[] = []): Promise<string> {
  if (isRemoteUri(directory)) return directory;
  // The files are looked at again (stats, and reads of what changed): the upload names what it sends.
  const digest = digestDirectory(directory, excludes, { reuse: false });
  let uploads = uploadedByClient.get(client);
  if (!uploads) uploadedByClient.set(client, (uploads = new Map()));
  const key = `${cloudId}:${packageHash(digest)}`;
  let pending = uploads.get(key);
  if (!pending) {
    pending = uploadPackage(client, cloudId, digest);
    pending.catch(() => uploads!.delete(key));
    uploads.set(key, pending);
  }
  return pending;
}

async function uploadPackage(client: AnyscaleClient, cloudId: string, digest: DirectoryDigest): Promise<string> {
  const endpoint = `/api/v2/clouds/${encodeURIComponent(cloudId)}/generate_cloud_data_bucket_presigned_url`;
  const info = await client.result(presignedUrlSchema, "POST", endpoint, {
    // Wire values are the SDK enum values: file_type is lowercase.
    body: { file_type: "runtime_env_packages", file_name: packageFileName(packageHash(digest)), access_mode: "WRITE" },
    idempotent: true,
  });
  if (info.file_exists) return info.file_uri;
  const scheme = (info.url_scheme ?? "http").toLowerCase();
  if (scheme !== "http") {
    throw new UnexpectedResponseError(`POST ${endpoint}`, `url_scheme '${info.url_scheme}' is not supported by this provider (only HTTP presigned uploads)`);
  }
  // Like the SDK: no content type (it may not be part of the signature), Azure's blob headers only for Azure.
  const entries = packageEntries(digest);
  const headers: Record<string, string> = { "content-length": String(zipLength(entries)) };
  if (/^(azure|abfss)/.test(info.file_uri)) Object.assign(headers, { "x-ms-blob-type": "BlockBlob", "x-ms-version": "2025-07-05" });
  // The presigned URL carries its own authorization; the API token must not travel to the bucket.
  await client.transport.request({ method: "PUT", path: info.url, raw: () => Readable.from(zipStream(entries), { objectMode: false }), headers, noAuth: true, idempotent: true });
  return info.file_uri;
}
