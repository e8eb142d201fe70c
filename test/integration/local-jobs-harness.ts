// Shared by the local-jobs*.test.ts integration tests: a real local control plane, real HTTP.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { startLocalControlPlane, type LocalControlPlane } from "../../local";

export interface Plane {
  plane: LocalControlPlane;
  dataDir: string;
  api<T = any>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPlane(opts: { jobStartupMs?: number; dataDir?: string } = {}): Promise<Plane> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "local-jobs-"));
  const start = () => startLocalControlPlane({ dataDir, token: "sss_local_jobs_test_token", jobStartupMs: opts.jobStartupMs ?? 100, quiet: true });
  const handle: Plane = {
    plane: await start(),
    dataDir,
    async api(method, urlPath, body) {
      const res = await request(`${handle.plane.url}${urlPath}`, {
        method: method as any,
        headers: { authorization: `Bearer ${handle.plane.token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
    },
    async restart() {
      await handle.plane.stop();
      handle.plane = await start();
    },
    async stop() {
      await handle.plane.stop();
      // Remove the data dir only when this harness made it.
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Zips `files` under one top-level directory with Python's zipfile, as the official SDK does, and uploads it. */
export async function uploadWorkingDir(p: Plane, files: Record<string, string>, topDirName = "project"): Promise<string> {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), "local-jobs-src-"));
  const top = path.join(src, topDirName);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(top, name)), { recursive: true });
    fs.writeFileSync(path.join(top, name), content);
  }
  const zipPath = path.join(src, "pkg.zip");
  execFileSync("python3", [
    "-c",
    "import sys, zipfile, pathlib\nroot = pathlib.Path(sys.argv[1])\nwith zipfile.ZipFile(sys.argv[2], 'w') as z:\n    for f in sorted(root.rglob('*')):\n        z.write(f, root.name / f.relative_to(root))",
    top,
    zipPath,
  ]);
  const zip = fs.readFileSync(zipPath);
  fs.rmSync(src, { recursive: true, force: true });
  const cloudId = await defaultCloudId(p);
  const presign = await p.api("POST", `/api/v2/clouds/${cloudId}/generate_cloud_data_bucket_presigned_url`, {
    file_type: "runtime_env_packages",
    file_name: `pkg_${Date.now()}_${Math.random().toString(36).slice(2)}.zip`,
    access_mode: "WRITE",
  });
  if (presign.status !== 200) throw new Error(`presign failed: ${JSON.stringify(presign.body)}`);
  const put = await request(presign.body.result.url, { method: "PUT", body: zip });
  await put.body.text();
  if (put.statusCode !== 200) throw new Error(`upload failed: ${put.statusCode}`);
  return presign.body.result.file_uri;
}

async function defaultCloudId(p: Plane): Promise<string> {
  const res = await p.api("GET", "/ext/v0/clouds/default");
  return res.body.result.id;
}

export function jobBody(name: string, entrypoint: string, extra: Record<string, any> = {}): Record<string, any> {
  const { config, ...rest } = extra;
  return { name, config: { entrypoint, max_retries: 0, ...(config ?? {}) }, ...rest };
}

export async function submit(p: Plane, body: Record<string, any>): Promise<string> {
  const res = await p.api("POST", "/api/v2/decorated_ha_jobs/create", body);
  if (res.status !== 200) throw new Error(`submit failed ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.result.id;
}

export async function getJob(p: Plane, id: string): Promise<any> {
  const res = await p.api("GET", `/api/v2/decorated_ha_jobs/${id}`);
  if (res.status !== 200) throw new Error(`get failed ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.result;
}

const TERMINAL = new Set(["SUCCESS", "TERMINATED", "OUT_OF_RETRIES", "BROKEN"]);

/** Polls until the job is in one of `states` (default: any terminal state); bounded by a poll count, not a clock. */
export async function waitForJob(p: Plane, id: string, states?: string[], maxPolls = 400): Promise<any> {
  for (let i = 0; i < maxPolls; i++) {
    const job = await getJob(p, id);
    const state = job.state.current_state;
    if (states ? states.includes(state) : TERMINAL.has(state)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not reach ${states ?? "a terminal state"}: ${JSON.stringify((await getJob(p, id)).state)}`);
}

export async function runsOf(p: Plane, jobId: string): Promise<any[]> {
  const res = await p.api("POST", "/api/v2/decorated_ha_jobs/job_runs/search", {
    ha_job_ids: [jobId],
    sort_by_clauses: [{ sort_field: "CREATED_AT", sort_order: "ASC" }],
    max_runs_per_job: 100,
  });
  return res.body.results[jobId] ?? [];
}

/** Downloads a run's logs the way the SDK does: page through chunk URLs, then GET each (no API token). */
export async function logsOf(p: Plane, runId: string): Promise<string> {
  let token: string | null = null;
  const urls: string[] = [];
  for (let i = 0; i < 100; i++) {
    const q: string = token ? `?page_size=1000&next_page_token=${token}` : "?page_size=1000";
    const res = await p.api("GET", `/api/v2/logs/job_logs_download_v2/${runId}${q}`);
    if (res.status !== 200) throw new Error(`logs failed ${res.status}: ${JSON.stringify(res.body)}`);
    urls.push(...res.body.result.log_chunks.map((c: any) => c.chunk_url));
    token = res.body.result.next_page_token;
    if (!token) break;
  }
  let out = "";
  for (const url of urls) {
    const res = await request(url);
    if (res.statusCode !== 200) throw new Error(`chunk download failed ${res.statusCode}`);
    out += await res.body.text();
  }
  return out;
}
