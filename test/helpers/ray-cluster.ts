// Ray clusters and plane processes for the Ray runtime e2e: a head started apart with `ray start`
// (stopped by one signal to its process group, never `ray stop`, which would stop every Ray on the
// machine), the Serve applications a cluster holds, and the plane run as its CLI.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { waitUntil } from "./local-plane";
import { REPO_ROOT } from "./pulumi";

export interface RayHead {
  address: string;
  env: Record<string, string>;
  python: string;
  stop(): Promise<void>;
}

/** `ray start --head --block` in its own process group: stopping it is one signal to that group, no `ray stop`. */
export async function startRayHead(rayPython: string): Promise<RayHead> {
  const port = await freePort();
  const env = { RAY_AUTH_MODE: "token", RAY_AUTH_TOKEN: `e2e${Date.now()}`, RAY_USAGE_STATS_ENABLED: "0" };
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "rayh-"));
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const child = spawn(path.join(path.dirname(rayPython), "ray"), [
    "start", "--head", "--block", "--node-ip-address=127.0.0.1", `--port=${port}`, "--num-cpus=4", "--include-dashboard=false", "--disable-usage-stats",
    `--temp-dir=${tempDir}`, `--dashboard-agent-listen-port=${ports[0]}`, `--metrics-export-port=${ports[1]}`, `--runtime-env-agent-port=${ports[2]}`,
  ], { env: { ...process.env, ...env }, detached: true, stdio: "ignore" });
  const address = `127.0.0.1:${port}`;
  await waitUntil(() => new Promise<boolean | undefined>((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => { socket.destroy(); resolve(true); });
    socket.on("error", () => resolve(undefined));
  }), { timeoutMs: 180_000, intervalMs: 500, what: "ray start --head to listen" });
  return {
    address,
    env,
    python: rayPython,
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try { process.kill(-child.pid!, "SIGTERM"); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } }, 30_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

/** The Serve applications on a cluster, read by a driver of its own. */
export async function serveApplications(cluster: Pick<RayHead, "address" | "env" | "python">): Promise<string[]> {
  const script = "import json, ray\nfrom ray import serve\nray.init(address='" + cluster.address + "', logging_level='ERROR')\nprint(json.dumps(sorted(serve.status().applications)))\n";
  const child = spawn(cluster.python, ["-c", script], { env: { ...process.env, ...cluster.env }, stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  await new Promise((resolve) => child.once("exit", resolve));
  return JSON.parse(out.trim().split("\n").at(-1) ?? "[]");
}

/** The plane as its CLI runs it (`anyscale-local`), from the compiled package. */
export async function startPlaneProcess(rayPython: string, args: string[], env: Record<string, string>): Promise<{ url: string; token: string; stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ray-address-plane-"));
  const token = "sss_local_ray_address_token";
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, "dist/local/bin.js"), "--data-dir", dataDir, "--port", "0", "--token", token, "--startup-ms", "200", "--rollout-step-ms", "100", "--ray-python", rayPython, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => line.startsWith("ANYSCALE_HOST=") && resolve(line.slice("ANYSCALE_HOST=".length)));
    child.once("exit", (code) => reject(new Error(`anyscale-local exited with ${code}`)));
  });
  return {
    url,
    token,
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
