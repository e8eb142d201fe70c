import { createHmac, timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import type { LocalRuntime } from "./app";
import { COLLECTIONS, ORGANIZATION } from "./catalog/seed";
import { singleEnvelope } from "./envelopes";
import { writeFileAtomic } from "./store";
import { LocalApiError } from "./types";
import { parseInput } from "./validation";

// The cloud data bucket, emulated: presigned URLs point back at this server (/cloud-storage/...),
// signed with an HMAC so that, like real presigned URLs, they work without the API token.

const BUCKET = "anyscale-local-data-bucket";
const URI_PREFIX = `s3://${BUCKET}/`;
const STORAGE_ROUTE = "/cloud-storage";

// Wire values are the SDK enum values (lowercase), e.g. "runtime_env_packages".
const FILE_TYPES = [
  "runtime_env_packages",
  "datasets",
  "audit_logs",
  "system_storage/workspace_tracking_dependencies",
  "system_storage/templates",
  "system_storage/workspaces",
  "job_messages",
] as const;

const PresignBody = z.object({
  file_type: z.enum(FILE_TYPES),
  file_name: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[A-Za-z0-9._-]+$/, "must be a plain file name (letters, digits, '.', '_', '-')")
    .refine((n) => n !== "." && n !== "..", "must be a plain file name"),
  access_mode: z.enum(["READ", "WRITE"]),
  cloud_resource_id: z.string().nullish(),
});

/** The file URI of a path inside the data bucket (a runtime env's `relative_working_dir` names one so). */
export function dataBucketFileUri(bucketPath: string): string {
  return `${URI_PREFIX}${bucketPath}`;
}

export function registerUploadRoutes(runtime: LocalRuntime): void {
  const { app, router } = runtime;
  const storageRoot = path.join(app.options.dataDir, "cloud-storage");
  const sign = (bucketPath: string, mode: string): string =>
    createHmac("sha256", app.options.token).update(`${mode}:${bucketPath}`).digest("hex");
  const localPath = (bucketPath: string): string => path.join(storageRoot, ...bucketPath.split("/"));

  runtime.setFileUriResolver((fileUri) => {
    if (!fileUri.startsWith(URI_PREFIX)) return undefined;
    const bucketPath = fileUri.slice(URI_PREFIX.length);
    if (bucketPath.split("/").some((s) => s === ".." || s === "")) return undefined;
    const file = localPath(bucketPath);
    return fs.existsSync(file) ? file : undefined;
  });

  router.add("POST", "/api/v2/clouds/:cloudId/generate_cloud_data_bucket_presigned_url", (ctx) => {
    const cloudId = ctx.params.cloudId;
    if (!app.store.get(COLLECTIONS.clouds, cloudId)) throw new LocalApiError(404, `Cloud '${cloudId}' not found.`);
    const body = parseInput(PresignBody, ctx.body);
    const bucketPath = `${ORGANIZATION.id}/${cloudId}/${body.file_type}/${body.file_name}`;
    const fileExists = fs.existsSync(localPath(bucketPath));
    if (body.access_mode === "READ" && !fileExists) {
      throw new LocalApiError(404, `File '${body.file_name}' not found in the cloud data bucket.`);
    }
    const url = `${app.baseUrl()}${STORAGE_ROUTE}/${BUCKET}/${bucketPath}?X-Local-Access=${body.access_mode}&X-Local-Signature=${sign(bucketPath, body.access_mode)}`;
    return singleEnvelope({
      url,
      url_scheme: "http",
      file_uri: `${URI_PREFIX}${bucketPath}`,
      file_exists: fileExists,
      bucket_name: BUCKET,
      bucket_path: bucketPath,
    });
  });

  const verified = (params: Record<string, string>, query: URLSearchParams, mode: "READ" | "WRITE"): string => {
    const rest = params["*"] ?? "";
    if (!rest.startsWith(`${BUCKET}/`)) throw new LocalApiError(404, "No such bucket.");
    const bucketPath = rest.slice(BUCKET.length + 1);
    if (bucketPath.split("/").some((s) => s === ".." || s === "." || s === "")) throw new LocalApiError(400, "Invalid object path.");
    const given = Buffer.from(query.get("X-Local-Signature") ?? "");
    const expected = Buffer.from(sign(bucketPath, mode));
    if (query.get("X-Local-Access") !== mode || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new LocalApiError(403, "Signature does not match: the presigned URL is invalid for this request.");
    }
    return bucketPath;
  };

  router.add(
    "PUT",
    `${STORAGE_ROUTE}/*`,
    (ctx) => {
      const bucketPath = verified(ctx.params, ctx.query, "WRITE");
      const file = localPath(bucketPath);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, ctx.rawBody);
      return { status: 200, raw: "" , contentType: "text/plain" };
    },
    { auth: false, rawBody: true },
  );
  router.add(
    "GET",
    `${STORAGE_ROUTE}/*`,
    (ctx) => {
      const file = localPath(verified(ctx.params, ctx.query, "READ"));
      if (!fs.existsSync(file)) throw new LocalApiError(404, "The specified key does not exist.");
      return { status: 200, raw: fs.readFileSync(file), contentType: "application/zip" };
    },
    { auth: false },
  );
}
