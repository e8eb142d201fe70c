// A real ZenML server for integration and e2e tests: reuse the one the test command started
// (ZENML_STORE_URL / ZENML_STORE_API_KEY), or start one with scripts/zenml-server.sh and stop it after.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");
const SCRIPT = path.join(REPO, "scripts/zenml-server.sh");
const STATE_DIR = process.env.ZENML_LOCAL_STATE_DIR ?? path.join(REPO, ".zenml-local");

export interface ZenmlTestServer {
  url: string;
  apiKey: string;
  /** The server's JWT signing secret when this repo's script started it (lets a test mint an expired token). */
  jwtSecret?: string;
  /** Stops the server if this helper started it. */
  release(): void;
}

/** Setup can install the venv (about a minute or two) and start the server (about 20 s). */
export const ZENML_STARTUP_TIMEOUT_MS = 600_000;

function readState(file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(STATE_DIR, file), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

function scriptServerRunning(): boolean {
  const pid = Number(readState("pid"));
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function acquireZenmlServer(): ZenmlTestServer {
  const envUrl = process.env.ZENML_STORE_URL;
  const envKey = process.env.ZENML_STORE_API_KEY;
  if (envUrl && envKey) {
    const jwtSecret = readState("url") === envUrl ? readState("jwt_secret") : undefined;
    return { url: envUrl, apiKey: envKey, jwtSecret, release: () => undefined };
  }
  let startedHere = false;
  if (!scriptServerRunning()) {
    execFileSync("bash", [SCRIPT, "setup"], { stdio: "inherit" });
    execFileSync("bash", [SCRIPT, "start"], { stdio: "inherit" });
    startedHere = true;
  }
  const url = readState("url");
  const apiKey = readState("api_key");
  if (!url || !apiKey) throw new Error(`ZenML server state missing in ${STATE_DIR}`);
  return {
    url,
    apiKey,
    jwtSecret: readState("jwt_secret"),
    release: () => {
      if (startedHere) execFileSync("bash", [SCRIPT, "stop"], { stdio: "inherit" });
    },
  };
}

/** A Pulumi-config-shaped source, as the engine hands one to configure(). */
export function fakeConfig(values: Record<string, string | undefined>): { config: { get(key: string): string | undefined; require(key: string): string } } {
  return {
    config: {
      get: (key: string) => values[key],
      require: (key: string) => {
        const value = values[key];
        if (value === undefined) throw new Error(`missing ${key}`);
        return value;
      },
    },
  };
}
