// working_dir / py_modules packaging: a deterministic zip (fixed timestamps, sorted entries, one
// top-level folder as Ray requires), named by the md5 of its bytes, uploaded once through a presigned
// URL. Identical content gives an identical name, so an unchanged directory is never uploaded twice
// and never causes a diff.
import { z } from "zod";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { AnyscaleError, UnexpectedResponseError } from "../core/errors";
import type { AnyscaleClient } from "./client";
import ignore from "ignore";
import { buildZip } from "./zip";

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

export interface PackedDirectory {
  bytes: Buffer;
  /** md5 hex of the zip bytes. */
  contentHash: string;
  fileCount: number;
}

/** Ray's runtime_env packaging always leaves these out (the SDK inherits them). */
export const DEFAULT_EXCLUDES: readonly string[] = [".git", ".venv", "venv", "__pycache__"];

/** True for URIs Ray fetches itself (s3://, gs://, https://…zip): these are passed through untouched. */
export function isRemoteUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/**
 * Zips `directory` under one top-level folder (its base name), leaving out what `excludes` match the way
 * the official client does (anyscale/utils/ray_utils.py: pathspec "gitwildmatch" over each path relative
 * to the directory, the last matching pattern deciding, so `!pattern` re-includes; a directory that
 * matches is skipped whole). Each pattern's gitignore glob semantics come from the `ignore` package.
 */
export function packDirectory(directory: string, excludes: readonly string[] = []): PackedDirectory {
  const root = path.resolve(directory);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new AnyscaleError(`Local directory '${directory}' does not exist.`);
  }
  if (!stat.isDirectory()) throw new AnyscaleError(`'${directory}' is not a directory.`);
  const excluded = excludeMatcher([...DEFAULT_EXCLUDES, ...excludes]);
  const topFolder = path.basename(root) || "working_dir";
  const files: Array<{ name: string; data: Buffer; mode: number }> = [];
  const walk = (relativeDir: string): void => {
    const entries = fs.readdirSync(path.join(root, relativeDir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (excluded(relative)) continue;
      const full = path.join(root, relative);
      // Links are followed as the official client does (a linked directory's files under the link's
      // path); a dangling one is named (check refuses it first: workload/symlinks.ts).
      let stat: fs.Stats;
      try {
        stat = entry.isSymbolicLink() ? fs.statSync(full) : (entry as unknown as fs.Stats);
      } catch {
        throw new AnyscaleError(`'${path.join(directory, relative)}' is a symbolic link to '${fs.readlinkSync(full)}', which does not exist.`);
      }
      if (stat.isDirectory()) walk(relative);
      else if (stat.isFile()) {
        files.push({ name: `${topFolder}/${relative}`, data: fs.readFileSync(full), mode: fs.statSync(full).mode & 0o777 });
      }
    }
  };
  walk("");
  const bytes = buildZip(files);
  return { bytes, contentHash: createHash("md5").update(bytes).digest("hex"), fileCount: files.length };
}

/**
 * pathspec's rule: every pattern is tested on the path (directories without a trailing "/", as the
 * official client passes them), and the last one that matches decides: excluded, or re-included by "!".
 */
export function excludeMatcher(patterns: readonly string[]): (relativePath: string) => boolean {
  const rules = patterns
    .map((pattern) => pattern.trim().replace(/\\/g, "/"))
    .filter((pattern) => pattern !== "" && !pattern.startsWith("#"))
    .map((pattern) => {
      const negated = pattern.startsWith("!");
      return { negated, glob: ignore().add(negated ? pattern.slice(1) : pattern) };
    });
  return (relativePath) => {
    let excluded = false;
    for (const rule of rules) if (rule.glob.ignores(relativePath)) excluded = !rule.negated;
    return excluded;
  };
}

// ---- upload ----

const uploadedByClient = new WeakMap<AnyscaleClient, Map<string, Promise<string>>>();

/**
 * Uploads a local directory to the cloud's data bucket and returns its file URI (e.g. s3://…/pkg_<md5>.zip).
 * Remote URIs are returned unchanged. Skips the PUT when the bucket already has the file.
 */
export async function uploadDirectory(client: AnyscaleClient, cloudId: string, directory: string, excludes: readonly string[] = []): Promise<string> {
  if (isRemoteUri(directory)) return directory;
  const packed = packDirectory(directory, excludes);
  let uploads = uploadedByClient.get(client);
  if (!uploads) uploadedByClient.set(client, (uploads = new Map()));
  const key = `${cloudId}:${packed.contentHash}`;
  let pending = uploads.get(key);
  if (!pending) {
    pending = uploadPackage(client, cloudId, packed);
    pending.catch(() => uploads!.delete(key));
    uploads.set(key, pending);
  }
  return pending;
}

async function uploadPackage(client: AnyscaleClient, cloudId: string, packed: PackedDirectory): Promise<string> {
  const endpoint = `/api/v2/clouds/${encodeURIComponent(cloudId)}/generate_cloud_data_bucket_presigned_url`;
  const info = await client.result(presignedUrlSchema, "POST", endpoint, {
    // Wire values are the SDK enum values: file_type is lowercase.
    body: { file_type: "runtime_env_packages", file_name: packageFileName(packed.contentHash), access_mode: "WRITE" },
    idempotent: true,
  });
  if (info.file_exists) return info.file_uri;
  const scheme = (info.url_scheme ?? "http").toLowerCase();
  if (scheme !== "http") {
    throw new UnexpectedResponseError(`POST ${endpoint}`, `url_scheme '${info.url_scheme}' is not supported by this provider (only HTTP presigned uploads)`);
  }
  // Like the SDK: no content type (it may not be part of the signature), Azure's blob headers only for Azure.
  const headers: Record<string, string> = {};
  if (/^(azure|abfss)/.test(info.file_uri)) Object.assign(headers, { "x-ms-blob-type": "BlockBlob", "x-ms-version": "2025-07-05" });
  // The presigned URL carries its own authorization; the API token must not travel to the bucket.
  await client.transport.request({ method: "PUT", path: info.url, raw: packed.bytes, headers, noAuth: true, idempotent: true });
  return info.file_uri;
}
