import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { request } from "undici";
import { api, errorText, withLocalPlane } from "../helpers/local-plane";

describe("local control plane: working_dir upload and request log", () => {
  const plane = withLocalPlane();
  const a = () => api(plane());

  test("presigned upload to this server, file_exists dedupe by name, file_uri resolvable", async () => {
    const cloudId = (await a().get("/ext/v0/clouds/default")).body.result.id;
    const zip = Buffer.from("PK\u0003\u0004 pretend zip bytes");
    const fileName = `pkg_${createHash("md5").update(zip).digest("hex")}.zip`;
    const presign = () =>
      a().post(`/api/v2/clouds/${cloudId}/generate_cloud_data_bucket_presigned_url`, { file_type: "runtime_env_packages", file_name: fileName, access_mode: "WRITE" });
    const first = (await presign()).body.result;
    expect(first.file_exists).toBe(false);
    expect(first.url.startsWith(plane().url)).toBe(true);
    expect(first.url_scheme).toBe("http");
    expect(first.file_uri).toMatch(new RegExp(`^s3://.*/${fileName}$`));

    // Like the SDK: a plain PUT of the bytes, no API token.
    const put = await request(first.url, { method: "PUT", body: zip });
    await put.body.text();
    expect(put.statusCode).toBe(200);
    const tampered = await request(first.url.replace(/X-Local-Signature=([0-9a-f])/, (_m: string, c: string) => `X-Local-Signature=${c === "0" ? "1" : "0"}`), { method: "PUT", body: zip });
    await tampered.body.text();
    expect(tampered.statusCode).toBe(403);

    const second = (await presign()).body.result;
    expect(second.file_exists).toBe(true);
    expect(second.file_uri).toBe(first.file_uri);

    // The file landed in the data dir (the jobs side resolves file_uri through app.resolveFileUri).
    const stored = fs.readdirSync(`${plane().dataDir}/cloud-storage`, { recursive: true }).map(String);
    expect(stored.some((p) => p.endsWith(fileName))).toBe(true);
  });

  test("presign rejects bad file names, wrong enum values and unknown clouds", async () => {
    const cloudId = (await a().get("/ext/v0/clouds/default")).body.result.id;
    const bad = await a().post(`/api/v2/clouds/${cloudId}/generate_cloud_data_bucket_presigned_url`, { file_type: "runtime_env_packages", file_name: "../x.zip", access_mode: "WRITE" });
    expect(bad.status).toBe(422);
    expect(errorText(bad.body)).toContain("file_name");
    const upper = await a().post(`/api/v2/clouds/${cloudId}/generate_cloud_data_bucket_presigned_url`, { file_type: "RUNTIME_ENV_PACKAGES", file_name: "pkg_x.zip", access_mode: "WRITE" });
    expect(upper.status).toBe(422);
    expect(errorText(upper.body)).toContain("file_type");
    const noCloud = await a().post("/api/v2/clouds/cld_nope/generate_cloud_data_bucket_presigned_url", { file_type: "runtime_env_packages", file_name: "pkg_x.zip", access_mode: "WRITE" });
    expect(noCloud.status).toBe(404);
  });

  test("request log: method, path, query, redacted body, status, client; DELETE clears", async () => {
    expect((await a().del("/_local/requests")).status).toBe(204);
    await a().call("PUT", "/api/v2/tags/resource?paging_token=p1", { resource_type: "service", resource_id: "service2_nope", tags: { api_token: "hunter2-secret" } });
    await a().call("GET", "/api/v2/userinfo/", undefined, { token: null });
    const log = (await a().get("/_local/requests")).body;
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ method: "PUT", path: "/api/v2/tags/resource", query: { paging_token: "p1" }, status: 404, client: "local-plane-tests" });
    expect(log[0].body.tags.api_token).toBe("[REDACTED]");
    expect(log[1]).toMatchObject({ method: "GET", status: 401 });
    const raw = fs.readFileSync(`${plane().dataDir}/requests.jsonl`, "utf8");
    expect(raw).not.toContain("hunter2-secret");
    expect(raw).not.toContain(plane().token);
  });
});
