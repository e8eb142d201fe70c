// Shared by the job and job-queue integration tests: drive the provider modules as the engine would
// (check → create/update/delete), configured with a fake `{config:{get}}`, against a real local plane.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, type TestPlane } from "../helpers/local-plane";

type Inputs = Record<string, unknown>;

export { checked, configureFor, type ProviderModule } from "../helpers/provider-driver";

/** A unique scope per test, as the resource class would set it. */
let counter = 0;
export function scope(name: string): string {
  counter += 1;
  return `it-project/it-stack-${process.pid}-${counter}/${name}`;
}

export function tempFile(prefix: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), prefix)), "out.txt");
}

export interface LoggedRequest {
  method: string;
  path: string;
  body?: unknown;
  status: number;
}

export async function requestLog(plane: TestPlane): Promise<LoggedRequest[]> {
  const response = await api(plane).get("/_local/requests");
  const body = response.body as { result?: LoggedRequest[] } | LoggedRequest[];
  return Array.isArray(body) ? body : (body.result ?? []);
}

export async function clearRequestLog(plane: TestPlane): Promise<void> {
  await api(plane).del("/_local/requests");
}

/** The error a create/update threw, for assertions on its shape. */
export async function thrown(promise: Promise<unknown>): Promise<Error & { id?: string; properties?: Inputs; reasons?: string[] }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { id?: string; properties?: Inputs; reasons?: string[] };
  }
  throw new Error("expected the operation to fail");
}
